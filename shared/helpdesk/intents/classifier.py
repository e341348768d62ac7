"""The intent classifiers, trained from a catalog's examples on sentence embeddings.

- `SoftmaxIntentClassifier` (the chat assistant's, per tenant catalog through `CatalogClassifiers`):
  multinomial logistic regression (numpy, no extra package), with its softmax temperature fitted on
  held-out examples so the confidence means what it says, and out-of-scope detection from the similarity
  to the nearest training example: a message unlike every example of the catalog gets a low confidence
  whatever the softmax says.
- `NearestExampleIntentClassifier` (triage's): the mean cosine of the best k examples of each intent,
  softmax over intents, and the category chosen on its intents' summed probability.
"""

import re
from collections.abc import Callable, Sequence
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from helpdesk.intents.model import IntentCatalog, IntentPrediction

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.knowledge.ports import Embedder

SOFTMAX_METHOD = "embedded:softmax-regression"
NEAREST_EXAMPLE_METHOD = "embedded:knn-seed-examples"
NEAREST_TEMPERATURE = 0.03  # cosine gaps between intents are small; a low temperature makes them decisive
NEIGHBOURS = 2  # mean of the best k examples of an intent
DEFAULT_MIN_CONFIDENCE = 0.45


# -- softmax regression -----------------------------------------------------------------------------


