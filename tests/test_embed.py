from __future__ import annotations

import numpy as np

from newsfuse.assets import load_embedder
from newsfuse.stages.embed import embed_texts


def test_sparse_mean_matches_wordllama_embed() -> None:
    model = load_embedder()
    texts = ["Missiles hit an air base in Syria.", "", "A much longer text " * 40, "Zürich — “quoted” 12 km"]
    reference = np.asarray(model.embed(texts), dtype=np.float32)
    reference /= np.maximum(np.linalg.norm(reference, axis=1, keepdims=True), 1e-9)
    mine = embed_texts(texts, model)
    assert mine.shape == reference.shape == (4, model.embedding.shape[1])
    assert np.allclose(mine, reference, atol=1e-6)
    assert not mine[1].any()  # no tokens, no direction
    assert np.allclose(np.linalg.norm(mine[[0, 2, 3]], axis=1), 1.0, atol=1e-6)
