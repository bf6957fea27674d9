"""Near-duplicate detection: MinHash over word shingles, banded with LSH.

A syndicated or lightly edited copy is linked to the earliest article it
copies; reconciliation then counts the pair as one source, not two.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsfuse.models import Duplicate
from newsfuse.settings import DedupSettings

_NON_WORD = re.compile(r"\W+")
# ASCII bytes: word characters lower-cased, everything else a space
_ASCII_WORD_BYTES = bytes(
    b if chr(b).isalnum() or b == ord("_") else 32 for b in (ord(chr(i).lower()) if i < 128 else 32 for i in range(256))
)

# odd 32-bit multipliers, one per word position in a shingle (fixed: signatures are stored)
_POSITION_MULTIPLIERS = np.array(
    [0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1, 0xD3A2646D, 0xFD7046C5, 0xB55A4F09],
    dtype=np.uint64,
)
# powers of an odd 64-bit constant: a word's hash is the sum of (byte + 1) x power[position in word]
_BYTE_POWERS = np.cumprod(np.full(64, 0x100000001B3, dtype=np.uint64))
# MurmurHash3's 32-bit finalizer, which datasketch's "affine32" scheme applies before its permutations
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations for ``num_perm`` (seed 1), drawn once."""
    a, b = MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def word_hashes(text: str) -> np.ndarray:
    """A 32-bit hash of each word (``\\w+``, lower-cased) of ``text``, in order, computed in numpy."""
    if text.isascii():  # a byte table does what the regular expression does, far faster
        data = np.frombuffer(text.encode("ascii").translate(_ASCII_WORD_BYTES), dtype=np.uint8)
    else:
        data = np.frombuffer(_NON_WORD.sub(" ", text.lower()).encode("utf-8"), dtype=np.uint8)
    is_char = data != 32
    if not is_char.any():
        return np.zeros(0, dtype=np.uint64)
    first = is_char & ~np.concatenate(([False], is_char[:-1]))
    starts = (np.cumsum(is_char) - 1)[first]  # word starts among the word bytes
    chars = data[is_char].astype(np.uint64) + np.uint64(1)
    position = np.arange(len(chars)) - np.repeat(starts, np.diff(np.append(starts, len(chars))))
    summed = np.add.reduceat(chars * _BYTE_POWERS[position % len(_BYTE_POWERS)], starts)
    folded: np.ndarray = (summed ^ (summed >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return folded


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """32-bit hashes of the word ``size``-grams of ``text`` in order (one gram of all words when shorter);
    a repeated gram repeats its hash, which a MinHash ignores (so no set is made: that took 40% of the time).

    Each word is hashed once and a gram is the multiply-add of its words' hashes with fixed odd
    multipliers per position, all in numpy: far cheaper than a SHA-1 per gram, and the MinHash
    mixes every gram hash again (MurmurHash3 finalizer) before its permutations."""
    if size > len(_POSITION_MULTIPLIERS):
        raise ValueError(f"shingles of at most {len(_POSITION_MULTIPLIERS)} words")
    words = word_hashes(text)
    grams = max(1, len(words) - size + 1)
    combined = np.zeros(grams, dtype=np.uint64)
    for position in range(min(size, len(words))):
        combined += words[position : position + grams] * _POSITION_MULTIPLIERS[position]
    grams_hashed: np.ndarray = combined & np.uint64(0xFFFFFFFF)
    return grams_hashed


def minhash_values(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash of 32-bit hashes (repeats change nothing): what datasketch's ``MinHash(scheme="affine32",
    seed=1)`` holds after ``update_batch`` with an identity hash function, computed in one numpy pass."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hashes.astype(np.uint32)
    hv = (hv ^ (hv >> s1)) * m1
    hv = (hv ^ (hv >> s2)) * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations(num_perm)
    if not hv.size:
        return np.full(num_perm, 0xFFFFFFFF, np.uint32)
    permuted = np.multiply.outer(hv, a)
    permuted += b
    values: np.ndarray = permuted.min(axis=0)
    return values


def minhash_signature(text: str, settings: DedupSettings) -> tuple[int, ...]:
    """MinHash values of the word ``shingle_words``-grams of ``text``."""
    return tuple(minhash_values(shingle_hashes(text, settings.shingle_words), settings.num_perm).tolist())


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
