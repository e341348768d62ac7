"""Intents are classified on the multilingual embedder's and MiniLM's vectors side by side where MiniLM is installed
beside it (real USE and MiniLM: they are what is tested); triage's nearest examples keep the embedder alone."""

import numpy as np
import pytest

from helpdesk.bootstrap import build, make_embedder, make_intent_embedder
from helpdesk.intents.embedding import ConcatenatedEmbedder, intent_embedder
from helpdesk.intents.model import ASSISTANT_CATALOG
from helpdesk.settings import KnowledgeSection, Settings

TEXTS = ["How do I reset my password?", "Wie setze ich mein Passwort zurück?", "Where is my parcel?"]


def test_the_joined_vector_is_a_unit_vector_whose_cosine_is_the_mean_of_the_two() -> None:
    use, minilm = make_embedder(KnowledgeSection(embedder="use")), make_embedder(KnowledgeSection(embedder="onnx"))
    joined = ConcatenatedEmbedder(use, minilm)
    vectors = joined.embed(TEXTS)
    assert vectors.shape == (3, use.dimension + minilm.dimension) == (3, joined.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    a, b = use.embed(TEXTS), minilm.embed(TEXTS)
    assert float(vectors[0] @ vectors[1]) == pytest.approx((float(a[0] @ a[1]) + float(b[0] @ b[1])) / 2, abs=1e-5)
    assert joined.model_id == f"{use.model_id}+{minilm.model_id}"
    assert intent_embedder(use, None) is use  # no reader installed: the embedder alone


def test_the_evaluation_commands_and_the_container_classify_intents_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "use")
    settings = Settings.from_env()
    container = build(settings)
    expected = make_intent_embedder(settings.knowledge).model_id
    assert expected == f"{container.embedder.model_id}+{container.reader.model_id}"  # type: ignore[union-attr]
    classifiers = container.intent_classifiers
    softmax = classifiers.for_catalog(ASSISTANT_CATALOG)
    assert softmax.embedder_id == expected
    assert classifiers.nearest(ASSISTANT_CATALOG).embedder_id == container.embedder.model_id  # triage's thresholds


def test_containers_on_the_same_embedders_share_what_a_catalog_trained_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """A local stack builds a container per function, tests one per test: each trained the chat's catalog again."""
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "use")
    settings = Settings.from_env()
    first, second = build(settings), build(settings)
    assert first.intent_classifiers.for_catalog(ASSISTANT_CATALOG) is second.intent_classifiers.for_catalog(
        ASSISTANT_CATALOG)
    stricter = build(settings.model_copy(update={"ai": settings.ai.model_copy(update={"intent_min_confidence": 0.9})}))
    assert stricter.intent_classifiers is not first.intent_classifiers  # trained with its own threshold
    minilm = build(settings, embedder=make_embedder(KnowledgeSection(embedder="onnx")))
    assert minilm.intent_classifiers is not first.intent_classifiers  # other vectors: trained anew


@pytest.mark.parametrize(("text", "intent"), [
    ("Could you put me through to a real human being?", "handoff"),
    ("Ich möchte bitte mit einem Menschen sprechen", "handoff"),
    ("¿Puedo hablar con una persona de verdad?", "handoff"),
    ("Bonjour !", "greeting"),
    ("Como altero o e-mail da minha conta?", "question"),
    ("what's happening with my support case", "ticket_status"),
])
def test_messages_in_the_five_languages_get_their_intent_on_the_joined_vectors(text: str, intent: str) -> None:
    from helpdesk.intents.classifier import SoftmaxIntentClassifier, catalog_examples

    texts, labels = catalog_examples(ASSISTANT_CATALOG)
    classifier = SoftmaxIntentClassifier(make_intent_embedder(KnowledgeSection(embedder="use"))).fit(texts, labels)
    prediction = classifier.predict_one(text)
    assert (prediction.intent, prediction.in_scope) == (intent, True)