class SoftmaxIntentClassifier:
    """Fit on (text, label) pairs, predict a label with a calibrated confidence and an in-scope flag.

    Two softmax regressions vote: one on sentence embeddings (meaning, any language the embedder knows), one on
    TF-IDF word and word-pair features (`LexicalFeatures`: exact product words, codes); their probabilities
    are mixed `1 - lexical_weight : lexical_weight`, each with its temperature fitted on held-out examples.
    The confidence is the mixed probability of the best intent times how typical the message is: its cosine
    to the nearest training example relative to the median held-out example's, capped at 1. A message unlike
    every example (out of scope) gets a low confidence whatever the softmax says. Measured on CLINC150 in
    NOTES.md ("AI that earns trust").
    """

    def __init__(self, embedder: "Embedder", *, l2_scale: float = 0.1, epochs: int = 300,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, lexical_weight: float = 0.3) -> None:
        self._embedder = embedder
        # L2 strength per example: strong for a catalog of a few examples per intent, weak for thousands.
        self._l2_scale, self._epochs = l2_scale, epochs
        self.min_confidence = min_confidence
        self._lexical_weight = lexical_weight
        self.labels: list[str] = []
        self.temperature = 1.0
        self.lexical_temperature = 1.0
        self.typical_nearest = 1.0  # median nearest-example cosine of held-out examples
        self._weights: Any = None
        self._bias: Any = None
        self._lexical: LexicalFeatures | None = None
        self._lexical_weights: Any = None
        self._lexical_bias: Any = None
        self._examples: Any = None

    @property
    def embedder_id(self) -> str:
        """The model whose vectors it classifies on."""
        return self._embedder.model_id

    # -- training ---------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "SoftmaxIntentClassifier":
        import numpy as np

        if len(texts) != len(labels) or not texts:
            raise ValueError("need as many labels as texts, and at least one of each")
        self.labels = sorted(set(labels))
        index = {label: i for i, label in enumerate(self.labels)}
        y = np.array([index[label] for label in labels])
        x = self._embedder.embed(list(texts)).astype(np.float32)
        held_out = _held_out_mask(y, len(self.labels))
        if held_out.any():
            # Calibrate on examples the models did not see: fit without the held-out examples, pick each
            # model's temperature by the held-out negative log-likelihood, and measure how close a held-out
            # example typically is to its nearest training example. Then refit on everything.
            keep = ~held_out
            w, b = self._train(x[keep], y[keep])
            self.temperature = _best_temperature(x[held_out].astype(np.float64) @ w + b, y[held_out])
            kept_texts = [t for t, k in zip(texts, keep, strict=True) if k]
            held_texts = [t for t, h in zip(texts, held_out, strict=True) if h]
            lexical = LexicalFeatures().fit(kept_texts)
            lw, lb = self._train_sparse(lexical.transform(kept_texts), y[keep])
            self.lexical_temperature = _best_temperature(lexical.transform(held_texts).dot(lw) + lb, y[held_out])
            nearest = _max_cosine(x[held_out], x[keep])
            self.typical_nearest = max(float(np.median(nearest)), 1e-3)
        self._weights, self._bias = self._train(x, y)
        self._lexical = LexicalFeatures().fit(list(texts))
        self._lexical_weights, self._lexical_bias = self._train_sparse(self._lexical.transform(list(texts)), y)
        self._examples = x
        return self

    def _train(self, x: "NDArray[np.float32]", y: "NDArray[Any]") -> tuple[Any, Any]:
        import numpy as np

        x64 = x.astype(np.float64)  # once: `x @ w` with float64 weights cast x again at every step of training
        return _adam_softmax(lambda w: x64 @ w, lambda g: x64.T @ g, x.shape[1], y, len(self.labels),
                             self._l2_scale / len(y), self._epochs)

    def _train_sparse(self, x: "SparseRows", y: "NDArray[Any]") -> tuple[Any, Any]:
        return _adam_softmax(x.dot, x.tdot, x.columns, y, len(self.labels), self._l2_scale / len(y), self._epochs)

    # -- prediction -------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str]) -> tuple[Any, Any]:
        """(mixed class probabilities, nearest-example cosine) per text."""
        import numpy as np

        if self._weights is None or self._lexical is None:
            raise RuntimeError("fit the classifier first")
        x = self._embedder.embed(list(texts)).astype(np.float32)
        probs = _softmax((x @ self._weights + self._bias) / self.temperature)
        lexical = _softmax((self._lexical.transform(list(texts)).dot(self._lexical_weights) + self._lexical_bias)
                           / self.lexical_temperature)
        mixed = (1 - self._lexical_weight) * probs + self._lexical_weight * lexical
        return mixed, _max_cosine(x, self._examples)

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        import numpy as np

        if not texts:
            return []
        probs, nearest = self.probabilities(texts)
        best = probs.argmax(axis=1)
        typical = np.clip(nearest / self.typical_nearest, 0.0, 1.0)
        out = []
        for i, label_index in enumerate(best):
            confidence = float(probs[i, label_index]) * float(typical[i])
            out.append(IntentPrediction(intent=self.labels[int(label_index)], confidence=round(confidence, 4),
                                        in_scope=confidence >= self.min_confidence, method=SOFTMAX_METHOD))
        return out

    def predict_one(self, text: str) -> IntentPrediction:
        return self.predict([text])[0]


