"""Events out without AWS: the detail schema, URL rules, signatures and the sender's retries on fakes."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.history import INTERNAL_EVENT_TYPES, EventType, TicketEvent
from helpdesk.webhooks.model import Delivery, Subscription, WebhookUrlRefused, check_url
from helpdesk.webhooks.schema import MAX_BODY_CHARS, detail
from helpdesk.webhooks.service import BACKOFF_S, MAX_ATTEMPTS, NewSubscription, WebhookAdmin, WebhookSender
from helpdesk.webhooks.signing import InvalidSignature, new_secret, signed_headers, verify

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)


def event(type_: EventType, **data: Any) -> TicketEvent:
    return TicketEvent(ticket_id="t1", tenant_id="acme", type=type_, actor="a1", at=AT, data=data, seq=2001)


def public_resolver(host: str) -> list[str]:
    return {"hooks.example.com": ["93.184.215.14"], "inside.example.com": ["10.0.0.5"],
            "mixed.example.com": ["93.184.215.14", "192.168.1.2"], "localhost": ["127.0.0.1"]}.get(host, [host])


# -- schema --------------------------------------------------------------------------------------------


def test_detail_schema_v1_and_no_internal_note_text() -> None:
    note = detail(event(EventType.INTERNAL_NOTE, body="customer owes us 5k", public=False, from_customer=False,
                        attachment_ids=["x"]))
    assert note["type"] == "ticket.note_added"
    assert note["data"] == {"public": False, "from_customer": False}
    assert note["team_only"] is True
    reply = detail(event(EventType.PUBLIC_MESSAGE, body="Try now", public=True, ai_draft="d1", model="m"))
    assert reply["type"] == "ticket.message_added"
    assert reply["data"] == {"body": "Try now", "public": True}  # AI's bookkeeping stays inside
    assert set(reply) == {"schema_version", "id", "type", "tenant_id", "ticket_id", "seq", "occurred_at", "actor",
                          "team_only", "data"}
    assert reply["schema_version"] == "1"
    assert reply["id"] == detail(event(EventType.PUBLIC_MESSAGE, body="Try now"))["id"]  # stable per ticket event
    assert detail(event(EventType.SLA, kind="breached"))["type"] == "ticket.sla_breached"
    assert detail(event(EventType.SLA, kind="policy_fallback"))["type"] == "ticket.sla_other"
    long = detail(event(EventType.PUBLIC_MESSAGE, body="x" * (MAX_BODY_CHARS + 5)))
    assert len(long["data"]["body"]) == MAX_BODY_CHARS
    assert long["data"]["body_truncated"] is True


@pytest.mark.parametrize("type_", [t for t in EventType if t != EventType.SLA])
def test_every_ticket_event_type_has_its_bus_type(type_: EventType) -> None:
    # A type without one failed the whole events-out batch (KeyError) and was dropped after the retries: found for
    # `macro_applied` and `csat_rated` in a local stack's log.
    out = detail(event(type_))
    assert out["type"].startswith("ticket.")
    assert out["team_only"] is (type_ in INTERNAL_EVENT_TYPES)


# -- URLs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/in",  # not https
    "https://inside.example.com/in",  # private
    "https://mixed.example.com/in",  # one private address is enough
    "https://169.254.169.254/latest/meta-data",  # instance metadata
    "https://127.0.0.1:9000/in",  # loopback outside the local stack
    "https://[::1]/in",
    "https://user:pw@hooks.example.com/in",
    "ftp://hooks.example.com/in",
    "https:///in",
])
def test_refused_urls(url: str) -> None:
    with pytest.raises(WebhookUrlRefused):
        check_url(url, allow_loopback=False, resolver=public_resolver)


def test_accepted_urls() -> None:
    check_url("https://hooks.example.com/in", allow_loopback=False, resolver=public_resolver)
    check_url("http://127.0.0.1:9000/in", allow_loopback=True, resolver=public_resolver)
    check_url("http://localhost:9000/in", allow_loopback=True, resolver=public_resolver)
    with pytest.raises(WebhookUrlRefused):  # loopback in the local stack, private still not
        check_url("https://inside.example.com/in", allow_loopback=True, resolver=public_resolver)


# -- signatures ----------------------------------------------------------------------------------------


def test_signature_round_trip_and_replay_window() -> None:
    secret, body = new_secret(), '{"type":"ticket.created"}'
    now = datetime.now(UTC)
    headers = signed_headers(secret, "evt_1", body, now)
    assert headers["webhook-signature"].startswith("v1,")
    assert verify(secret, body, headers) == {"type": "ticket.created"}
    with pytest.raises(InvalidSignature):
        verify(secret, body.replace("created", "deleted"), headers)
    with pytest.raises(InvalidSignature):
        verify(new_secret(), body, headers)
    with pytest.raises(InvalidSignature):  # a captured delivery replayed six minutes later
        verify(secret, body, signed_headers(secret, "evt_1", body, now - timedelta(minutes=6)))
    with pytest.raises(InvalidSignature):
        verify(secret, body, {**headers, "webhook-signature": "garbage"})


# -- admin and sender on fakes ---------------------------------------------------------------------------


class Store:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Subscription] = {}

    def put(self, s: Subscription) -> None:
        self.items[(s.tenant_id, s.id)] = s

    def get(self, tenant_id: str, subscription_id: str) -> Subscription | None:
        return self.items.get((tenant_id, subscription_id))

    def of_tenant(self, tenant_id: str) -> list[Subscription]:
        return [s for (t, _), s in self.items.items() if t == tenant_id]

    def delete(self, tenant_id: str, subscription_id: str) -> bool:
        return self.items.pop((tenant_id, subscription_id), None) is not None


class Log:
    def __init__(self) -> None:
        self.items: list[Delivery] = []

    def record(self, tenant_id: str, delivery: Delivery) -> None:
        self.items.append(delivery)

    def recent(self, tenant_id: str, subscription_id: str, limit: int) -> list[Delivery]:
        return [d for d in reversed(self.items) if d.subscription_id == subscription_id][:limit]


class Http:
    def __init__(self, *answers: int | OSError) -> None:
        self.answers, self.calls = list(answers), []  # type: ignore[var-annotated]

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        self.calls.append((url, body, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, OSError):
            raise answer
        return answer


class Queue:
    def __init__(self) -> None:
        self.retries: list[tuple[dict[str, Any], int]] = []
        self.dead: list[dict[str, Any]] = []

    def retry(self, message: dict[str, Any], delay_s: int) -> None:
        self.retries.append((message, delay_s))

    def dead_letter(self, message: dict[str, Any]) -> None:
        self.dead.append(message)


def setup(*answers: int | OSError) -> tuple[WebhookAdmin, WebhookSender, Http, Queue, Log, Subscription]:
    store, log, http, queue, clock = Store(), Log(), Http(*answers), Queue(), FixedClock(AT)
    admin = WebhookAdmin(store, log, allow_loopback=False, resolver=public_resolver, clock=clock)
    sender = WebhookSender(store, log, http, queue, allow_loopback=False, resolver=public_resolver, clock=clock)
    sub = admin.create(ADMIN, NewSubscription(url="https://hooks.example.com/in", event_types=["ticket.created"]))
    return admin, sender, http, queue, log, sub


def test_only_admins_manage_webhooks_and_types_are_checked() -> None:
    admin, *_ = setup()
    with pytest.raises(Forbidden):
        admin.create(AGENT, NewSubscription(url="https://hooks.example.com/in", event_types=["*"]))
    with pytest.raises(Forbidden):
        admin.listed(AGENT)
    with pytest.raises(ValueError, match="unknown event types"):
        NewSubscription(url="https://hooks.example.com/in", event_types=["ticket.exploded"])


def test_a_delivery_is_signed_with_the_subscriptions_secret() -> None:
    _, sender, http, queue, log, sub = setup(204)
    created = detail(event(EventType.CREATED, subject="Printer"))
    sender.handle({"detail-type": "ticket.created", "source": "helpdesk", "detail": created})
    sender.handle({"detail": detail(event(EventType.STATUS_CHANGED))})  # not subscribed: nothing sent
    [(url, body, headers)] = http.calls
    assert url == sub.url
    assert headers["webhook-id"] == created["id"]
    assert headers["webhook-timestamp"] == str(int(AT.timestamp()))
    from standardwebhooks.webhooks import Webhook

    assert Webhook(sub.secret).sign(created["id"], AT, body.decode()) == headers["webhook-signature"]
    assert json.loads(body) == created
    assert [(d.outcome, d.status, d.attempt) for d in log.items] == [("delivered", 204, 1)]
    assert queue.retries == []
    assert queue.dead == []


def test_failures_back_off_and_end_in_the_dlq() -> None:
    _, sender, http, queue, log, sub = setup(*([500] + [ConnectionRefusedError("refused")] * (MAX_ATTEMPTS - 1)))
    sender.handle({"detail": detail(event(EventType.CREATED))})
    while queue.retries and len(queue.retries) < MAX_ATTEMPTS:
        message, _ = queue.retries[-1]
        before = len(queue.retries)
        sender.handle(message)
        if len(queue.retries) == before:
            break
    assert [delay for _, delay in queue.retries] == list(BACKOFF_S)
    assert len(http.calls) == MAX_ATTEMPTS
    assert len({headers["webhook-id"] for _, _, headers in http.calls}) == 1  # one message, many attempts
    assert [d.outcome for d in log.items] == ["failed"] * (MAX_ATTEMPTS - 1) + ["dead"]
    assert log.items[0].status == 500
    assert log.items[1].status is None
    assert "refused" in (log.items[1].error or "")
    assert queue.dead[0]["retry"]["subscription_id"] == sub.id


def test_a_retry_for_a_removed_webhook_is_dropped() -> None:
    admin, sender, http, queue, _, sub = setup(500)
    sender.handle({"detail": detail(event(EventType.CREATED))})
    admin.delete(ADMIN, sub.id)
    sender.handle(queue.retries[0][0])
    assert len(http.calls) == 1


def test_the_slack_target_gets_sla_and_urgent_messages_only_unsigned() -> None:
    admin, sender, http, _, log, _ = setup(200, 200, 200)
    hook = admin.create(ADMIN, NewSubscription(url="https://hooks.example.com/services/T1/B2/xyz",
                                               event_types=["*"], format="slack"))
    assert hook.event_types == ["ticket.created", "ticket.priority_changed", "ticket.sla_warning",
                                "ticket.sla_breached"]
    http.calls.clear()
    sender.handle({"detail": detail(event(EventType.CREATED, number="T-000007", subject="Down", priority="normal"))})
    assert [url for url, _, _ in http.calls] == ["https://hooks.example.com/in"]  # the standard webhook only
    http.calls.clear()
    sender.handle({"detail": detail(event(EventType.SLA, kind="breached", target="first_response"))})
    sender.handle({"detail": detail(event(EventType.PRIORITY_CHANGED, **{"from": "high", "to": "urgent"}))})
    slack_calls = [(json.loads(body), headers) for url, body, headers in http.calls if url == hook.url]
    assert [m["text"] for m, _ in slack_calls] == [
        ":rotating_light: SLA breached on ticket t1: first_response (tenant acme)",
        ":fire: Ticket t1 is now urgent (tenant acme)"]
    assert all("webhook-signature" not in h for _, h in slack_calls)
    assert {d.outcome for d in log.items if d.subscription_id == hook.id} == {"delivered"}
