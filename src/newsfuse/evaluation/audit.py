"""Draw claims for a human judge: conflicts newsfuse reports and counts it extracts.

    python -m newsfuse.evaluation.audit --db STORE --out DIR --seed 20261204 [--build DATA]

writes ``DIR/conflicts.jsonl`` (up to 100 claims marked conflicting, each with its values and
the cited sentences) and ``DIR/counts.jsonl`` (up to 100 extracted counts, each with its
sentence), drawn uniformly with the seed. The judge marks each conflict real or not and each count
a fact or junk; nothing here looks at their answers. With ``--build DATA`` the store is first made
from gva_dev, Timeline17, BASIL and NeuS under ``DATA`` (the corpora of the blind pairs; not the
bundled samples), ingested, analysed and grouped as ``newsfuse ingest`` would.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfuse.evaluation.draw import read_clustered
from newsfuse.pipeline import analyse_pending, rebuild
from newsfuse.settings import Settings
from newsfuse.store import Store

SIZE = 100


def conflicts(store: Store) -> list[dict[str, Any]]:
    """Every claim marked conflicting, with its cited sentences."""
    rows = []
    for event in store.events(limit=10**9):
        for claim in store.claims(event.event_id):
            if claim.status != "conflicting":
                continue
            rows.append({
                "event_id": event.event_id, "claim_id": claim.claim_id, "label": claim.label,
                "values": list(claim.values),
                "citations": [{"source": c.source, "published_at": c.published_at.isoformat(), "value": c.value,
                               "sentence": c.text} for c in claim.citations],
                "real": None,
            })  # fmt: skip
    return rows


def counts(store: Store) -> list[dict[str, Any]]:
    """Every extracted count (measure "count"), with its sentence."""
    rows = []
    ids = [a for a, *_ in store.article_meta()]
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        for article_id, extraction in store.extractions(batch).items():
            for q in extraction.quantities:
                if q.measure != "count":
                    continue
                sentence = extraction.sentences[q.span.sentence].text
                rows.append({"article_id": article_id, "phrase": q.phrase, "value": q.value, "counted": q.counted,
                             "predicate": q.predicate, "qualifier": q.qualifier, "sentence": sentence,
                             "junk": None})  # fmt: skip
    return rows


def build(data: Path, db: Path, *, workers: int = 2) -> int:
    """A store of the four corpora under ``data``; the number of articles added."""
    articles = {d.article.article_id: d.article for docs in read_clustered(data).values() for d in docs}
    settings = Settings()
    with Store(db) as store:
        added = store.add_articles(list(articles.values()), [], now=datetime.now(UTC))
        analyse_pending(store, settings, workers=workers)
        rebuild(store, settings)
    return added


def draw(rows: Sequence[dict[str, Any]], seed: int, size: int = SIZE) -> list[dict[str, Any]]:
    """``size`` rows drawn uniformly with ``seed`` (all of them when there are fewer)."""
    chosen = random.Random(seed).sample(range(len(rows)), min(size, len(rows)))
    return [rows[i] for i in sorted(chosen)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument(
        "--build", type=Path, default=None, metavar="DATA", help="make the store from shared/data first"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.build is not None:
        print(f"added {build(args.build, args.db)} articles")
    with Store(args.db, read_only=True) as store:
        found = {"conflicts": conflicts(store), "counts": counts(store)}
    for name, rows in found.items():
        sample = draw(rows, args.seed)
        (args.out / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
        print(f"{name}: {len(sample)} drawn of {len(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
