"""The intent catalog (per tenant) and the embedded classifier trained from its examples.

The classifier is multinomial logistic regression on sentence embeddings (numpy, no extra package),
with its softmax temperature fitted on held-out examples so the confidence means what it says, and
out-of-scope detection from the similarity to the nearest training example: a message unlike every
example of the catalog gets a low confidence whatever the softmax says.
"""

import hashlib
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpdesk.assistant.ports import IntentPrediction

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from helpdesk.knowledge.ports import Embedder


class IntentAction(StrEnum):
    ANSWER = "answer"  # answer from the knowledge base
    CREATE_TICKET = "create_ticket"
    TICKET_STATUS = "ticket_status"
    HANDOFF = "handoff"
    GREETING = "greeting"
    CUSTOM = "custom"  # a tenant's own intent: handled like a question, its name recorded on the ticket


class Intent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(max_length=500)
    examples: tuple[str, ...] = Field(min_length=1, max_length=500)
    action: IntentAction = IntentAction.ANSWER

    @field_validator("examples")
    @classmethod
    def _non_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(e.strip() for e in value if e.strip())
        if not cleaned:
            raise ValueError("an intent needs at least one non-blank example")
        return cleaned


class IntentCatalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    intents: tuple[Intent, ...] = Field(min_length=1)

    @field_validator("intents")
    @classmethod
    def _unique(cls, value: tuple[Intent, ...]) -> tuple[Intent, ...]:
        names = [i.name for i in value]
        if len(names) != len(set(names)):
            raise ValueError("intent names must be unique")
        return value

    def get(self, name: str) -> Intent | None:
        return next((i for i in self.intents if i.name == name), None)

    def action_of(self, name: str) -> IntentAction:
        intent = self.get(name)
        return intent.action if intent else IntentAction.ANSWER

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def with_intents(self, extra: Sequence[Intent]) -> "IntentCatalog":
        """The built-ins plus a tenant's intents; a tenant intent replaces a built-in of the same name."""
        names = {i.name for i in extra}
        return IntentCatalog(intents=tuple(i for i in self.intents if i.name not in names) + tuple(extra))


BUILTIN_CATALOG = IntentCatalog(intents=(
    Intent(name="question", action=IntentAction.ANSWER,
           description="A question about the product, an account, billing or how to do something.",
           examples=(
               "How do I reset my password?", "What are your opening hours?", "Can I change my plan?",
               "How do I export my data to CSV?", "Why was I charged twice this month?",
               "Does the product support single sign-on?", "How can I add a user to my account?",
               "Where do I find my invoices?", "Is there a mobile app?", "How do I cancel my subscription?",
               "what payment methods do you accept", "how to change the email on my account",
               "Can I get a refund?", "How long does delivery take?", "my login does not work, what should I do",
               "How do I enable two-factor authentication?", "Is my data encrypted?",
           )),
    Intent(name="ticket_status", action=IntentAction.TICKET_STATUS,
           description="The user asks about the status or progress of an existing ticket or request.",
           examples=(
               "Where is my ticket T-000123?", "What's the status of my ticket?", "Any update on my request?",
               "Has my case been resolved yet?", "Check ticket T-000042 please", "status of T-001234",
               "Is anyone working on my issue?", "I opened a ticket yesterday, what is happening with it?",
               "when will my support request be answered", "track my ticket",
           )),
    Intent(name="handoff", action=IntentAction.HANDOFF,
           description="The user wants to talk to a human agent or person instead of the assistant.",
           examples=(
               "I want to talk to a human", "Can I speak to a real person?", "agent please",
               "Connect me with support staff", "Let me talk to someone", "get me a human",
               "I need to speak with a representative", "transfer me to an agent", "talk to a person",
               "This bot is not helping, I want a human", "human please", "operator",
           )),
    Intent(name="create_ticket", action=IntentAction.CREATE_TICKET,
           description="The user asks to open a ticket or to report a problem to the support team.",
           examples=(
               "Please open a ticket", "I want to report a problem", "Create a support ticket for me",
               "File a bug report", "log a complaint", "I'd like to submit a request",
               "Open a case for this issue", "raise a ticket", "report an issue with my order",
               "can you create a ticket", "new ticket",
           )),
    Intent(name="greeting", action=IntentAction.GREETING,
           description="Greetings, thanks and goodbyes with no request in them.",
           examples=(
               "hi", "hello", "good morning", "hey there", "thanks", "thank you very much", "bye",
               "goodbye", "thanks, that helped", "ok great", "good evening", "cheers",
           )),
))


# -- the embedded classifier ---------------------------------------------------------------------


class EmbeddedIntentClassifier:
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

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "EmbeddedIntentClassifier":
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
                                        in_scope=confidence >= self._min_confidence))
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
        self._trained: dict[str, EmbeddedIntentClassifier] = {}

    def for_catalog(self, catalog: IntentCatalog) -> EmbeddedIntentClassifier:
        key = catalog.fingerprint
        classifier = self._trained.get(key)
        if classifier is None:
            texts, labels = catalog_examples(catalog)
            classifier = EmbeddedIntentClassifier(self._embedder, min_confidence=self._min_confidence)
            classifier.fit(texts, labels)
            if len(self._trained) >= self._max_entries:
                self._trained.pop(next(iter(self._trained)))
            self._trained[key] = classifier
        return classifier


def catalog_to_json(catalog: IntentCatalog) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(catalog.model_dump_json())
    return data
