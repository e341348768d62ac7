"""An article's translations through the knowledge API's real lambda_handler (DynamoDB on moto, embedded index):
one help-centre entry per article and its translations, read in the reader's language, one translation per
language, and the family kept flat."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.iam_calls import Call, denied
from tests.integration.knowledge.test_knowledge_api import (
    AGENT,
    CUSTOMER,
    OTHER_TENANT_AGENT,
    PASSWORD,
    REFUNDS,
    Invoke,
    call,
    create,
)

GERMAN = {"title": "Passwort zurücksetzen", "language": "de",
          "body": "Öffnen Sie Einstellungen > Sicherheit und wählen Sie Passwort zurücksetzen. Der Link gilt eine "
                  "Stunde."}
SPANISH = {"title": "Restablecer la contraseña", "language": "es",
           "body": "Abra Configuración > Seguridad y elija Restablecer contraseña. El enlace vale una hora."}


def translate(invoke: Invoke, original: dict[str, Any], text: dict[str, Any], status: str = "published"
              ) -> dict[str, Any]:
    return create(invoke, {**text, "translation_of": original["id"]}, status=status)


def titles(page: dict[str, Any]) -> list[str]:
    return [item["title"] for item in page["items"]]


def test_the_help_centre_lists_an_article_once_in_the_readers_language(kb: Path, invoke: Invoke) -> None:
    original = create(invoke, PASSWORD)
    german = translate(invoke, original, GERMAN)
    translate(invoke, original, SPANISH, status="draft")  # not yet for readers
    create(invoke, REFUNDS)

    def public(language: str | None) -> list[str]:
        query = {"language": language} if language else None
        response = call(invoke, "GET", "/kb/public/acme/articles", None, query=query)
        assert response["statusCode"] == 200, response["json"]
        return sorted(titles(response["json"]))

    assert public("de") == ["Passwort zurücksetzen", "Refunds"]
    assert public("de-CH") == ["Passwort zurücksetzen", "Refunds"]  # a regional reader reads the language
    assert public("es") == ["Refunds", "Reset your password"]  # the Spanish one is a draft
    assert public("en") == public(None) == ["Refunds", "Reset your password"]
    signed_in = call(invoke, "GET", "/kb/articles", CUSTOMER, query={"language": "de"})["json"]
    assert sorted(titles(signed_in)) == ["Passwort zurücksetzen", "Refunds"]
    staff = call(invoke, "GET", "/kb/articles", AGENT, query={"language": "de"})["json"]
    assert len(staff["items"]) == 4  # the team lists every article, each translation too
    assert {a["id"]: a["translation_of"] for a in staff["items"]}[german["id"]] == original["id"]


def test_an_article_page_links_its_other_languages(kb: Path, invoke: Invoke) -> None:
    original = create(invoke, PASSWORD)
    german = translate(invoke, original, GERMAN)
    spanish = translate(invoke, original, SPANISH, status="draft")

    page = call(invoke, "GET", f"/kb/public/acme/articles/{german['id']}", None)["json"]
    assert page["language"] == "de"
    assert page["translations"] == [{"id": original["id"], "language": "en", "title": "Reset your password"}]
    page = call(invoke, "GET", f"/kb/public/acme/articles/{original['id']}", None)["json"]
    assert [t["language"] for t in page["translations"]] == ["de"]  # never the draft

    staff = call(invoke, "GET", f"/kb/articles/{original['id']}", AGENT)["json"]
    assert [(t["id"], t["language"], t["status"]) for t in staff["translations"]] == [
        (german["id"], "de", "published"), (spanish["id"], "es", "draft")]
    customer = call(invoke, "GET", f"/kb/articles/{spanish['id']}", CUSTOMER)
    assert customer["statusCode"] == 404
    customer = call(invoke, "GET", f"/kb/articles/{german['id']}", CUSTOMER)["json"]
    assert [t["language"] for t in customer["translations"]] == ["en"]


def test_one_translation_per_language_and_the_family_stays_flat(kb: Path, invoke: Invoke) -> None:
    original = create(invoke, PASSWORD)
    german = translate(invoke, original, GERMAN, status="draft")
    other = create(invoke, REFUNDS)

    twice = call(invoke, "POST", "/kb/articles", AGENT,
                 {**GERMAN, "title": "Noch eins", "translation_of": original["id"]})
    assert twice["statusCode"] == 409, twice["json"]
    assert twice["json"]["error"]["details"]["translation"] == german["id"]

    def refused(body: dict[str, Any], article_id: str | None = None) -> dict[str, Any]:
        response = (call(invoke, "PATCH", f"/kb/articles/{article_id}", AGENT, body) if article_id
                    else call(invoke, "POST", "/kb/articles", AGENT, body))
        assert response["statusCode"] == 400, response["json"]
        assert response["json"]["error"]["details"]["field"] == "translation_of"
        return response

    refused({**SPANISH, "translation_of": german["id"]})  # a translation of a translation
    refused({**SPANISH, "translation_of": "kb_nobody"})
    refused({**PASSWORD, "translation_of": original["id"]})  # in the original's own language
    refused({"translation_of": german["id"]}, original["id"])  # an original with translations stays one
    refused({"translation_of": german["id"]}, german["id"])  # itself
    other_tenant = call(invoke, "POST", "/kb/articles", OTHER_TENANT_AGENT,
                        {**SPANISH, "translation_of": original["id"]})
    assert other_tenant["statusCode"] == 400  # another tenant's article is no article here
    clash = call(invoke, "PATCH", f"/kb/articles/{original['id']}", AGENT, {"language": "de"})
    assert clash["statusCode"] == 409  # the original cannot take its translation's language

    # A translation moves to another language: its old language is free again, the new one taken.
    moved = call(invoke, "PATCH", f"/kb/articles/{german['id']}", AGENT, {"language": "de-AT"})
    assert moved["statusCode"] == 200, moved["json"]
    translate(invoke, original, GERMAN, status="draft")
    # ... or becomes an article of its own, and then another's translation.
    alone = call(invoke, "PATCH", f"/kb/articles/{german['id']}", AGENT, {"translation_of": ""})
    assert (alone["statusCode"], alone["json"]["translation_of"]) == (200, None)
    assert [t["language"] for t in call(invoke, "GET", f"/kb/articles/{original['id']}", AGENT)["json"]
            ["translations"]] == ["de"]
    joined = call(invoke, "PATCH", f"/kb/articles/{german['id']}", AGENT, {"translation_of": other["id"]})
    assert joined["statusCode"] == 200, joined["json"]
    assert [t["id"] for t in joined["json"]["translations"]] == [other["id"]]
    versions = call(invoke, "GET", f"/kb/articles/{german['id']}/versions", AGENT)["json"]
    assert len(versions) == 4


def test_two_translations_saved_at_once_in_one_language_one_wins(kb: Path, invoke: Invoke) -> None:
    """The service's check reads before it writes; two authors passing it together are told apart by the condition
    on the language's key, written in the article's own transaction (nothing of the loser is stored)."""
    from helpdesk.kernel.errors import Conflict
    from helpdesk.knowledge.articles import Article, ArticleContent
    from tests.conftest import rebuild

    original = create(invoke, PASSWORD)
    repository = rebuild().article_repository
    content = ArticleContent(title="Passwort", body="x", language="de", translation_of=original["id"])
    first = Article.new("acme", content, "agent-1", "kb_de_one", now=datetime.now(UTC))
    second = first.model_copy(update={"id": "kb_de_two"})
    repository.add(first)
    with pytest.raises(Conflict) as refused:
        repository.add(second)
    assert refused.value.details["translation"] == "kb_de_one"
    assert repository.get("acme", "kb_de_two") is None
    assert repository.translations("acme", original["id"]) == {"de": "kb_de_one"}


def test_an_archived_translation_gives_its_language_back(kb: Path, invoke: Invoke) -> None:
    """Archived articles are read-only, so one that kept its language would block that language for good: archiving
    frees it; publishing the old one again while a new one holds it is refused, naming the new one."""
    original = create(invoke, PASSWORD)
    old = translate(invoke, original, GERMAN)
    assert call(invoke, "POST", f"/kb/articles/{old['id']}/archive", AGENT)["statusCode"] == 200
    staff = call(invoke, "GET", f"/kb/articles/{original['id']}", AGENT)["json"]
    assert staff["translations"] == []  # its other languages are the live ones
    new = translate(invoke, original, {**GERMAN, "title": "Passwort vergessen?"})
    again = call(invoke, "POST", f"/kb/articles/{old['id']}/publish", AGENT)
    assert again["statusCode"] == 409, again["json"]
    assert again["json"]["error"]["details"]["translation"] == new["id"]
    assert call(invoke, "GET", f"/kb/articles/{old['id']}", AGENT)["json"]["status"] == "archived"  # unchanged
    hits = call(invoke, "GET", "/kb/search", AGENT, query={"q": "Passwort zurücksetzen"})["json"]["hits"]
    assert old["id"] not in [hit["article_id"] for hit in hits]  # its chunks were taken out again
    page = call(invoke, "GET", f"/kb/public/acme/articles/{original['id']}", None)["json"]
    assert [t["title"] for t in page["translations"]] == ["Passwort vergessen?"]


def test_the_knowledge_api_may_make_every_call_translations_need(kb: Path, invoke: Invoke,
                                                                  recorded: list[Call]) -> None:
    """moto grants everything: the language's key is taken, moved and freed inside the article's transaction, which
    needs DeleteItem on `KB#` keys in AWS."""
    original = create(invoke, PASSWORD)
    german = translate(invoke, original, GERMAN)
    assert call(invoke, "PATCH", f"/kb/articles/{german['id']}", AGENT, {"language": "de-AT"})["statusCode"] == 200
    assert call(invoke, "POST", f"/kb/articles/{german['id']}/archive", AGENT)["statusCode"] == 200
    call(invoke, "GET", "/kb/public/acme/articles", None, query={"language": "de"})
    assert any(c.action == "DeleteItem" and (c.key or "").startswith("KB#") for c in recorded)
    assert denied("KnowledgeApiFunction", recorded) == []


def test_a_readers_search_finds_an_article_once_in_the_readers_language(kb: Path, invoke: Invoke) -> None:
    original = create(invoke, PASSWORD)
    german = translate(invoke, original, GERMAN)
    create(invoke, REFUNDS)

    def found(path: str, who: dict[str, Any] | None, q: str, language: str | None) -> list[str]:
        query = {"q": q, "k": "5", **({"language": language} if language else {})}
        response = call(invoke, "GET", path, who, query=query)
        assert response["statusCode"] == 200, response["json"]
        return [hit["article_id"] for hit in response["json"]["hits"]]

    for path, who in (("/kb/public/acme/search", None), ("/kb/search", CUSTOMER)):
        both = found(path, who, "reset my password", None)
        assert {original["id"], german["id"]} <= set(both)  # without a language, every article that matched
        english = found(path, who, "reset my password", "en")
        assert original["id"] in english
        assert german["id"] not in english
        assert english[0] == original["id"]  # at the family's best place
        for_german = found(path, who, "reset my password", "de-CH")
        assert german["id"] in for_german
        assert original["id"] not in for_german
    bad = call(invoke, "GET", "/kb/search", CUSTOMER, query={"q": "password", "language": "not a language"})
    assert bad["statusCode"] == 400  # the query string's one error format
