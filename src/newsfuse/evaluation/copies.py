"""Copy detection: no false copy among BASIL's independent reports, and copies of them found.

BASIL has 100 events each reported by three outlets (Fox News, The New York Times, HuffPost):
300 reports written independently, the hardest case for a copy detector, since every pair of an
event shares its names, numbers and quotes. Any pair the detector links is a false copy.
The copies measured are made from those reports the way outlets republish wire and partner
pieces: an exact copy under another outlet, and an edited copy (a dateline and agency credit put
in front, the last paragraph cut, a "distributed by" line added). Reworded ("spun") copies are
not measured: no real ones with gold are at hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.models import Article
from newsfuse.settings import DedupSettings
from newsfuse.stages.dedup import find_duplicates, minhash_signature

COPY_DELAY = timedelta(hours=3)  # a copy appears a few hours after the original
_MIN_PARAGRAPHS = 2  # a text this short is copied whole


def edited_copy(article: Article) -> str:
    """``article``'s text as a partner site republishes it: dateline and credit in front, the last
    paragraph cut, a footer added."""
    paragraphs = [p for p in article.text.split("\n") if p.strip()]
    kept = paragraphs[:-1] if len(paragraphs) > _MIN_PARAGRAPHS else paragraphs
    return "WASHINGTON (Wire) - " + "\n".join(kept) + "\nThis story was distributed by a news agency."


def _flagged(items: list[tuple[str, Article, str]], settings: DedupSettings) -> set[tuple[str, str]]:
    signatures = [(key, art.published_at, np.asarray(minhash_signature(text, settings))) for key, art, text in items]
    return {(d.article_id, d.original_id) for d in find_duplicates(signatures, settings)}


def evaluate_copies(articles: list[Article], settings: DedupSettings) -> dict[str, Any]:
    """Figures for ``articles`` (BASIL's reports): false copies among them, exact and edited copies found."""
    originals = [(a.article_id, a, a.text) for a in articles]
    false_pairs = _flagged(originals, settings)
    found: dict[str, list[int]] = {}
    for kind in ("exact", "edited"):
        copies = [
            (f"copy:{a.article_id}", _delayed(a), a.text if kind == "exact" else edited_copy(a)) for a in articles
        ]
        flagged = _flagged(originals + copies, settings)
        hits = sum(1 for a in articles if (f"copy:{a.article_id}", a.article_id) in flagged)
        found[kind] = [hits, len(articles)]
    pairs = len(list(combinations(articles, 2)))
    return {
        "false_copies": [len(false_pairs), pairs],
        "exact_copies_found": found["exact"],
        "edited_copies_found": found["edited"],
    }


def _delayed(article: Article) -> Article:
    return replace(article, published_at=article.published_at + COPY_DELAY)


def basil_copies(data: Path, settings: DedupSettings) -> dict[str, Any] | None:
    """``evaluate_copies`` on BASIL in ``data`` (the shared/data folder), None when it is missing."""
    if not (data / "basil" / "basil.tar.gz").is_file():
        return None
    from newsfuse.evaluation.datasets import read_basil

    return evaluate_copies([labeled.article for labeled in read_basil(data)], settings)
