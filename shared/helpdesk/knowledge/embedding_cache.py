"""A bounded cache in front of the embedder: one chat turn embeds the same message for the classifier,
the retriever and the relevance check, and popular articles' passages come back turn after turn."""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.knowledge.ports import Embedder


class CachingEmbedder:
    """Implements `helpdesk.tickets.ports.Embedder`; least recently used texts are evicted first."""

    def __init__(self, inner: "Embedder", max_entries: int = 4096) -> None:
        self._inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self._max_entries = max_entries
        self._vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> "NDArray[np.float32]":
        import numpy as np

        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._vectors.get(text)
                if vector is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._vectors.move_to_end(text)
                    out[i] = vector
            self.hits += len(texts) - sum(len(v) for v in missing.values())
            self.misses += len(missing)
        if missing:
            computed = self._inner.embed(list(missing))
            with self._lock:
                for (text, rows), vector in zip(missing.items(), computed, strict=True):
                    out[rows] = vector
                    self._vectors[text] = vector
                while len(self._vectors) > self._max_entries:
                    self._vectors.popitem(last=False)
        return out

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
