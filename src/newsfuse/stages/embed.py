"""Article embeddings for grouping: title plus a bounded lead, one vector each."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp
from tokenizers import Tokenizer

from newsfuse.models import Article

LEAD_CHARS = 2000


@cache
def _unpadded(model: Any) -> Tokenizer:
    """A copy of the model's tokenizer without padding (the model pads each batch to its longest text)."""
    tokenizer = Tokenizer.from_str(model.tokenizer.to_str())
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def embed_texts(texts: Sequence[str], model: Any) -> np.ndarray:
    """Unit-length float32 vectors (rows) for ``texts``: the mean of their tokens' vectors in a
    wordllama-style model (its ``embed`` up to float rounding), as one sparse product with the
    embedding table instead of a padded tokens x dimensions array per batch."""
    table: np.ndarray = model.embedding
    if not texts:
        return np.zeros((0, table.shape[1]), dtype=np.float32)
    encoded = _unpadded(model).encode_batch(list(texts), add_special_tokens=False)
    lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
    ids = np.fromiter(chain.from_iterable(e.ids for e in encoded), dtype=np.int64, count=int(lengths.sum()))
    np.clip(ids, 0, table.shape[0] - 1, out=ids)
    counts = sp.csr_matrix(
        (np.ones(len(ids), dtype=np.float32), ids, np.concatenate(([0], np.cumsum(lengths)))),
        shape=(len(texts), table.shape[0]),
    )
    vectors = np.asarray(counts @ table, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-9)
    return unit


def embed_articles(articles: Sequence[Article], model: Any) -> np.ndarray:
    """Unit-length float32 vectors (rows) for ``articles`` (title and lead)."""
    return embed_texts([f"{a.title}\n{a.text[:LEAD_CHARS]}" for a in articles], model)
