"""The embedded multilingual embedder: pinned files, one vector space across languages."""

from pathlib import Path

import pytest

from helpdesk.knowledge.adapters.use_multilingual import (
    DIMENSION,
    FILE_SHA256,
    ModelFilesChanged,
    ModelFilesMissing,
    UseMultilingualEmbedder,
    model_folder,
    verify_files,
)


@pytest.fixture(scope="module")
def embedder() -> UseMultilingualEmbedder:
    return UseMultilingualEmbedder()


def test_the_packaged_files_are_the_pinned_ones() -> None:
    folder = model_folder()
    verify_files(folder)  # raises on any difference
    assert sorted(p.name for p in folder.iterdir() if p.name in FILE_SHA256) == sorted(FILE_SHA256)


def test_a_changed_or_missing_file_is_refused(tmp_path: Path) -> None:
    real = model_folder()
    (tmp_path / "sp.model").symlink_to(real / "sp.model")
    with pytest.raises(ModelFilesMissing):
        UseMultilingualEmbedder(model_dir=tmp_path).embed(["x"])
    (tmp_path / "weights.npz").write_bytes(b"not the weights")
    with pytest.raises(ModelFilesChanged):
        UseMultilingualEmbedder(model_dir=tmp_path).embed(["x"])


def test_a_question_in_another_language_is_closest_to_its_english_answer(embedder: UseMultilingualEmbedder) -> None:
    english = ["How to reset your password when you forgot it", "Download an invoice as a PDF",
               "Cancel your subscription"]
    questions = ["Ich habe mein Passwort vergessen", "¿Dónde descargo mi factura?", "Comment annuler mon abonnement ?"]
    vectors = embedder.embed(english + questions)
    assert vectors.shape == (6, DIMENSION)
    sims = vectors[3:] @ vectors[:3].T
    assert [int(row.argmax()) for row in sims] == [0, 1, 2]


def test_vectors_are_unit_length_and_empty_input_is_fine(embedder: UseMultilingualEmbedder) -> None:
    import numpy as np

    vectors = embedder.embed(["", "a" * 10_000, "emoji only 🙂🙂"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.embed([]).shape == (0, DIMENSION)