class SparseRows:
    """A CSR matrix in numpy (rows of (column, value) pairs): what the lexical model needs, without scipy.

    Its products go a block at a time: each block's (non-zeros x classes) array stays small enough for the CPU's
    caches, which made training on CLINC150 about three times faster than one array of every non-zero. Each row's
    (each column's) terms are still summed in the same order, so the results are the same to the bit."""

    ROWS_PER_BLOCK = 128  # `dot`: rows whose products are summed together (measured: 128-512 alike, 2048 slower)
    NONZEROS_PER_BLOCK = 2048  # `tdot`: about this many non-zeros per block of whole columns

    def __init__(self, indptr: Any, indices: Any, data: Any, columns: int) -> None:
        import numpy as np

        self.indptr, self.indices, self.data, self.columns = indptr, indices, data, columns
        self.rows = len(indptr) - 1
        row_of = np.repeat(np.arange(self.rows), np.diff(indptr))
        order = np.argsort(indices, kind="stable")  # the non-zeros grouped by column, for the transpose
        by_column = indices[order]
        self._rows_by_column = row_of[order]
        self._data_by_column = data[order]
        self._column_starts = (np.flatnonzero(np.r_[True, by_column[1:] != by_column[:-1]]) if by_column.size
                               else by_column)
        self._columns_present = by_column[self._column_starts] if by_column.size else by_column
        # Blocks of whole columns for `tdot`: (first, end) indices into `_column_starts`
        ends = np.searchsorted(self._column_starts, np.arange(self.NONZEROS_PER_BLOCK, by_column.size,
                                                              self.NONZEROS_PER_BLOCK))
        cuts = np.unique(np.r_[0, ends, len(self._column_starts)])
        self._column_blocks = list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))

    def dot(self, w: Any) -> Any:
        """self @ w for a dense (columns, k) w."""
        import numpy as np

        out = np.zeros((self.rows, w.shape[1]), dtype=np.float32)
        w32, indptr = w.astype(np.float32), self.indptr  # float32: the product array is a training step's biggest
        for first in range(0, self.rows, self.ROWS_PER_BLOCK):
            end = min(self.rows, first + self.ROWS_PER_BLOCK)
            lo, hi = indptr[first], indptr[end]
            filled = np.flatnonzero(np.diff(indptr[first:end + 1]))  # rows with a term, contiguous in CSR
            if filled.size:
                products = w32[self.indices[lo:hi]] * self.data[lo:hi, None]
                out[first + filled] = np.add.reduceat(products, indptr[first + filled] - lo, axis=0)
        return out

    def tdot(self, g: Any) -> Any:
        """self.T @ g for a dense (rows, k) g."""
        import numpy as np

        out = np.zeros((self.columns, g.shape[1]), dtype=np.float32)
        g32, starts, total = g.astype(np.float32), self._column_starts, self._rows_by_column.size
        for first, end in self._column_blocks:
            lo, hi = starts[first], starts[end] if end < len(starts) else total
            products = g32[self._rows_by_column[lo:hi]] * self._data_by_column[lo:hi, None]
            out[self._columns_present[first:end]] = np.add.reduceat(products, starts[first:end] - lo, axis=0)
        return out


_TOKEN = re.compile(r"\w+", re.UNICODE)


