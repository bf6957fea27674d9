"""Same-event grouping (first version): single pass in time order.

Each article joins the best open event within ``window_days`` when the
score ``w * cosine(text) + (1 - w) * overlap(places, names)`` reaches the
threshold, else it opens a new event.  Near-duplicates follow their original.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from newsfuse.models import Event, Extraction
from newsfuse.settings import GroupSettings
from newsfuse.stages.extract.lexicon import content_words


@dataclass(frozen=True, slots=True)
class GroupInput:
    """What grouping needs to know about one article."""

    article_id: str
    title: str
    published_at: datetime
    embedding: np.ndarray
    keys: frozenset[str]


def article_keys(extraction: Extraction) -> frozenset[str]:
    """Places and names that identify what an article is about."""
    keys = {p.place_id for p in extraction.places if p.kind != "country"}
    keys |= {
        f"{e.label}:{e.span.text.lower()}" for e in extraction.entities if e.label in ("PERSON", "ORG", "FAC", "EVENT")
    }
    return frozenset(keys)


@dataclass
class _Open:
    seed: GroupInput
    members: list[GroupInput]
    centroid: np.ndarray
    keys: set[str]
    last: datetime


def _overlap(a: frozenset[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _label(members: Sequence[GroupInput]) -> str:
    if len(members) == 1:
        return members[0].title
    vocab = [set(content_words(m.title)) for m in members]

    def centrality(index: int) -> float:
        words = vocab[index]
        if not words:
            return 0.0
        return sum(len(words & other) / len(words) for j, other in enumerate(vocab) if j != index)

    best = max(range(len(members)), key=lambda i: (centrality(i), -i))
    return members[best].title


def event_id(seed_article_id: str) -> str:
    """Stable event id: the hash of the event's first article."""
    return hashlib.sha256(f"event:{seed_article_id}".encode()).hexdigest()[:16]


def group_into_events(
    items: Sequence[GroupInput], duplicates: Mapping[str, str], settings: GroupSettings
) -> list[Event]:
    """Group articles into events (batch, deterministic for the same input)."""
    window = timedelta(days=settings.window_days)
    events: list[_Open] = []
    active: list[_Open] = []
    home: dict[str, _Open] = {}
    for item in sorted(items, key=lambda i: (i.published_at, i.article_id)):
        chosen = home.get(duplicates.get(item.article_id, ""))
        if chosen is None:
            best: tuple[float, _Open] | None = None
            active = [e for e in active if item.published_at - e.last <= window]
            for event in active:
                centroid = event.centroid / max(float(np.linalg.norm(event.centroid)), 1e-9)
                score = settings.text_weight * float(item.embedding @ centroid)
                score += (1 - settings.text_weight) * _overlap(item.keys, event.keys)
                if score >= settings.threshold and (best is None or score > best[0]):
                    best = (score, event)
            chosen = best[1] if best else None
        if chosen is None:
            chosen = _Open(item, [], np.zeros_like(item.embedding), set(), item.published_at)
            events.append(chosen)
            active.append(chosen)
        chosen.members.append(item)
        chosen.centroid = chosen.centroid + item.embedding
        chosen.keys |= item.keys
        chosen.last = max(chosen.last, item.published_at)
        home[item.article_id] = chosen
    return [
        Event(
            event_id=event_id(e.seed.article_id),
            label=_label(e.members),
            article_ids=tuple(m.article_id for m in e.members),
            first_published_at=e.members[0].published_at,
            last_published_at=e.last,
        )
        for e in events
    ]
