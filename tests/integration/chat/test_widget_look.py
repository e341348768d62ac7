"""The chat widget's look per tenant: an admin sets its title, greetings, colour and corner with the AI settings;
the widget reads them, without a session, from `GET /chat/widget` (public, cached, CORS for the tenant's sites)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import claims, http_event, rebuild
from tests.integration.chat.conftest import CHAT_SECRET

Invoke = Callable[..., dict[str, Any]]
ADMIN = claims("admin-1", "acme", "admin")
AGENT = claims("agent-1", "acme", "agent")
SITE = "https://www.acme.example"


@pytest.fixture
def stack(aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_KB_INDEX_DIR", str(tmp_path / "index"))  # the AI settings' app builds triage
    monkeypatch.setenv("HELPDESK_KB_EMBEDDER", "onnx")
    monkeypatch.setenv("HELPDESK_CHAT_TOKEN_SECRET", CHAT_SECRET)
    monkeypatch.setenv("HELPDESK_AI_PROVIDER", "offline")
    monkeypatch.setenv("HELPDESK_CHAT_ANONYMOUS_TENANTS", "acme,beta")
    rebuild()


def look(invoke: Invoke, tenant: str | None, origin: str | None = None) -> dict[str, Any]:
    return invoke("chat_intake", http_event("GET", "/chat/widget", query={"tenant": tenant} if tenant else None,
                                            headers={"origin": origin} if origin else None,
                                            template="chat_intake/get_widget_look.json"))


def save(invoke: Invoke, body: dict[str, Any], who: dict[str, Any] = ADMIN) -> dict[str, Any]:
    current = invoke("agent_assist", http_event("GET", "/assist/settings", claims_=who))
    return invoke("agent_assist", http_event("PUT", "/assist/settings", body={**current["json"], **body}, claims_=who,
                                             headers={"if-match": current["headers"].get("etag", "")}))


def test_an_admins_look_is_what_the_widget_reads_and_a_tenant_without_one_gets_the_defaults(
        stack: None, invoke: Invoke) -> None:
    default = look(invoke, "acme")
    assert default["statusCode"] == 200, default
    assert default["json"] == {"title": None, "titles": {}, "greetings": {}, "accent_color": None,
                               "position": "right"}

    saved = save(invoke, {"widget_origins": [SITE], "widget": {
        "title": "  Acme\nsupport ", "accent_color": "#0B6E4F", "position": "left",
        "titles": {"de": " Acme\nHilfe ", "es": " "},
        "greetings": {"en": " Hi! Ask us about your order. ", "de": "Hallo! Fragen Sie uns.", "fr": "  "}}})
    assert saved["statusCode"] == 200, saved["json"]
    expected = {"title": "Acme support", "titles": {"de": "Acme Hilfe"}, "accent_color": "#0b6e4f", "position": "left",
                "greetings": {"en": "Hi! Ask us about your order.", "de": "Hallo! Fragen Sie uns."}}
    assert saved["json"]["widget"] == expected

    # a warm container keeps a tenant's look a minute: a new one (a cold start) reads the saved look
    rebuild()
    read = look(invoke, "acme", origin=SITE)
    assert read["statusCode"] == 200
    assert read["json"] == expected
    assert read["headers"]["cache-control"] == "public, max-age=300"
    assert read["headers"]["access-control-allow-origin"] == SITE  # the tenant's sites may read it
    assert look(invoke, "beta")["json"]["title"] is None  # one tenant's look is its own


def test_a_colour_white_text_cannot_be_read_on_is_refused_and_nothing_is_saved(stack: None, invoke: Invoke) -> None:
    for colour, says in (("#ffcc00", "contrast of 1.5:1"), ("red", "#rrggbb"), ("#12345", "#rrggbb")):
        refused = save(invoke, {"widget": {"accent_color": colour, "title": "Acme"}})
        assert refused["statusCode"] == 422, refused
        problem = refused["json"]["error"]
        assert problem["code"] == "validation_error"
        assert any(says in e["msg"] and e["loc"][-2:] == ["widget", "accent_color"]
                   for e in problem["details"]["errors"]), problem
    for widget in ({"title": "x" * 41}, {"titles": {"de": "x" * 41}}, {"titles": {"nl": "Hulp"}},
                   {"greetings": {"en": "x" * 301}}, {"greetings": {"nl": "Hallo"}},
                   {"position": "top"}, {"colour": "#000000"}):
        assert save(invoke, {"widget": widget})["statusCode"] == 422, widget
    assert look(invoke, "acme")["json"]["title"] is None
    assert save(invoke, {"widget": {"title": "Acme"}}, who=AGENT)["statusCode"] == 403


def test_the_look_of_a_tenant_without_public_chat_is_not_found_and_the_tenant_is_required(
        stack: None, invoke: Invoke) -> None:
    missing = look(invoke, "globex")
    assert missing["statusCode"] == 404
    assert missing["json"]["error"]["code"] == "not_found"
    for bad in (None, "a/b", "x" * 129):
        refused = look(invoke, bad)
        assert refused["statusCode"] == 400, bad
        assert refused["json"]["error"]["details"]["parameters"] == ["tenant"]
