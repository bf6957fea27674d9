"""Near-duplicate detection: MinHash over word shingles, banded with LSH.

A syndicated or lightly edited copy is linked to the earliest article it
copies; reconciliation then counts the pair as one source, not two.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsfuse.models import Duplicate
from newsfuse.settings import DedupSettings

_WORD = re.compile(r"\w+")


# odd 32-bit multipliers, one per word position in a shingle (fixed: signatures are stored)
_POSITION_MULTIPLIERS = np.array(
    [0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646D, 0xFD7046C5, 0xB55A4F09],
    dtype=np.uint64,
)


def _given(value: int) -> int:
    """The hash function handed to datasketch: the shingle hashes are computed beforehand."""
    return value


@lru_cache(maxsize=4)
def _empty(num_perm: int) -> MinHash:
    """An empty MinHash whose permutations are drawn once (drawing them costs more than hashing)."""
    return MinHash(num_perm=num_perm, seed=1, scheme="affine32", hashfunc=_given)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``size``-grams of ``text`` (one gram of all words when shorter).

    Each word is hashed once (CRC-32) and a gram is the multiply-add of its words' hashes with fixed
    odd multipliers per position, all in numpy: far cheaper than a SHA-1 per gram, and datasketch
    mixes every input hash again (MurmurHash3 finalizer) before its permutations."""
    if size > len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingles of at most {len(_POSITION_MULTIPLIERS)} words")
    words = _WORD.findall(text.lower())
    word_hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    grams = max(1, len(words) - size + 1)
    combined = np.zeros(grams, dtype=np.uint64)
    for position in range(min(size, len(words))):
        combined += word_hashes[position : position + grams] * _POSITION_MULTIPLIERS[position]
    return np.unique(combined & np.uint64(0xFFFFFFFF))


def minhash_signature(text: str, settings: DedupSettings) -> tuple[int, ...]:
    """MinHash values of the word ``shingle_words``-grams of ``text``."""
    signature = _empty(settings.num_perm).copy()
    signature.update_batch(shingle_hashes(text, settings.shingle_words).tolist())
    return tuple(signature.hashvalues.tolist())


def find_duplicates(items: Sequence[tuple[str, datetime, np.ndarray]], settings: DedupSettings) -> list[Duplicate]:
    """Link each near-copy to the earliest article it resembles (by estimated Jaccard) published
    at most ``window_days`` before it; older articles leave the index, so memory follows the window."""
    ordered = sorted(items, key=lambda item: (item[1], item[0]))
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    signatures: dict[str, LeanMinHash] = {}
    originals: dict[str, str] = {}
    duplicates: list[Duplicate] = []
    indexed: deque[tuple[datetime, str]] = deque()
    window = timedelta(days=settings.window_days)
    for article_id, published_at, values in ordered:
        if len(values) != settings.num_perm:
            continue
        while indexed and indexed[0][0] < published_at - window:
            old = indexed.popleft()[1]
            lsh.remove(old)
            del signatures[old]
        signature = LeanMinHash(seed=1, hashvalues=np.asarray(values, dtype=np.uint32), scheme="affine32")
        best: tuple[float, str] | None = None
        for other in lsh.query(signature):
            similarity = float(signature.jaccard(signatures[other]))
            if similarity >= settings.threshold and (best is None or similarity > best[0]):
                best = (similarity, other)
        if best is not None:
            root = originals.get(best[1], best[1])
            originals[article_id] = root
            duplicates.append(Duplicate(article_id, root, round(best[0], 3)))
        signatures[article_id] = signature
        lsh.insert(article_id, signature)
        indexed.append((published_at, article_id))
    return duplicates
