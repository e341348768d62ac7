"""The chat with the default (multilingual) embedder: a question in German or Spanish finds the English
article, and the offline answer says in the customer's language where the answer is, quoting the article."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import rebuild
from tests.integration.chat.conftest import FIXTURES, TENANT, ChatClient, offline_multilingual_chat


@pytest.fixture(scope="module")
def multilingual_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
    from helpdesk.settings import KnowledgeSection

    root = tmp_path_factory.mktemp("kb-multilingual")
    embedder = make_embedder(KnowledgeSection(embedder="use"))
    index = EmbeddedIndex(root / embedder.model_id, dimension=embedder.dimension)
    ArticleIndexer(index, embedder).index_many(
        IndexableArticle(tenant_id=TENANT, article_id=a["article_id"], version=1, title=a["title"], body=a["body"])
        for a in json.loads((FIXTURES / "kb.json").read_text()))
    return root


@pytest.fixture
def chat_use(aws: None, multilingual_kb: Path, monkeypatch: pytest.MonkeyPatch,
             invoke: Callable[..., dict[str, Any]]) -> Iterator[ChatClient]:
    offline_multilingual_chat(monkeypatch, multilingual_kb)
    rebuild()
    yield ChatClient(invoke)
    rebuild()


@pytest.mark.parametrize(("question", "article", "lead"), [
    ("¿Cómo restablezco mi contraseña?", "kb-reset-password", "La respuesta está en el artículo «Reset your password»"),
    ("Wie aktiviere ich die Zwei-Faktor-Authentifizierung?", "kb-two-factor",
     "Die Antwort steht im Artikel „Turn on two-factor authentication“"),
    ("How do I reset my password?", "kb-reset-password", "From “Reset your password”"),
])
def test_a_question_in_another_language_gets_the_english_article_cited(
        chat_use: ChatClient, question: str, article: str, lead: str) -> None:
    reply = chat_use.say(chat_use.start(), question)

    assert [c["article_id"] for c in reply["citations"]] == [article], reply
    assert reply["reply"].startswith(lead), reply["reply"]


def test_an_unrelated_question_in_spanish_is_not_answered(chat_use: ChatClient) -> None:
    reply = chat_use.say(chat_use.start(), "¿Cuál es la capital de Australia?")

    assert reply["citations"] == []
    assert "offer_ticket" in reply["actions"]


@pytest.mark.parametrize(("question", "article", "quoted", "not_quoted"), [
    # "Import from another tool" is the shortest section of "Export your data": with the title every section
    # shares, it looked most like the question and was quoted; the reader compares the sections on their own.
    ("How do I export my data?", "seed-export-data", "Export", "Tandem imports CSV files"),
    ("How do I import my projects from Trello?", "seed-export-data", "Tandem imports CSV files", "Export workspace"),
    # The forgot-password steps, not "Changing a password you know" (a short section both embedders put closest
    # on the whole; its best sentence is further from the question than the steps' first line).
    ("How do I reset my password?", "seed-reset-password", "Forgot password", "enter your current password"),
    ("How do I change my password?", "seed-reset-password", "enter your current password", "Forgot password"),
    # Another language: the multilingual embedder chooses (MiniLM reads English only).
    ("¿Cómo restablezco mi contraseña?", "seed-reset-password", "Forgot password", "enter your current password"),
])
def test_the_answer_quotes_the_section_of_the_article_that_answers(
        chat_use: ChatClient, seed_kb: Path, monkeypatch: pytest.MonkeyPatch,
        question: str, article: str, quoted: str, not_quoted: str) -> None:
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(seed_kb))
    rebuild()
    reply = chat_use.say(chat_use.start(), question)

    assert [c["article_id"] for c in reply["citations"]] == [article], reply
    assert quoted in reply["reply"], reply["reply"]
    assert not_quoted not in reply["reply"], reply["reply"]


def test_a_german_conversation_is_answered_in_german_from_unanswered_question_to_ticket(
        chat_use: ChatClient) -> None:
    """Before, the chat offered its ticket in English, did not take "ja" for yes and answered it as a question:
    a German customer could not reach a person."""
    session = chat_use.start()

    offered = chat_use.say(session, "Kann ich mit Ihrer Software meine Steuererklärung machen?")
    assert offered["citations"] == [], offered
    assert offered["language"] == "de"  # what the widget's own words follow
    assert "offer_ticket" in offered["actions"], offered
    assert offered["reply"].startswith("Das weiß ich leider nicht"), offered["reply"]

    asked = chat_use.say(session, "ja")
    assert "ask_email" in asked["actions"], asked
    assert "E-Mail-Adresse" in asked["reply"], asked["reply"]

    created = chat_use.say(session, "jana.mueller@example.de")
    assert "ticket_created" in created["actions"], created
    assert created["reply"].startswith(f"Ich habe ein Ticket für Sie erstellt: Ihre Ticketnummer ist "
                                       f"{created['ticket']['number']}."), created["reply"]

    # Handed over: what the customer writes now goes to the ticket, and the notice says so in German.
    forwarded = chat_use.say(session, "Ich habe noch eine Frage dazu.")
    assert forwarded["notice"].startswith(f"An unser Team gesendet (Ticket {created['ticket']['number']})"), forwarded
    assert forwarded["language"] == "de"
    assert chat_use.transcript(session)["json"]["language"] == "de"  # a widget that reloads speaks it at once

    status = chat_use.say(session, f"/ask Wie ist der Stand von {created['ticket']['number']}?")
    assert status["reply"].startswith(f"Ticket {created['ticket']['number']} („"), status["reply"]
    assert " ist neu, zuletzt aktualisiert am " in status["reply"], status["reply"]


@pytest.mark.parametrize(("first", "then", "reply", "language"), [
    ("Hola", None, "¡Hola! ¿En qué puedo ayudarle?", "es"),
    ("Danke, das hat geholfen", None, "Gern geschehen!", "de"),
    ("Merci beaucoup !", None, "Avec plaisir !", "fr"),
    # A bare "no" keeps the language the conversation was in.
    ("Quero falar com uma pessoa, por favor", "não, obrigado", "Tudo bem. Posso ajudar em mais alguma coisa?", "pt"),
    ("Thanks, that solved it!", None, "You're welcome!", "en"),
])
def test_the_chats_own_sentences_follow_the_customers_language(
        chat_use: ChatClient, first: str, then: str | None, reply: str, language: str) -> None:
    session = chat_use.start()
    assert chat_use.transcript(session)["json"]["language"] is None  # nothing said yet: the widget keeps the page's
    answer = chat_use.say(session, first)
    if then is not None:
        assert "confirm_ticket" in answer["actions"], answer
        answer = chat_use.say(session, then)

    assert answer["reply"].startswith(reply), answer["reply"]
    assert answer["language"] == language


SPANISH_RESET = ("# Restablecer la contraseña\n\nSi olvidó su contraseña, abra la página de inicio de sesión y "
                 "haga clic en **¿Olvidó su contraseña?**. Escriba la dirección de correo de su cuenta y le enviamos "
                 "un enlace para restablecerla. El enlace vale 30 minutos.")


@pytest.fixture
def chat_with_a_translation(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            invoke: Callable[..., dict[str, Any]]) -> Iterator[ChatClient]:
    """The same help centre, its reset article also in Spanish (a translation of it)."""
    from helpdesk.bootstrap import make_embedder
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.knowledge.indexing import ArticleIndexer, IndexableArticle
    from helpdesk.settings import KnowledgeSection

    embedder = make_embedder(KnowledgeSection(embedder="use"))
    articles = [IndexableArticle(tenant_id=TENANT, article_id=a["article_id"], version=1, title=a["title"],
                                 body=a["body"]) for a in json.loads((FIXTURES / "kb.json").read_text())]
    articles.append(IndexableArticle(tenant_id=TENANT, article_id="kb-reset-password-es", version=1,
                                     title="Restablecer la contraseña", body=SPANISH_RESET, language="es",
                                     translation_of="kb-reset-password"))
    ArticleIndexer(EmbeddedIndex(tmp_path / embedder.model_id, dimension=embedder.dimension), embedder).index_many(
        articles)
    offline_multilingual_chat(monkeypatch, tmp_path)
    rebuild()
    yield ChatClient(invoke)
    rebuild()


@pytest.mark.parametrize(("question", "article"), [
    ("¿Cómo restablezco mi contraseña?", "kb-reset-password-es"),
    ("How do I reset my password?", "kb-reset-password"),
])
def test_an_article_and_its_translation_are_cited_once_in_the_customers_language(
        chat_with_a_translation: ChatClient, question: str, article: str) -> None:
    reply = chat_with_a_translation.say(chat_with_a_translation.start(), question)

    assert [c["article_id"] for c in reply["citations"]] == [article], reply
