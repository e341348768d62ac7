"""The intent catalog and the embedded classifier (real MiniLM embedder: it is part of what is tested)."""

import pytest
from pydantic import ValidationError

from helpdesk.intents.classifier import CatalogClassifiers, SoftmaxIntentClassifier, catalog_examples
from helpdesk.intents.model import ASSISTANT_CATALOG, Intent, IntentAction, IntentCatalog


@pytest.fixture(scope="module")
def classifier() -> SoftmaxIntentClassifier:
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder

    texts, labels = catalog_examples(ASSISTANT_CATALOG)
    return SoftmaxIntentClassifier(OnnxMiniLmEmbedder()).fit(texts, labels)


@pytest.mark.parametrize(("text", "intent"), [
    ("Could you put me through to a real human being?", "handoff"),
    ("what's happening with my support case", "ticket_status"),
    ("I would like to file a complaint about my order", "create_ticket"),
    ("good afternoon!", "greeting"),
    ("How can I change the email address on my account?", "question"),
])
def test_unseen_paraphrases_get_the_right_intent_confidently(classifier: SoftmaxIntentClassifier, text: str,
                                                             intent: str) -> None:
    prediction = classifier.predict_one(text)
    assert prediction.intent == intent
    assert prediction.in_scope
    assert prediction.confidence >= 0.5


@pytest.mark.parametrize("text", ["The mitochondria is the powerhouse of the cell", "purple elephants dance at dawn"])
def test_messages_that_fit_no_intent_get_a_low_confidence(classifier: SoftmaxIntentClassifier, text: str) -> None:
    prediction = classifier.predict_one(text)
    assert not prediction.in_scope
    assert prediction.confidence < 0.45


def test_temperatures_and_typical_closeness_are_fitted_on_held_out_examples(
        classifier: SoftmaxIntentClassifier) -> None:
    assert classifier.temperature != 1.0
    assert classifier.lexical_temperature != 1.0
    assert 0 < classifier.typical_nearest < 1
    assert classifier.labels == sorted(i.name for i in ASSISTANT_CATALOG.intents)


def test_catalog_validation() -> None:
    with pytest.raises(ValidationError):
        IntentCatalog(intents=(Intent(name="a", description="", examples=("x",)),
                               Intent(name="a", description="", examples=("y",))))
    with pytest.raises(ValidationError):
        Intent(name="Bad Name", description="", examples=("x",))
    with pytest.raises(ValidationError):
        Intent(name="blank", description="", examples=("  ",))


def test_a_tenant_intent_adds_to_or_replaces_the_builtins() -> None:
    billing = Intent(name="billing_dispute", description="Disputes a charge", action=IntentAction.CREATE_TICKET,
                     examples=("I was charged for something I did not buy", "dispute this charge"))
    greeting = Intent(name="greeting", description="Hi", examples=("yo",), action=IntentAction.GREETING)
    catalog = ASSISTANT_CATALOG.with_intents([billing, greeting])
    assert catalog.action_of("billing_dispute") == IntentAction.CREATE_TICKET
    assert catalog.get("greeting") == greeting
    assert catalog.action_of("unknown") == IntentAction.ANSWER
    assert catalog.fingerprint != ASSISTANT_CATALOG.fingerprint


def test_classifiers_are_trained_once_per_catalog(classifier: SoftmaxIntentClassifier) -> None:
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder

    classifiers = CatalogClassifiers(OnnxMiniLmEmbedder(), min_confidence=0.45)
    first = classifiers.for_catalog(ASSISTANT_CATALOG)
    assert classifiers.for_catalog(ASSISTANT_CATALOG) is first


def test_fit_needs_matching_texts_and_labels() -> None:
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder

    with pytest.raises(ValueError):
        SoftmaxIntentClassifier(OnnxMiniLmEmbedder()).fit(["a"], [])