class LexicalFeatures:
    """TF-IDF over words and word pairs (sublinear term frequency, smoothed idf, L2-normalised rows), the
    vocabulary taken from the training texts: the usual strong lexical baseline, in numpy."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self.idf: Any = None

    @staticmethod
    def terms(text: str) -> list[str]:
        words = _TOKEN.findall(text.lower())
        return words + [f"{a} {b}" for a, b in pairwise(words)]

    def fit(self, texts: Sequence[str]) -> "LexicalFeatures":
        import numpy as np

        df: dict[str, int] = {}
        for text in texts:
            for term in set(self.terms(text)):
                df[term] = df.get(term, 0) + 1
        self.vocabulary = {term: i for i, term in enumerate(sorted(df))}
        counts = np.array([df[t] for t in sorted(df)], dtype=np.float64)
        self.idf = np.log((1 + len(texts)) / (1 + counts)) + 1.0
        return self

    def transform(self, texts: Sequence[str]) -> SparseRows:
        import numpy as np

        indptr, indices, data = [0], [], []
        for text in texts:
            tf: dict[int, int] = {}
            for term in self.terms(text):
                column = self.vocabulary.get(term)
                if column is not None:
                    tf[column] = tf.get(column, 0) + 1
            columns = np.fromiter(tf, dtype=np.int64, count=len(tf))
            values = (1.0 + np.log(np.fromiter(tf.values(), dtype=np.float64, count=len(tf)))) * self.idf[columns]
            norm = float(np.sqrt((values ** 2).sum())) or 1.0
            indices.append(columns)
            data.append((values / norm).astype(np.float32))
            indptr.append(indptr[-1] + len(tf))
        return SparseRows(np.array(indptr), np.concatenate(indices) if indices else np.zeros(0, np.int64),
                          np.concatenate(data) if data else np.zeros(0, np.float32), max(len(self.vocabulary), 1))


def _adam_softmax(forward: Callable[[Any], Any], backward: Callable[[Any], Any], dimension: int, y: Any,
                  classes: int, l2: float, epochs: int) -> tuple[Any, Any]:
    """Softmax regression by full-batch gradient descent with Adam; the data is small, or sparse."""
    import numpy as np

    n = len(y)
    onehot = np.eye(classes, dtype=np.float64)[y]
    w = np.zeros((dimension, classes))
    b = np.zeros(classes)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    step_w = np.empty_like(w)  # the weights' update, computed in place: w is (terms x classes), large when sparse
    for step in range(1, epochs + 1):
        probs = _softmax(forward(w) + b)
        grad_logits = (probs - onehot) / n
        g_w = backward(grad_logits) + l2 * w
        g_b = grad_logits.sum(axis=0)
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        # Adam on w without a new array per operation: the same operations in the same order, so the same bits.
        m_w *= beta1
        m_w += (1 - beta1) * g_w
        v_w *= beta2
        np.square(g_w, out=g_w)
        g_w *= 1 - beta2
        v_w += g_w
        np.divide(v_w, correction2, out=step_w)
        np.sqrt(step_w, out=step_w)
        step_w += eps
        np.divide(m_w, correction1, out=g_w)
        g_w *= lr
        g_w /= step_w
        w -= g_w
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b**2
        b -= lr * (m_b / correction1) / (np.sqrt(v_b / correction2) + eps)
    return w, b


def _max_cosine(x: Any, examples: Any, block: int = 2048) -> Any:
    """Each row's best cosine to `examples` (rows L2-normalised), in blocks to bound memory."""
    import numpy as np

    out = np.empty(len(x), dtype=np.float64)
    for start in range(0, len(x), block):
        out[start:start + block] = (x[start:start + block] @ examples.T).max(axis=1)
    return out


def _softmax(logits: Any) -> Any:
    import numpy as np

    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def _held_out_mask(y: Any, classes: int) -> Any:
    """Every 5th example of each class with at least 5 examples; deterministic, stratified."""
    import numpy as np

    mask = np.zeros(len(y), dtype=bool)
    for c in range(classes):
        idx = np.flatnonzero(y == c)
        if len(idx) >= 5:
            mask[idx[4::5]] = True
    return mask


def _best_temperature(logits: Any, y: Any) -> float:
    import numpy as np

    best_t, best_nll = 1.0, float("inf")
    for t in np.geomspace(0.05, 5.0, 60):
        probs = _softmax(logits / t)
        nll = float(-np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, None)).mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def catalog_examples(catalog: IntentCatalog) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for intent in catalog.intents:
        texts += intent.examples
        labels += [intent.name] * len(intent.examples)
    return texts, labels


class CatalogClassifiers:
    """Trained classifiers by catalog fingerprint: a Lambda container trains each tenant's once (the chat
    assistant's softmax regressions, triage's nearest-example classifiers over each tenant's categories).
    `intent_embedder`: the softmax regressions' (`intents.embedding.intent_embedder`; default `embedder`); triage's
    nearest examples keep `embedder`, whose cosines its auto-apply thresholds were calibrated on."""

    def __init__(self, embedder: "Embedder", min_confidence: float, max_entries: int = 32, *,
                 intent_embedder: "Embedder | None" = None) -> None:
        self._embedder = embedder
        self._intent_embedder = intent_embedder or embedder
        self._min_confidence = min_confidence
        self._max_entries = max_entries
        self._trained: dict[str, SoftmaxIntentClassifier | NearestExampleIntentClassifier] = {}

    def for_catalog(self, catalog: IntentCatalog) -> SoftmaxIntentClassifier:
        def train() -> SoftmaxIntentClassifier:
            texts, labels = catalog_examples(catalog)
            classifier = SoftmaxIntentClassifier(self._intent_embedder, min_confidence=self._min_confidence)
            return classifier.fit(texts, labels)

        classifier = self._cached(f"softmax:{catalog.fingerprint}", train)
        assert isinstance(classifier, SoftmaxIntentClassifier)
        return classifier

    def nearest(self, catalog: IntentCatalog) -> "NearestExampleIntentClassifier":
        """Triage's classifier over a routing catalog (every intent has a category); its examples are embedded
        on first use and kept while the catalog stays the same."""
        classifier = self._cached(f"nearest:{catalog.fingerprint}",
                                  lambda: NearestExampleIntentClassifier(self._embedder, catalog))
        assert isinstance(classifier, NearestExampleIntentClassifier)
        return classifier

    def _cached(self, key: str, make: "Callable[[], SoftmaxIntentClassifier | NearestExampleIntentClassifier]"
                ) -> "SoftmaxIntentClassifier | NearestExampleIntentClassifier":
        classifier = self._trained.get(key)
        if classifier is None:
            classifier = make()
            if len(self._trained) >= self._max_entries:
                self._trained.pop(next(iter(self._trained)))
            self._trained[key] = classifier
        return classifier


