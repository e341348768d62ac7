"""Events out on moto, the local stack's path: ticket events -> the stream -> the EventBridge bus -> its rule -> the
webhook queue -> the sender -> a real receiver on loopback that verifies the Standard Webhooks signature."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.local.queues import QueuePoller
from helpdesk.local.streams import StreamPoller
from helpdesk.webhooks.events import deliver_webhooks, publish_ticket_events
from helpdesk.webhooks.local import ensure_bus_and_queues
from helpdesk.webhooks.schema import ALL_TYPES
from helpdesk.webhooks.signing import verify
from tests.conftest import claims, http_event, rebuild
from tests.template import stream_filters
from tests.webhook_receiver import Receiver

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]
ADMIN = claims("root", "acme", "admin")
AGENT = claims("a1", "acme", "agent")
FOREIGN_ADMIN = claims("root", "zeta", "admin")
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-webhooks"
DLQ = "https://sqs.us-east-1.amazonaws.com/123456789012/helpdesk-webhooks-dlq"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def events_out(aws: None, monkeypatch: pytest.MonkeyPatch) -> tuple[StreamPoller, QueuePoller]:
    settings = {"HELPDESK_EVENTS_BUS_NAME": "helpdesk-events", "HELPDESK_EVENTS_WEBHOOK_QUEUE_URL": QUEUE,
                "HELPDESK_EVENTS_WEBHOOK_DLQ_URL": DLQ, "HELPDESK_EVENTS_ALLOW_LOOPBACK_WEBHOOKS": "true"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    container = rebuild()
    queue_url = ensure_bus_and_queues("helpdesk-events", QUEUE, DLQ)
    stream = StreamPoller(container.settings.tables.ticket_events_table,
                          lambda e, c: publish_ticket_events(e, c, bootstrap.container().event_bus), "events-out",
                          filters=stream_filters("EventPublisherFunction", "TicketEvents"))
    queue = QueuePoller(queue_url, lambda e, c: deliver_webhooks(e, c, bootstrap.container().webhook_sender),
                        "webhook-sender", wait_s=0)
    return stream, queue


def api(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
        function: str = "webhooks_api") -> dict[str, Any]:
    return invoke(function, http_event(method, path, body=body, claims_=who))


def test_a_receiver_on_loopback_gets_signed_created_and_message_added(
        events_out: tuple[StreamPoller, QueuePoller], receiver: Receiver, invoke: Invoke) -> None:
    stream, queue = events_out
    created = api(invoke, "POST", "/webhooks", ADMIN,
                  {"url": receiver.url, "event_types": ["ticket.created", "ticket.message_added"]})
    assert created["statusCode"] == 201, created["json"]
    secret = created["json"]["secret"]
    ticket = api(invoke, "POST", "/tickets", AGENT, {"subject": "Printer", "description": "On fire"},
                 function="ticket_commands")["json"]
    api(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "Secret note", "public": False},
        function="ticket_commands")
    api(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "On our way", "public": True},
        function="ticket_commands")
    assert stream.poll_once() == 3
    assert queue.poll_once() == 3  # every event reached the queue through the bus rule
    bodies = [verify(secret, body, headers) for headers, body in receiver.received]
    assert [b["type"] for b in bodies] == ["ticket.created", "ticket.message_added"]  # the note: not subscribed
    assert bodies[0]["ticket_id"] == ticket["id"]
    assert bodies[1]["data"]["body"] == "On our way"
    assert all(h["webhook-id"] == b["id"] for (h, _), b in zip(receiver.received, bodies, strict=True))
    log = api(invoke, "GET", f"/webhooks/{created['json']['id']}/deliveries", ADMIN)["json"]["items"]
    assert [(d["outcome"], d["status"]) for d in log] == [("delivered", 204), ("delivered", 204)]


def test_a_failing_receiver_is_retried_through_the_queue(
        events_out: tuple[StreamPoller, QueuePoller], receiver: Receiver, invoke: Invoke) -> None:
    stream, queue = events_out
    sub = api(invoke, "POST", "/webhooks", ADMIN, {"url": receiver.url, "event_types": ["*"]})["json"]
    receiver.status = 503
    api(invoke, "POST", "/tickets", AGENT, {"subject": "Printer", "description": "On fire"}, function="ticket_commands")
    stream.poll_once()
    queue.poll_once()
    import boto3

    sqs = boto3.client("sqs")
    queued = sqs.get_queue_attributes(QueueUrl=QUEUE, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert queued["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"  # the retry, 30 s from now
    [attempt] = api(invoke, "GET", f"/webhooks/{sub['id']}/deliveries", ADMIN)["json"]["items"]
    assert (attempt["outcome"], attempt["status"], attempt["next_attempt_in_s"]) == ("failed", 503, 30)


def test_the_webhooks_api_refuses_bad_urls_and_keeps_tenants_apart(events_out: Any, invoke: Invoke) -> None:
    for url in ("http://93.184.215.14/in", "https://10.1.2.3/in", "https://169.254.169.254/", "ftp://x/y"):
        refused = api(invoke, "POST", "/webhooks", ADMIN, {"url": url, "event_types": ["*"]})
        assert refused["statusCode"] == 422, url
        assert refused["json"]["error"]["code"] == "webhook_url_refused"
    assert api(invoke, "POST", "/webhooks", AGENT, {"url": "http://127.0.0.1:1/x", "event_types": ["*"]})[
        "statusCode"] == 403
    unknown = api(invoke, "POST", "/webhooks", ADMIN, {"url": "http://127.0.0.1:1/x", "event_types": ["nope"]})
    assert unknown["statusCode"] == 422
    sub = api(invoke, "POST", "/webhooks", ADMIN, {"url": "http://127.0.0.1:1/x", "event_types": ["*"]})["json"]
    listed = api(invoke, "GET", "/webhooks", ADMIN)["json"]
    assert [s["id"] for s in listed] == [sub["id"]]
    assert "secret" not in listed[0]
    assert api(invoke, "GET", "/webhooks", FOREIGN_ADMIN)["json"] == []
    assert api(invoke, "GET", f"/webhooks/{sub['id']}", FOREIGN_ADMIN)["statusCode"] == 404
    assert api(invoke, "DELETE", f"/webhooks/{sub['id']}", FOREIGN_ADMIN)["statusCode"] == 404
    assert api(invoke, "DELETE", f"/webhooks/{sub['id']}", ADMIN)["statusCode"] == 204
    assert api(invoke, "GET", f"/webhooks/{sub['id']}", ADMIN)["statusCode"] == 404


def test_the_webhooks_api_lists_the_event_types_it_takes(events_out: Any, invoke: Invoke) -> None:
    """The console offers these as checkboxes: every one is accepted by POST /webhooks, and none is missing."""
    listed = api(invoke, "GET", "/webhooks/event-types", ADMIN)
    assert listed["statusCode"] == 200, listed["json"]
    assert listed["json"] == sorted(ALL_TYPES)
    assert {"ticket.created", "ticket.sla_breached", "ticket.csat_rated"} <= set(listed["json"])
    assert api(invoke, "GET", "/webhooks/event-types", AGENT)["statusCode"] == 403
    every = api(invoke, "POST", "/webhooks", ADMIN, {"url": "http://127.0.0.1:1/x", "event_types": listed["json"]})
    assert every["statusCode"] == 201, every["json"]
    assert every["json"]["event_types"] == listed["json"]


def test_the_bus_gets_every_ticket_event_in_schema_v1(events_out: tuple[StreamPoller, QueuePoller],
                                                      invoke: Invoke) -> None:
    import boto3

    stream, _ = events_out
    ticket = api(invoke, "POST", "/tickets", AGENT, {"subject": "Printer", "description": "On fire"},
                 function="ticket_commands")["json"]
    api(invoke, "POST", f"/tickets/{ticket['id']}/messages", AGENT, {"body": "owes 5k", "public": False},
        function="ticket_commands")
    api(invoke, "PATCH", f"/tickets/{ticket['id']}", AGENT, {"priority": "urgent"}, function="ticket_commands")
    stream.poll_once()
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=QUEUE, MaxNumberOfMessages=10)["Messages"]
    envelopes = sorted((json.loads(m["Body"]) for m in messages), key=lambda e: e["detail"]["seq"])
    assert {e["source"] for e in envelopes} == {"helpdesk"}
    assert [e["detail-type"] for e in envelopes] == ["ticket.created", "ticket.note_added", "ticket.priority_changed"]
    assert all(e["detail"]["schema_version"] == "1" for e in envelopes)
    assert "owes 5k" not in json.dumps(envelopes)


def test_the_sample_events_run_against_the_handlers(events_out: tuple[StreamPoller, QueuePoller], invoke: Invoke,
                                                    lambda_context: Any) -> None:
    from tests.conftest import EVENTS, load_function

    stream = json.loads((EVENTS / "event_publisher/ticket_created.json").read_text())
    assert load_function("event_publisher").lambda_handler(stream, lambda_context) == {"batchItemFailures": []}
    queue = json.loads((EVENTS / "webhook_sender/bus_event.json").read_text())
    assert load_function("webhook_sender").lambda_handler(queue, lambda_context) == {"batchItemFailures": []}
    listed = invoke("webhooks_api", json.loads((EVENTS / "webhooks_api/list_webhooks.json").read_text()))
    assert (listed["statusCode"], listed["json"]) == (200, [])
    audit = invoke("audit_api", json.loads((EVENTS / "audit_api/list_audit.json").read_text()))
    assert audit["statusCode"] == 200


def test_a_slack_url_is_shown_once_then_masked(events_out: Any, invoke: Invoke) -> None:
    url = "http://127.0.0.1:9/services/T1/B2/secretpart"
    created = api(invoke, "POST", "/webhooks", ADMIN, {"url": url, "event_types": ["*"], "format": "slack"})
    assert created["statusCode"] == 201, created["json"]
    assert created["json"]["url"] == url
    assert created["json"]["format"] == "slack"
    listed = api(invoke, "GET", "/webhooks", ADMIN)["json"]
    assert [w["url"] for w in listed] == ["http://127.0.0.1/…"]
    audit = invoke("audit_api", http_event("GET", "/audit", claims_=ADMIN))["json"]["items"]
    assert "secretpart" not in json.dumps(audit)


def test_the_local_queue_poller_never_waits_inside_moto(events_out: tuple[StreamPoller, QueuePoller]) -> None:
    """The local moto answers one request at a time: a long poll on an empty queue made every other call of the
    stack wait up to a second (describe_table 1.05 s on an idle stack). The poller asks without waiting."""
    queue = QueuePoller(events_out[1].queue_url, lambda e, c: {"batchItemFailures": []}, "probe")  # default wait
    asked: list[int] = []
    queue._sqs.meta.events.register(
        "provide-client-params.sqs.ReceiveMessage",
        lambda params, **_: asked.append(int(params.get("WaitTimeSeconds", 0))))

    assert queue.poll_once() == 0  # nothing waiting
    assert asked == [0]


def test_a_trigger_that_tells_the_integrations_reaches_the_webhook_subscribed_to_ticket_triggered(
        events_out: tuple[StreamPoller, QueuePoller], receiver: Receiver, invoke: Invoke) -> None:
    """Zendesk's "notify webhook": the admin's trigger decides which tickets an integration hears of (here new ones
    mentioning an outage), the webhook subscribes to `ticket.triggered` and reads which trigger it was."""
    stream, queue = events_out
    created = api(invoke, "POST", "/webhooks", ADMIN, {"url": receiver.url, "event_types": ["ticket.triggered"]})
    assert created["statusCode"] == 201, created["json"]
    saved = api(invoke, "PUT", "/triggers", ADMIN, {"triggers": [
        {"id": "page-on-call", "name": "Page the on-call engineer", "on": ["ticket_created"],
         "conditions": {"keywords": ["outage"]}, "actions": {"integrations": True}}]}, function="agent_tools")
    assert saved["statusCode"] == 200, saved["json"]
    outage = api(invoke, "POST", "/tickets", AGENT, {"subject": "Outage", "description": "Nothing loads"},
                 function="ticket_commands")["json"]
    api(invoke, "POST", "/tickets", AGENT, {"subject": "Invoice", "description": "Where is it?"},
        function="ticket_commands")
    assert stream.poll_once() == 3  # two tickets opened, one trigger fired
    queue.poll_once()
    [body] = [verify(created["json"]["secret"], body, headers) for headers, body in receiver.received]
    assert (body["type"], body["ticket_id"], body["team_only"], body["data"]["trigger"]) == (
        "ticket.triggered", outage["id"], True, {"id": "page-on-call", "name": "Page the on-call engineer"})
    assert (body["data"]["notify"], body["data"]["integrations"], body["data"]["body"]) == ([], True, "Nothing loads")
