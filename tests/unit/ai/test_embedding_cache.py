"""The embedding cache returns exactly the inner embedder's vectors and computes each text once."""

import numpy as np

from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder
from helpdesk.knowledge.embedding_cache import CachingEmbedder


def test_cached_vectors_equal_fresh_ones_and_repeats_are_not_recomputed() -> None:
    inner = OnnxMiniLmEmbedder()
    cache = CachingEmbedder(inner, max_entries=3)
    texts = ["reset my password", "export data", "reset my password"]

    first = cache.embed(texts)
    assert cache.misses == 2  # the repeated text is embedded once
    assert cache.hits == 0
    np.testing.assert_allclose(first, inner.embed(texts), atol=1e-6)

    again = cache.embed(["export data", "refunds"])
    assert cache.misses == 3
    assert cache.hits == 1
    np.testing.assert_allclose(again[0], first[1])


def test_least_recently_used_entries_are_evicted() -> None:
    cache = CachingEmbedder(OnnxMiniLmEmbedder(), max_entries=2)
    cache.embed(["a", "b"])
    cache.embed(["a"])  # "a" is now the most recent
    cache.embed(["c"])  # evicts "b"
    misses = cache.misses
    cache.embed(["a"])
    assert cache.misses == misses
    cache.embed(["b"])
    assert cache.misses == misses + 1
    assert cache.embed([]).shape == (0, 384)


def test_short_and_long_texts_are_embedded_in_separate_batches_with_the_same_vectors() -> None:
    """The answerability reader sends a question and section names beside whole passages: padding the short ones to
    the passages' length doubled its time per turn. Batches by length give every text the vector it gets alone."""
    import numpy as np

    from helpdesk.knowledge.adapters.onnx_minilm import _length_batches

    texts = ["reset password", "Reset your password: The email never arrived",
             "Check your spam folder and search for the reset email. " * 6, "Open Settings. " * 60]
    lengths = [len(t) for t in texts]
    assert _length_batches([0, 1, 2, 3], lengths, 32) == [[0, 1], [2], [3]]
    assert _length_batches([0, 1], lengths, 1) == [[0], [1]]
    embedder = OnnxMiniLmEmbedder()
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
