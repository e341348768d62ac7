"""The audit of administration through the real lambda_handlers on moto: changes made over the admin APIs are
listed at GET /audit with who, when, before and after; admins only; tenants apart; no secrets."""

from collections.abc import Callable
from typing import Any

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")
AGENT = claims("a1", "acme", "agent")
FOREIGN_ADMIN = claims("root", "zeta", "admin")
OFFICE = {"id": "office", "name": "Office", "timezone": "Europe/Berlin",
          "hours": {"mon": [{"start": "09:00", "end": "17:00"}]}}


def call(invoke: Invoke, function: str, method: str, path: str, who: dict[str, Any], body: Any = None,
         query: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who, query=query))


def audit(invoke: Invoke, who: dict[str, Any] = ADMIN, **query: str) -> dict[str, Any]:
    return call(invoke, "audit_api", "GET", "/audit", who, query=query or None)


def test_admin_changes_are_listed_newest_first_with_before_and_after(aws: None, invoke: Invoke) -> None:
    assert call(invoke, "sla_api", "POST", "/sla/calendars", ADMIN, OFFICE)["statusCode"] == 201
    changed = {**OFFICE, "name": "Head office"}
    assert call(invoke, "sla_api", "PUT", "/sla/calendars/office", ADMIN, changed)["statusCode"] == 200
    assert call(invoke, "sla_api", "PUT", "/sla/calendars/office", ADMIN, changed)["statusCode"] == 200  # no change
    assert call(invoke, "sla_api", "DELETE", "/sla/calendars/office", ADMIN)["statusCode"] == 204
    put = call(invoke, "mail_admin", "PUT", "/mail/settings", ADMIN, {"from_name": "Acme Support"})
    assert put["statusCode"] == 200, put["json"]

    page = audit(invoke)
    assert page["statusCode"] == 200
    entries = page["json"]["items"]
    assert [(e["kind"], e["action"]) for e in entries] == [
        ("mail.settings", "updated"), ("sla.calendar", "deleted"), ("sla.calendar", "updated"),
        ("sla.calendar", "created")]
    assert {e["actor"] for e in entries} == {"root"}
    created, updated, deleted = entries[3], entries[2], entries[1]
    assert created["before"] is None
    assert created["after"]["name"] == "Office"
    assert (updated["before"]["name"], updated["after"]["name"]) == ("Office", "Head office")
    assert (deleted["before"]["name"], deleted["after"]) == ("Head office", None)
    assert entries[0]["before"]["from_name"] == "Support"
    assert entries[0]["after"]["from_name"] == "Acme Support"

    only = audit(invoke, kind="sla.calendar", limit="2")["json"]
    assert [e["action"] for e in only["items"]] == ["deleted", "updated"]
    rest = audit(invoke, kind="sla.calendar", cursor=only["next_cursor"])["json"]
    assert [e["action"] for e in rest["items"]] == ["created"]


def test_webhooks_are_audited_without_their_secret(aws: None, invoke: Invoke, monkeypatch: Any) -> None:
    monkeypatch.setenv("HELPDESK_EVENTS_ALLOW_LOOPBACK_WEBHOOKS", "true")
    from tests.conftest import rebuild

    rebuild()
    created = call(invoke, "webhooks_api", "POST", "/webhooks", ADMIN,
                   {"url": "http://127.0.0.1:9/hooks", "event_types": ["*"]})["json"]
    call(invoke, "webhooks_api", "DELETE", f"/webhooks/{created['id']}", ADMIN)
    entries = audit(invoke, kind="webhook")["json"]["items"]
    assert [e["action"] for e in entries] == ["deleted", "created"]
    assert created["secret"] not in str(entries)
    assert "secret" not in entries[1]["after"]


def test_only_admins_read_it_and_tenants_stay_apart(aws: None, invoke: Invoke) -> None:
    call(invoke, "sla_api", "POST", "/sla/calendars", ADMIN, OFFICE)
    assert audit(invoke, AGENT)["statusCode"] == 403
    assert audit(invoke, FOREIGN_ADMIN)["json"]["items"] == []
    mine = audit(invoke, limit="1")["json"]
    foreign_cursor = audit(invoke, FOREIGN_ADMIN, cursor=mine["next_cursor"] or "x")
    assert foreign_cursor["statusCode"] == 400


def test_ticket_categories_are_audited_as_the_ai_settings_are(aws: None, invoke: Invoke) -> None:
    # They decide where new tickets go: setting, changing and dropping them is as traceable as a routing rule.
    first = {"categories": [{"name": "api_errors", "description": "Errors from our REST API"}]}
    second = {"categories": [{"name": "api_errors", "description": "Errors and rate limits of our REST API",
                              "examples": ["we get 429 all day"]}]}
    bodies: list[dict[str, Any]] = [first, second, second, {"categories": []}]
    for body in bodies:
        put = call(invoke, "agent_assist", "PUT", "/assist/categories", ADMIN, body)
        assert put["statusCode"] == 200, put["json"]

    entries = audit(invoke, kind="triage.categories")["json"]["items"]
    assert [e["action"] for e in entries] == ["deleted", "updated", "created"]  # the repeated PUT records nothing
    deleted, updated, created = entries
    assert created["before"] is None
    assert created["after"]["categories"][0]["name"] == "api_errors"
    assert updated["before"]["categories"][0]["description"] == "Errors from our REST API"
    assert updated["after"]["categories"][0]["examples"] == ["we get 429 all day"]
    assert deleted["after"] is None
    assert {e["actor"] for e in entries} == {"root"}
