"""An admin lets a held mail in from the Mail screen: `POST /mail/quarantine/{delivery_id}/deliver` through the real
mail_admin handler, delivered again by mail ingest as a person's mail whatever the spam verdict, its automatic
headers or the block list said. Before, the quarantine could only be read in the console, and the operator's
`helpdesk mail replay` applied the same rules again, so a customer's mail held by mistake could not become a
ticket. In AWS the API invokes the email_ingest function (least privilege); its direct invocation is checked here
too, with both functions' DynamoDB calls against their policies."""

import json
from datetime import timedelta
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.clock import system_clock
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.adapters.redelivery import LambdaRedelivery, Redeliver
from helpdesk.mail.ports import MailSettings, QuarantineRecord
from tests.conftest import EVENTS, claims, http_event
from tests.iam_calls import Call, denied
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = claims("ada", "acme", "admin")
READER = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)


def _deliver(invoke: Any, delivery_id: str, claims_: dict[str, Any] | None = ADMIN) -> dict[str, Any]:
    response: dict[str, Any] = invoke("mail_admin", http_event(
        "POST", f"/mail/quarantine/{delivery_id}/deliver", claims_=claims_,
        template="mail_admin/deliver_held_mail.json"))
    return response


def _held(invoke: Any) -> dict[str, dict[str, Any]]:
    listed = invoke("mail_admin", http_event("GET", "/mail/quarantine", claims_=ADMIN,
                                             template="mail_admin/list_quarantine.json"))
    return {item["delivery_id"]: item for item in listed["json"]["items"]}


def test_an_admin_lets_a_customers_mail_held_as_spam_in(mail: Any, invoke: Any) -> None:  # noqa: F811
    c = bootstrap.container()
    held = mail.deliver(mail.compose(subject="Invoice 4411 is wrong"), "ses-spam", verdicts={"spam": "FAIL"})
    assert held["status"] == "quarantined"
    assert _held(invoke)["ses-spam"]["deliverable"] is True

    response = _deliver(invoke, "ses-spam")
    assert response["statusCode"] == 202
    resolution = response["json"]["resolution"]  # delivered at once in this process; a moment later in AWS
    assert (resolution["status"], resolution["admitted_by"]) == ("created", "ada")
    ticket = c.ticket_service.get(READER, resolution["ticket_id"])
    assert (ticket.subject, "spam" in ticket.tags) == ("Invoice 4411 is wrong", False)
    created = c.ticket_service.events(READER, ticket.id)[0]
    assert created.data["admitted_by"] == "ada"
    assert "admitted_by" not in created.for_customer().data  # the team's record: the customer never sees it
    assert [m for m in mail.sent() if "dana@customer.example" in str(m["To"])]  # her receipt: she is a person
    assert _held(invoke)["ses-spam"]["deliverable"] is False
    again = _deliver(invoke, "ses-spam")
    assert (again["statusCode"], again["json"]["error"]["code"]) == (409, "conflict")
    [entry] = c.audit_log.page(READER, kind="mail.deliver_again").items
    assert (entry.resource_id, entry.actor, entry.after) == (
        "ses-spam", "ada", {"reason": "spam", "sender": "dana@customer.example", "subject": "Invoice 4411 is wrong",
                            "let_in": True})


def test_an_automatic_or_blocked_mail_let_in_opens_a_ticket_and_no_machine_is_answered(mail: Any,  # noqa: F811
                                                                                         invoke: Any) -> None:
    c = bootstrap.container()
    alert = mail.compose(sender="Monitoring <alerts@monitor.example>", subject="CRITICAL: disk full on db-1",
                         message_id="alert-1@monitor.example", headers={"Auto-Submitted": "auto-generated"})
    assert mail.deliver(alert, "ses-alert")["status"] == "ignored"
    c.mail_records.put_settings("acme", MailSettings(blocked_senders=["pat@pushy.example"]))
    blocked = mail.compose(sender="Pat <pat@pushy.example>", message_id="pat-1@pushy.example")
    assert mail.deliver(blocked, "ses-blocked")["status"] == "ignored"

    for delivery_id in ("ses-alert", "ses-blocked"):
        assert _deliver(invoke, delivery_id)["statusCode"] == 202
    held = _held(invoke)
    alert_ticket = c.ticket_service.get(READER, held["ses-alert"]["resolution"]["ticket_id"])
    assert alert_ticket.requester.email == "alerts@monitor.example"
    assert not [m for m in mail.sent() if "alerts@monitor.example" in str(m["To"])]  # RFC 3834: no receipt
    assert held["ses-blocked"]["resolution"]["status"] == "created"


def test_what_cannot_be_let_in_and_who_may_not(mail: Any, invoke: Any) -> None:  # noqa: F811
    mail.deliver(mail.compose(message_id="v@x.example"), "ses-virus", verdicts={"virus": "FAIL"})
    assert _held(invoke)["ses-virus"]["deliverable"] is False
    virus = _deliver(invoke, "ses-virus")
    assert virus["statusCode"] == 409
    assert virus["json"]["error"]["details"]["reason"] == "virus"
    assert _deliver(invoke, "no-such-delivery")["statusCode"] == 404
    assert _deliver(invoke, "ses-virus", claims("gus", "globex", "admin"))["statusCode"] == 404  # not theirs
    assert _deliver(invoke, "ses-virus", claims("al", "acme", "agent"))["statusCode"] == 403
    assert _deliver(invoke, "ses-virus", None)["statusCode"] == 401
    assert _deliver(invoke, "a%20b")["statusCode"] == 422


