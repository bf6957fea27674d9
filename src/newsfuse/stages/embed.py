"""Article embeddings for grouping: title plus a bounded lead, one vector each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from newsfuse.models import Article

LEAD_CHARS = 2000


def embed_articles(articles: Sequence[Article], model: Any) -> np.ndarray:
    """Unit-length float32 vectors (rows) for ``articles`` from a wordllama-style model."""
    if not articles:
        return np.zeros((0, 0), dtype=np.float32)
    texts = [f"{a.title}\n{a.text[:LEAD_CHARS]}" for a in articles]
    vectors = np.asarray(model.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-9)
    return unit
