"""Content-hash ids: the same content always gets the same id, so re-running changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

ARTICLE_ID_CHARS = 20  # article ids: 80 bits, no collision in any plausible corpus
DERIVED_ID_CHARS = 16  # event, story, claim and part ids: 64 bits, unique within one store


def _digest(key: str, chars: int) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:chars]


def article_id(source: str, published_at: datetime, text: str) -> str:
    """Same outlet, day and text give the same id."""
    key = f"{source.strip().lower()}\n{published_at.date().isoformat()}\n{' '.join(text.split())}"
    return _digest(key, ARTICLE_ID_CHARS)


def event_id(seed_article_id: str) -> str:
    """An event's id: the hash of its first article."""
    return _digest(f"event:{seed_article_id}", DERIVED_ID_CHARS)


def story_id(first_event_id: str) -> str:
    """A story's id: the hash of its first event."""
    return _digest(f"story:{first_event_id}", DERIVED_ID_CHARS)


def claim_id(event_id: str, slot: str) -> str:
    """A claim's id: its event and slot."""
    return _digest(f"{event_id}\n{slot}", DERIVED_ID_CHARS)


def part_id(article_ids: Iterable[str]) -> str:
    """A Parquet part's id: the ids of its batch, so a retried task overwrites its own part."""
    return _digest("\n".join(article_ids), DERIVED_ID_CHARS)