def test_in_aws_the_api_invokes_email_ingest_and_each_function_stays_within_its_grants(
        mail: Any, invoke: Any, recorded: list[Call], monkeypatch: Any) -> None:  # noqa: F811
    """The API's part: read the record, ask email_ingest (an Event invoke, recorded here: moto runs no Lambda code
    without Docker), audit. The function's part: the direct invocation the API sends, through its real handler."""
    c = bootstrap.container()
    mail.deliver(mail.compose(message_id="s@customer.example"), "ses-spam-2", verdicts={"spam": "FAIL"})

    class RecordingLambda:
        def __init__(self) -> None:
            self.calls: list[dict[str, Any]] = []

        def invoke(self, **kwargs: Any) -> dict[str, Any]:
            self.calls.append(kwargs)
            return {"StatusCode": 202}

    client = RecordingLambda()
    monkeypatch.setitem(c.__dict__, "mail_redelivery", LambdaRedelivery("helpdesk-email-ingest", client))
    monkeypatch.delitem(c.__dict__, "mail_admin", raising=False)  # built again, with that redelivery
    recorded.clear()
    assert _deliver(invoke, "ses-spam-2")["statusCode"] == 202
    assert denied("MailAdminFunction", recorded) == []
    [call] = client.calls
    assert (call["FunctionName"], call["InvocationType"]) == ("helpdesk-email-ingest", "Event")
    payload = json.loads(call["Payload"])
    assert Redeliver.model_validate(payload).admitted_by == "ada"
    sample = json.loads((EVENTS / "email_ingest" / "redeliver.json").read_text())
    assert set(sample) == set(payload)  # events/ holds what the API sends (`sam local invoke` with it)

    recorded.clear()
    result = invoke("email_ingest", payload)
    assert result["results"][0]["status"] == "created"
    assert denied("EmailIngestFunction", recorded) == []
    assert _held(invoke)["ses-spam-2"]["resolution"]["admitted_by"] == "ada"
    # a record gone by the time the function runs (its retention ran out) is no failure to retry
    gone = invoke("email_ingest", {**payload, "delivery_id": "expired-meanwhile"})
    assert gone["results"] == []


def test_a_forged_reply_let_in_opens_a_ticket_of_its_own_and_joins_none(mail: Any, invoke: Any) -> None:  # noqa: F811
    """Held because its sender failed SPF, DKIM and DMARC while answering a ticket (`unauthenticated_reply:
    quarantine`): let in, it is a new ticket tagged unverified-sender, never a message in someone's conversation."""
    c = bootstrap.container()
    c.mail_records.put_settings("acme", MailSettings(unauthenticated_reply="quarantine"))
    first = mail.deliver(mail.compose(message_id="dana-1@customer.example"), "ses-first")
    receipt = next(m for m in mail.sent() if "dana@customer.example" in str(m["To"]))
    forged = mail.compose(subject=str(receipt["Subject"]), message_id="forged-1@customer.example",
                          in_reply_to=str(receipt["Message-ID"]).strip("<>"), body="Send the refund elsewhere.\n")
    held = mail.deliver(forged, "ses-forged", verdicts={"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"})
    assert (held["status"], held["reason"]) == ("quarantined", "unauthenticated_reply")
    assert _deliver(invoke, "ses-forged")["statusCode"] == 202
    resolution = _held(invoke)["ses-forged"]["resolution"]
    assert resolution["ticket_id"] != first["ticket_id"]
    assert "unverified-sender" in c.ticket_service.get(READER, resolution["ticket_id"]).tags
    assert not [e for e in c.ticket_service.events(READER, first["ticket_id"]) if "refund" in str(e.data)]


def test_the_quarantine_pages_on_to_older_mail(mail: Any, invoke: Any) -> None:  # noqa: F811
    """Out-of-office replies to receipts pile up as ignored mail: a held customer's mail from last week must still be
    reachable (`next_cursor`), and a cursor never crosses tenants."""
    now = system_clock()
    for i in range(5):
        bootstrap.container().mail_records.quarantine(QuarantineRecord(
            delivery_id=f"d-{i}", tenant_id="acme", reason="automatic", raw_key=f"inbound/d-{i}",
            received_at=now - timedelta(hours=i)))

    def page(cursor: str | None = None, claims_: dict[str, Any] = ADMIN) -> dict[str, Any]:
        query = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        response: dict[str, Any] = invoke("mail_admin", http_event(
            "GET", "/mail/quarantine", claims_=claims_, query=query, template="mail_admin/list_quarantine.json"))
        return response

    first = page()["json"]
    second = page(first["next_cursor"])["json"]
    third = page(second["next_cursor"])["json"]
    assert [[r["delivery_id"] for r in p["items"]] for p in (first, second, third)] == [
        ["d-0", "d-1"], ["d-2", "d-3"], ["d-4"]]
    assert third["next_cursor"] is None
    foreign = page(first["next_cursor"], claims("gus", "globex", "admin"))
    assert (foreign["statusCode"], foreign["json"]["error"]["code"]) == (400, "invalid_input")
    assert page("not-a-cursor")["statusCode"] == 400