# -- nearest examples ---------------------------------------------------------------------------


class NearestExampleIntentClassifier:
    """k-nearest examples in embedding space, over a catalog whose intents have categories. `examples`
    defaults to the catalog's; the bench passes a bigger labelled set to measure the same code with more data."""

    def __init__(self, embedder: "Embedder", catalog: IntentCatalog,
                 examples: Sequence[tuple[str, str]] | None = None) -> None:
        self._embedder = embedder
        self.catalog = catalog
        self._examples = list(examples) if examples is not None else [
            (text, intent.name) for intent in catalog.intents for text in intent.examples
        ]

    @property
    def embedder_id(self) -> str:
        """The model whose vectors it classifies on."""
        return self._embedder.model_id

    @cached_property
    def _matrix(self) -> tuple["NDArray[np.float32]", list[str]]:
        vectors = self._embedder.embed([text for text, _ in self._examples])
        return vectors, [intent for _, intent in self._examples]

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        import numpy as np

        if not texts:
            return []
        matrix, labels = self._matrix
        queries = self._embedder.embed(list(texts))
        sims = queries @ matrix.T  # rows are L2-normalised: cosine similarity
        intents = sorted(set(labels))
        label_idx = np.array([intents.index(label) for label in labels])
        out: list[IntentPrediction] = []
        for row in sims:
            scores = np.empty(len(intents), dtype=np.float64)
            for i in range(len(intents)):
                mine = np.sort(row[label_idx == i])[::-1][:NEIGHBOURS]
                scores[i] = float(mine.mean())
            logits = (scores - scores.max()) / NEAREST_TEMPERATURE
            probs = np.exp(logits) / np.exp(logits).sum()
            order = np.argsort(-probs)[:3]
            best = intents[int(order[0])]
            # The category is chosen on its intents' summed probability: near-tie intents of one
            # category (get_refund vs track_refund) still make a confident category.
            by_category: dict[str, float] = {}
            for i, intent in enumerate(intents):
                category = self.catalog.category_of(intent)
                by_category[category] = by_category.get(category, 0.0) + float(probs[i])
            category = max(by_category, key=lambda c: by_category[c])
            if self.catalog.category_of(best) != category:
                best = max((i for i in intents if self.catalog.category_of(i) == category),
                           key=lambda i: float(probs[intents.index(i)]))
            # A text unlike every example (best cosine low) is not confidently anything.
            closeness = min(1.0, max(0.0, (float(scores.max()) - 0.2) / 0.3))
            out.append(IntentPrediction(
                intent=best, category=category,
                confidence=round(float(probs[intents.index(best)]) * closeness, 3),
                category_confidence=round(by_category[category] * closeness, 3),
                ranking=[(intents[int(j)], round(float(probs[j]), 3)) for j in order],
                method=NEAREST_EXAMPLE_METHOD,
            ))
        return out
