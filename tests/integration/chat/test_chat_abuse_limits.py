"""Abuse limits beyond one session: per client IP and per tenant, on new sessions and on turns, shared by
every container through the meta table, answered with 429 and Retry-After."""

from collections.abc import Callable
from typing import Any

import pytest

from helpdesk.kernel.clock import FixedClock
from tests.conftest import claims, http_event, rebuild
from tests.integration.chat.conftest import TENANT

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]


def _start(invoke: Invoke, ip: str, tenant: str = TENANT) -> dict[str, Any]:
    event = http_event("POST", "/chat/sessions", body={"tenant_id": tenant}, template="chat_intake/start_session.json")
    event["requestContext"]["http"]["sourceIp"] = ip
    return invoke("chat_intake", event)


def _say(invoke: Invoke, session: dict[str, Any], ip: str, text: str = "hello") -> dict[str, Any]:
    event = http_event("POST", f"/chat/sessions/{session['id']}/messages", body={"text": text},
                       headers={"authorization": f"Bearer {session['token']}"},
                       template="chat_intake/post_message.json")
    event["requestContext"]["http"]["sourceIp"] = ip
    return invoke("chat_intake", event)


@pytest.fixture
def limited(chat_env: None, monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    # The clock stands still: counting windows are wall-clock minutes and hours, and a slow run crossing a
    # minute's end would start a new window halfway through a test.
    monkeypatch.setenv("HELPDESK_CHAT_SESSIONS_PER_IP_PER_HOUR", "3")
    monkeypatch.setenv("HELPDESK_CHAT_SESSIONS_PER_TENANT_PER_MINUTE", "5")
    monkeypatch.setenv("HELPDESK_CHAT_TURNS_PER_IP_PER_MINUTE", "2")
    monkeypatch.setenv("HELPDESK_CHAT_ANONYMOUS_TENANTS", f"{TENANT},globex")
    rebuild()


def test_one_address_cannot_open_sessions_without_end(limited: None, invoke: Invoke) -> None:
    assert [_start(invoke, "198.51.100.7")["statusCode"] for _ in range(3)] == [201, 201, 201]
    refused = _start(invoke, "198.51.100.7")
    assert refused["statusCode"] == 429
    assert refused["json"]["error"]["code"] == "rate_limited"
    assert 0 < int(refused["headers"]["retry-after"]) <= 3600
    assert _start(invoke, "198.51.100.8")["statusCode"] == 201  # another visitor is not affected
    assert _start(invoke, "198.51.100.7", tenant="globex")["statusCode"] == 201  # nor another tenant


def test_a_crowd_of_addresses_is_capped_per_tenant(limited: None, invoke: Invoke) -> None:
    statuses = [_start(invoke, f"203.0.113.{i}")["statusCode"] for i in range(7)]
    assert statuses == [201] * 5 + [429] * 2
    assert _start(invoke, "203.0.113.99", tenant="globex")["statusCode"] == 201


def test_turns_are_limited_per_address_across_sessions(limited: None, invoke: Invoke) -> None:
    first, second = (_start(invoke, "192.0.2.1")["json"] for _ in range(2))
    assert _say(invoke, first, "192.0.2.1")["statusCode"] == 200
    assert _say(invoke, second, "192.0.2.1")["statusCode"] == 200
    refused = _say(invoke, first, "192.0.2.1")
    assert refused["statusCode"] == 429
    assert "from your network" in refused["json"]["error"]["message"]


def test_signed_in_customers_count_too(limited: None, invoke: Invoke) -> None:
    customer = claims("cust-1", TENANT, "customer", email="dana@example.com")
    statuses = []
    for _ in range(4):
        event = http_event("POST", "/chat/customer-sessions", claims_=customer,
                           template="chat_intake/start_customer_session.json")
        event["requestContext"]["http"]["sourceIp"] = "198.51.100.50"
        statuses.append(invoke("chat_intake", event)["statusCode"])
    assert statuses == [201, 201, 201, 429]


def test_unknown_tenants_are_404_and_leave_no_counter(limited: None, invoke: Invoke) -> None:
    from helpdesk import bootstrap

    assert _start(invoke, "198.51.100.9", tenant="initech")["statusCode"] == 404
    meta = bootstrap.container().tables.meta
    assert [i.pk for i in meta.scan() if i.pk.startswith("CHATLIMIT#")] == []