def test_an_admin_finds_a_customers_held_mail_among_the_out_of_office_replies(
        mail: Any, invoke: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """"Did Dana's mail arrive?": `q` keeps held mail holding every word (sender, subject, reason, recipients, any
    case). A search reads a bounded number of records per call: past it, the page holds what it found with a cursor
    that searches on, and a search never returns what another tenant holds."""
    now = system_clock()
    held = [("ooo-0", "automatic", "Kim <kim@partner.example>", "Out of office"),
            ("dana-1", "spam", "Dana <dana@customer.example>", "Invoice 4411 is wrong"),
            ("ooo-2", "automatic", "Lee <lee@partner.example>", "Automatic reply: away"),
            ("ooo-3", "automatic", "Max <max@partner.example>", "Abwesenheitsnotiz"),
            ("dana-4", "blocked_sender", "Dana <dana@customer.example>", "Second try: invoice")]
    for i, (delivery_id, reason, sender, subject) in enumerate(held):
        bootstrap.container().mail_records.quarantine(QuarantineRecord(
            delivery_id=delivery_id, tenant_id="acme", reason=reason, raw_key=f"inbound/{delivery_id}",
            sender=sender.split("<")[1].rstrip(">"), subject=subject, received_at=now - timedelta(hours=i),
            recipients=["support@acme.example"]))
    bootstrap.container().mail_records.quarantine(QuarantineRecord(
        delivery_id="globex-dana", tenant_id="globex", reason="spam", raw_key="inbound/globex-dana",
        sender="dana@customer.example", received_at=now))

    def search(q: str, cursor: str | None = None) -> dict[str, Any]:
        query = {"q": q, "limit": "50", **({"cursor": cursor} if cursor else {})}
        response: dict[str, Any] = invoke("mail_admin", http_event(
            "GET", "/mail/quarantine", claims_=ADMIN, query=query, template="mail_admin/list_quarantine.json"))
        assert response["statusCode"] == 200, response["json"]
        return response["json"]  # type: ignore[no-any-return]

    def found(page: dict[str, Any]) -> list[str]:
        return [r["delivery_id"] for r in page["items"]]

    assert (found(search("DANA@customer")), search("dana")["next_cursor"]) == (["dana-1", "dana-4"], None)
    assert found(search("invoice spam")) == ["dana-1"]  # every word, the reason among them
    assert found(search("partner.example automatic")) == ["ooo-0", "ooo-2", "ooo-3"]
    assert found(search("   ")) == [r[0] for r in held]  # blank: the whole quarantine
    assert search("nobody")["items"] == []

    from helpdesk.mail.adapters import dynamo

    monkeypatch.setattr(dynamo, "QUARANTINE_SEARCHED", 2)  # two records read per call
    first = search("dana")
    second = search("dana", first["next_cursor"])
    third = search("dana", second["next_cursor"])
    assert [found(p) for p in (first, second, third)] == [["dana-1"], [], ["dana-4"]]
    assert third["next_cursor"] is None
    too_long = invoke("mail_admin", http_event("GET", "/mail/quarantine", claims_=ADMIN, query={"q": "x" * 201},
                                               template="mail_admin/list_quarantine.json"))
    assert (too_long["statusCode"], too_long["json"]["error"]["code"]) == (400, "invalid_query_parameter")


def test_a_team_that_works_on_alerts_gets_tickets_of_system_mail_and_never_answers_them(mail: Any) -> None:  # noqa: F811
    """`system_mail: ticket`: a monitoring alert (`Auto-Submitted: auto-generated`) opens a ticket without a receipt;
    an out-of-office reply and list mail are still ignored."""
    c = bootstrap.container()
    c.mail_records.put_settings("acme", MailSettings(system_mail="ticket"))
    alert = mail.compose(sender="Monitoring <alerts@monitor.example>", subject="CRITICAL: disk full on db-1",
                         message_id="alert-2@monitor.example", headers={"Auto-Submitted": "auto-generated"})
    opened = mail.deliver(alert, "ses-alert-2")
    assert opened["status"] == "created"
    assert c.ticket_service.get(READER, opened["ticket_id"]).requester.email == "alerts@monitor.example"
    mail.stream()
    assert not [m for m in mail.sent() if "alerts@monitor.example" in str(m["To"])]
    away = mail.compose(sender="Dana <dana@customer.example>", subject="Out of office", message_id="oof-1@x.example",
                        headers={"Auto-Submitted": "auto-replied"})
    assert mail.deliver(away, "ses-oof")["status"] == "ignored"
    listed = mail.compose(message_id="news-1@x.example", headers={"Auto-Submitted": "auto-generated",
                                                                  "List-Id": "<news.example>"})
    assert mail.deliver(listed, "ses-news")["status"] == "ignored"
