"""The intent classifiers, trained from a catalog's examples on sentence embeddings.

- `SoftmaxIntentClassifier` (the chat assistant's, per tenant catalog through `CatalogClassifiers`):
  multinomial logistic regression (numpy, no extra package), with its softmax temperature fitted on
  held-out examples so the confidence means what it says, and out-of-scope detection from the similarity
  to the nearest training example: a message unlike every example of the catalog gets a low confidence
  whatever the softmax says.
- `NearestExampleIntentClassifier` (triage's): the mean cosine of the best k examples of each intent,
  softmax over intents, and the category chosen on its intents' summed probability.
"""

from collections.abc import Sequence
from functools import cached_property
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


# -- softmax regression -----------------------------------------------------------------------------


class SoftmaxIntentClassifier:
    """Fit on (text, label) pairs, predict a label with a calibrated confidence and an in-scope flag."""

    def __init__(self, embedder: "Embedder", *, l2: float = 1e-3, epochs: int = 300,
                 scope_low: float = 0.30, scope_high: float = 0.55, min_confidence: float = 0.45,
                 oos_quantile: float = 0.05) -> None:
        self._embedder = embedder
        self._l2, self._epochs = l2, epochs
        # Nearest-example cosine below `scope_low` is out of scope; above `scope_high` fully in scope.
        self._scope_low, self._scope_high = scope_low, scope_high
        self._min_confidence = min_confidence
        self._oos_quantile = oos_quantile
        self.labels: list[str] = []
        self.temperature = 1.0
        self.scope_threshold: float | None = None  # on p_max * nearest similarity, fitted on held-out examples
        self._weights: Any = None
        self._bias: Any = None
        self._examples: Any = None
        self._example_labels: Any = None

    # -- training ---------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "SoftmaxIntentClassifier":
        import numpy as np

        if len(texts) != len(labels) or not texts:
            raise ValueError("need as many labels as texts, and at least one of each")
        self.labels = sorted(set(labels))
        y = np.array([self.labels.index(label) for label in labels])
        x = self._embedder.embed(list(texts))
        held_out = _held_out_mask(y, len(self.labels))
        if held_out.any():
            # Calibrate on examples the model did not see: fit without the held-out examples, pick the
            # temperature that minimises their negative log-likelihood, and set the out-of-scope threshold
            # so that only `oos_quantile` of them would be rejected. Then refit on everything.
            w, b = self._train(x[~held_out], y[~held_out])
            xh = x[held_out].astype(np.float64)
            self.temperature = _best_temperature(xh @ w + b, y[held_out])
            p_max = _softmax((xh @ w + b) / self.temperature).max(axis=1)
            nearest = (xh @ x[~held_out].T.astype(np.float64)).max(axis=1)
            self.scope_threshold = float(np.quantile(p_max * nearest, self._oos_quantile))
        self._weights, self._bias = self._train(x, y)
        self._examples, self._example_labels = x, y
        return self

    def _train(self, x: "NDArray[np.float32]", y: "NDArray[Any]") -> tuple[Any, Any]:
        """Softmax regression by full-batch gradient descent with Adam; the data is small and dense."""
        import numpy as np

        n, d = x.shape
        k = len(self.labels)
        onehot = np.eye(k, dtype=np.float64)[y]
        xd = x.astype(np.float64)
        w = np.zeros((d, k))
        b = np.zeros(k)
        m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
        lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
        for step in range(1, self._epochs + 1):
            probs = _softmax(xd @ w + b)
            grad_logits = (probs - onehot) / n
            g_w = xd.T @ grad_logits + self._l2 * w
            g_b = grad_logits.sum(axis=0)
            m_w = beta1 * m_w + (1 - beta1) * g_w
            v_w = beta2 * v_w + (1 - beta2) * g_w**2
            m_b = beta1 * m_b + (1 - beta1) * g_b
            v_b = beta2 * v_b + (1 - beta2) * g_b**2
            correction1, correction2 = 1 - beta1**step, 1 - beta2**step
            w -= lr * (m_w / correction1) / (np.sqrt(v_w / correction2) + eps)
            b -= lr * (m_b / correction1) / (np.sqrt(v_b / correction2) + eps)
        return w, b

    # -- prediction -------------------------------------------------------------------------

    def predict(self, texts: Sequence[str]) -> list[IntentPrediction]:
        import numpy as np

        if self._weights is None:
            raise RuntimeError("fit the classifier first")
        if not texts:
            return []
        x = self._embedder.embed(list(texts)).astype(np.float64)
        probs = _softmax((x @ self._weights + self._bias) / self.temperature)
        best = probs.argmax(axis=1)
        nearest = (x @ self._examples.T.astype(np.float64)).max(axis=1)
        ramp = np.clip((nearest - self._scope_low) / (self._scope_high - self._scope_low), 0.0, 1.0)
        out = []
        for i, label_index in enumerate(best):
            p_max = float(probs[i, label_index])
            confidence = p_max * float(ramp[i])
            score = p_max * float(nearest[i])
            if self.scope_threshold is not None and score < self.scope_threshold:
                # Less typical than nearly all held-out examples of the catalog: out of scope, low confidence.
                confidence = min(confidence, 0.99 * self._min_confidence * score / self.scope_threshold)
            out.append(IntentPrediction(intent=self.labels[int(label_index)], confidence=round(confidence, 4),
                                        in_scope=confidence >= self._min_confidence, method=SOFTMAX_METHOD))
        return out

    def predict_one(self, text: str) -> IntentPrediction:
        return self.predict([text])[0]


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
    """Trained classifiers by catalog fingerprint: a Lambda container trains each tenant's once."""

    def __init__(self, embedder: "Embedder", min_confidence: float, max_entries: int = 32) -> None:
        self._embedder = embedder
        self._min_confidence = min_confidence
        self._max_entries = max_entries
        self._trained: dict[str, SoftmaxIntentClassifier] = {}

    def for_catalog(self, catalog: IntentCatalog) -> SoftmaxIntentClassifier:
        key = catalog.fingerprint
        classifier = self._trained.get(key)
        if classifier is None:
            texts, labels = catalog_examples(catalog)
            classifier = SoftmaxIntentClassifier(self._embedder, min_confidence=self._min_confidence)
            classifier.fit(texts, labels)
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
