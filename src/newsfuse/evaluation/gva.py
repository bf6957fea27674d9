"""Killed/injured figures, event date and place on gva_dev, scored by the dataset's own ``gva_score.py``.

Two runs side by side: newsfuse end to end (ingest into a temporary store, analyse, group,
reconcile; one exported line per event in the scorer's format) and a plain regex peer with the
gold grouping (the dataset README's reference row: per incident, the most frequent figure a
regex finds before "killed"/"injured", and the earliest publication day).  ``incident_id`` is
never read by newsfuse's run; the peer uses it for its grouping only.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfuse.evaluation.datasets import LabeledArticle, read_dataset
from newsfuse.models import Claim, Event
from newsfuse.pipeline import analyse_pending, rebuild
from newsfuse.settings import Settings
from newsfuse.store import Store

# counted nouns that name the victims as a whole (a singular "a man was killed" is the one victim)
# ("three others were wounded" after the dead are named is the injured figure)
_GENERIC = {"person", "man", "woman", "teen", "teenager", "boy", "girl", "child", "student", "victim", "other"}
_CASUALTIES = {"killed": "killed", "injured": "injured"}
_STATUS_RANK = {"updated": 0, "corroborated": 1, "conflicting": 2, "single-source": 3}


@dataclass(frozen=True, slots=True)
class GvaRun:
    """The scorer's metrics of one system and the events it was given."""

    name: str
    metrics: dict[str, Any]
    events: list[dict[str, Any]]


def load_scorer(data: Path) -> Any:
    """The dataset's ``gva_score.py`` as a module (stdlib only)."""
    path = data / "gva_dev" / "gva_score.py"
    spec = importlib.util.spec_from_file_location("gva_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _claim_row(claim: Claim) -> dict[str, Any] | None:
    """A count claim about people killed or injured as the scorer reads it (the current figure first:
    the latest of an update, the most stated of a conflict)."""
    measure = claim.measure
    if claim.kind != "count" or measure is None or measure.kind != "count" or not claim.figures:
        return None
    if measure.predicate not in _CASUALTIES or measure.counted not in _GENERIC:
        return None
    if claim.slot != f"count:{measure.counted}|{measure.predicate}":
        return None  # a figure from a sentence about other incidents
    said = Counter(c.value for c in claim.citations)
    figures = sorted(claim.figures, key=lambda f: f.published_at or datetime.min.replace(tzinfo=UTC))
    if claim.status == "updated" or claim.revision == "revised":
        figures = figures[::-1]
    else:
        figures = sorted(figures, key=lambda f: -said[f.text])
    values = [int(f.number) for f in figures]
    evidence = [f"{c.source}: {c.text}" for c in claim.citations[:3]]
    return {"kind": "count", "slot": _CASUALTIES[measure.predicate], "values": values, "status": claim.status,
            "evidence": evidence}  # fmt: skip


def export_event(event: Event, claims: Sequence[Claim], origin: dict[str, str]) -> dict[str, Any]:
    """One line of the scorer's prediction format."""
    best: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
    for claim in claims:
        row = _claim_row(claim)
        if row is None:
            continue
        key = (len({c.source for c in claim.citations}), -_STATUS_RANK[claim.status])
        if row["slot"] not in best or key > best[row["slot"]][0]:
            best[row["slot"]] = (key, row)
    return {
        "event_id": event.event_id,
        "article_ids": [origin.get(a, a) for a in event.article_ids],
        "claims": [row for _, row in best.values()],
        "day": event.day.isoformat() if event.day else None,
        "place": event.place or None,
    }


def run_newsfuse(labeled: Sequence[LabeledArticle], settings: Settings, *, workers: int = 1) -> list[dict[str, Any]]:
    """Ingest, analyse, group and reconcile the articles in a temporary store; the exported events."""
    origin = {x.article.article_id: x.article.origin for x in labeled}
    with tempfile.TemporaryDirectory(prefix="newsfuse-gva-") as folder, Store(Path(folder) / "gva.db") as store:
        store.add_articles([x.article for x in labeled], [], now=datetime.now(UTC))
        analyse_pending(store, settings, workers=workers)
        rebuild(store, settings)
        return [export_event(e, store.claims(e.event_id), origin) for e in store.events(limit=10**9)]


_NUM = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_REGEX = {
    "killed": re.compile(_NUM + r"\s+(?:\w+\s+){0,3}?(?:killed|dead|died|slain)", re.IGNORECASE),
    "injured": re.compile(_NUM + r"\s+(?:\w+\s+){0,3}?(?:injured|wounded|hurt)", re.IGNORECASE),
}


def run_regex_peer(labeled: Sequence[LabeledArticle]) -> list[dict[str, Any]]:
    """The README's reference: regex figures per gold incident, most frequent first."""
    by_incident: dict[str, list[LabeledArticle]] = defaultdict(list)
    for x in labeled:
        by_incident[x.event].append(x)
    events = []
    for incident, members in by_incident.items():
        claims = []
        for slot, pattern in _REGEX.items():
            found = Counter(m.group(1).lower() for x in members for m in pattern.finditer(x.article.text))
            if found:
                claims.append({"kind": "count", "slot": slot, "values": [v for v, _ in found.most_common()]})
        first = min(x.article.published_at for x in members)
        events.append({"event_id": incident, "article_ids": [x.article.origin for x in members], "claims": claims,
                       "day": first.date().isoformat(), "place": None})  # fmt: skip
    return events


def evaluate(data: Path, settings: Settings, *, workers: int = 1, peer: bool = True) -> list[GvaRun]:
    """Score newsfuse (and the regex peer) on gva_dev with the dataset's scorer."""
    scorer = load_scorer(data)
    gold = scorer.load_jsonl(str(data / "gva_dev" / "gold.jsonl"))
    labeled = read_dataset("gva", data)
    runs = []
    systems: list[tuple[str, Callable[[], list[dict[str, Any]]]]] = [
        ("newsfuse", lambda: run_newsfuse(labeled, settings, workers=workers))
    ]
    if peer:
        systems.append(("regex + gold grouping", lambda: run_regex_peer(labeled)))
    for name, system in systems:
        events = system()
        metrics, _ = scorer.score(gold, events)
        runs.append(GvaRun(name, metrics, events))
    return runs


def format_runs(runs: Sequence[GvaRun]) -> str:
    """A Markdown table of the headline figures (multi-outlet incidents), one row per system."""
    lines = [
        "multi-outlet incidents (gva_dev):",
        "",
        "| system | killed acc / acc0 / prec | injured acc / acc0 / prec | date exact / ±1 | city / state"
        " | B3 F1 (multi) |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        m = run.metrics["multi_outlet"]
        k, i = m["killed"], m["injured"]
        lines.append(
            f"| {run.name} | {k['acc']:.2f} / {k['acc0']:.2f} / {k['prec']:.2f}"
            f" | {i['acc']:.2f} / {i['acc0']:.2f} / {i['prec']:.2f}"
            f" | {m['date']['exact']:.2f} / {m['date']['pm1']:.2f}"
            f" | {m['place']['city']:.2f} / {m['place']['state']:.2f}"
            f" | {run.metrics['grouping_multi_outlet']['f1']:.2f} |"
        )
    return "\n".join(lines)


def write_events(path: Path, events: Sequence[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
