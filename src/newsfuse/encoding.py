"""The byte and JSON encodings of analyses and claims: one format for SQLite, the workers' wire
format and Parquet part files.

Workers send results back already encoded (bytes and JSON text pickle at a fraction of the cost
of the records), the store writes them as they are, and Parquet parts hold the same bytes.
"""

from __future__ import annotations

from array import array
from typing import Literal, NamedTuple

import numpy as np
from pydantic import TypeAdapter

from newsfuse.models import Analysis, Claim, Event, Extraction, Profile, SparseVector

_EXTRACTION = TypeAdapter(Extraction)
_CLAIM = TypeAdapter(Claim)


class EncodedAnalysis(NamedTuple):
    """An ``Analysis`` as stored: the values of the analyses table's columns, in order."""

    article_id: str
    produced_by: str
    extraction: str  # Extraction as JSON
    minhash: bytes  # uint32 per permutation
    embedding: bytes  # float32 per dimension
    profile: bytes  # see pack_profile


class EncodedClaim(NamedTuple):
    """A ``Claim`` as stored: the values of the claims table's columns, in order."""

    claim_id: str
    event_id: str
    kind: str
    status: str
    data: str  # Claim as JSON


class ReconciledEvent(NamedTuple):
    """An event with its representative day and place set, and its claims encoded (from a worker)."""

    event: Event
    claims: list[EncodedClaim]


ANALYSIS_COLUMNS = EncodedAnalysis._fields


def pack_profile(profile: Profile) -> bytes:
    """Profile as bytes: per vector a uint32 length, uint32 ids, float32 counts."""
    parts = []
    for vector in (profile.words, profile.names):
        parts.append(np.array([len(vector.ids)], dtype=np.uint32).tobytes())
        parts.append(np.asarray(vector.ids, dtype=np.uint32).tobytes())
        parts.append(np.asarray(vector.counts, dtype=np.float32).tobytes())
    return b"".join(parts)


def unpack_profile(blob: bytes) -> Profile:
    """The inverse of ``pack_profile``."""
    vectors = []
    offset = 0
    for _ in range(2):
        if offset + 4 > len(blob):
            vectors.append(SparseVector())
            continue
        size = int(np.frombuffer(blob, dtype=np.uint32, count=1, offset=offset)[0])
        ids = np.frombuffer(blob, dtype=np.uint32, count=size, offset=offset + 4)
        counts = np.frombuffer(blob, dtype=np.float32, count=size, offset=offset + 4 + 4 * size)
        vectors.append(SparseVector(array("I", ids.tobytes()), array("f", counts.tobytes())))
        offset += 4 + 8 * size
    return Profile(vectors[0], vectors[1])


VECTOR_TYPES = {"minhash": np.uint32, "embedding": np.float32}


def decode_vector(blob: bytes, column: Literal["minhash", "embedding"]) -> np.ndarray:
    """A stored MinHash signature or embedding as a numpy array (a view of the bytes)."""
    return np.frombuffer(blob, dtype=VECTOR_TYPES[column])


def encode_analysis(analysis: Analysis) -> EncodedAnalysis:
    return EncodedAnalysis(
        analysis.extraction.article_id,
        analysis.extraction.produced_by,
        _EXTRACTION.dump_json(analysis.extraction).decode(),
        np.asarray(analysis.minhash, dtype=VECTOR_TYPES["minhash"]).tobytes(),
        np.asarray(analysis.embedding, dtype=VECTOR_TYPES["embedding"]).tobytes(),
        pack_profile(analysis.profile),
    )


def decode_extraction(raw: str | bytes) -> Extraction:
    """An extraction from its stored JSON."""
    return _EXTRACTION.validate_json(raw)


def decode_analysis(row: EncodedAnalysis) -> Analysis:
    """The inverse of ``encode_analysis``."""
    return Analysis(
        decode_extraction(row.extraction),
        tuple(int(v) for v in decode_vector(row.minhash, "minhash")),
        tuple(float(v) for v in decode_vector(row.embedding, "embedding")),
        unpack_profile(row.profile),
    )


def encode_claim(claim: Claim) -> EncodedClaim:
    return EncodedClaim(claim.claim_id, claim.event_id, claim.kind, claim.status, _CLAIM.dump_json(claim).decode())


def decode_claim(data: str | bytes) -> Claim:
    """A claim from its stored JSON (``EncodedClaim.data``)."""
    return _CLAIM.validate_json(data)
