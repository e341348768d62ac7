"""A mail addressed to two tenants of one deployment reaches both (`MailIngest.receive`). Before, it was delivered to
the first tenant that claimed a recipient and the other never saw it: an MSP's customer writing to two of its
clients' support addresses, or copying one client's support on a mail to another's, lost half of it. Each tenant's
delivery is its own (its own delivery id, receipt, quarantine record) on its own copy of the raw mail, so one tenant
erasing the sender never deletes what the other received."""

from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.ports import MailSettings
from tests.conftest import claims, http_event, load_function
from tests.integration.mail.conftest import (
    BUCKET,
    SUPPORT,
    mail,  # noqa: F401 (the fixture)
)

GLOBEX = "help@globex.example"
DANA = "dana@customer.example"
GLOBEX_ADMIN = claims("gus", "globex", "admin")


def _two_tenants_mail(message_id: str = "both@customer.example") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Dana Example <{DANA}>"
    msg["To"] = SUPPORT
    msg["Cc"] = GLOBEX
    msg["Subject"] = "Your two systems disagree on my order"
    msg["Message-ID"] = f"<{message_id}>"
    msg.set_content("Acme says shipped, Globex says not received.\n")
    return msg.as_bytes()


@pytest.fixture
def receive(mail: Any, lambda_context: Any) -> Any:  # noqa: F811
    """Deliver a raw mail as SES does to several recipients; the handler's results, one per tenant."""
    bootstrap.container().mail_records.set_inbound_address(GLOBEX, "globex")
    boto3.client("ses").verify_email_identity(EmailAddress=GLOBEX)

    def deliver(raw: bytes, delivery_id: str, recipients: list[str], **kwargs: Any) -> list[dict[str, Any]]:
        boto3.client("s3").put_object(Bucket=BUCKET, Key=f"inbound/{delivery_id}", Body=raw)
        event = mail.ses_receipt(delivery_id, recipients=recipients, **kwargs)
        results: list[dict[str, Any]] = load_function("email_ingest").lambda_handler(event, lambda_context)["results"]
        return results

    return deliver


def _object(key: str) -> bytes | None:
    try:
        body: bytes = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    except boto3.client("s3").exceptions.NoSuchKey:
        return None
    return body


def test_each_tenant_gets_its_own_ticket_and_receipt(mail: Any, receive: Any) -> None:  # noqa: F811
    raw = _two_tenants_mail()
    results = receive(raw, "ses-both", [SUPPORT, GLOBEX])
    assert [(r["tenant_id"], r["status"], r["delivery_id"]) for r in results] == [
        ("acme", "created", "ses-both"), ("globex", "created", "ses-both+globex")]
    c = bootstrap.container()
    for result in results:
        reader = Principal(user_id="root", tenant_id=result["tenant_id"], role=Role.ADMIN)
        ticket = c.ticket_service.get(reader, result["ticket_id"])
        assert (ticket.requester.email, ticket.subject) == (DANA, "Your two systems disagree on my order")
        created = c.ticket_service.events(reader, ticket.id)[0]
        assert _object(str(created.data["raw_key"])) == raw  # each tenant's ticket keeps the mail as received
    keys = [c.ticket_service.events(Principal(user_id="root", tenant_id=r["tenant_id"], role=Role.ADMIN),
                                    r["ticket_id"])[0].data["raw_key"] for r in results]
    assert keys == ["inbound/ses-both", "inbound/tenants/globex/ses-both"]
    mail.stream()
    receipts = {m["From"].addresses[0].addr_spec: m["To"] for m in mail.sent()}
    assert receipts == {SUPPORT: DANA, GLOBEX: DANA}  # each helpdesk acknowledges its own ticket

    boto3.client("s3").delete_object(Bucket=BUCKET, Key="inbound/tenants/globex/ses-both")  # Globex erased it
    again = receive(raw, "ses-both", [SUPPORT, GLOBEX])  # SES retries the invocation
    assert [(r["status"], r["ticket_id"]) for r in again] == [("duplicate", r["ticket_id"]) for r in results]
    assert _object("inbound/tenants/globex/ses-both") is None  # a retry brings no copy back


def test_a_mail_to_two_addresses_of_one_tenant_is_one_delivery(mail: Any, receive: Any) -> None:  # noqa: F811
    bootstrap.container().mail_records.set_inbound_address("billing@acme.example", "acme")
    results = receive(_two_tenants_mail(), "ses-one", [SUPPORT, "billing@acme.example"])
    assert [(r["tenant_id"], r["delivery_id"]) for r in results] == [("acme", "ses-one")]
    assert _object("inbound/tenants/acme/ses-one") is None


def test_one_tenant_holding_the_mail_does_not_hold_it_for_the_other(mail: Any, receive: Any,  # noqa: F811
                                                                   invoke: Any) -> None:
    """Globex blocked the sender: its copy is held under its own delivery id, which its admin can let in from the
    Mail screen; Acme's ticket is made as usual, and Acme's admin cannot see or let in Globex's copy."""
    c = bootstrap.container()
    c.mail_records.put_settings("globex", MailSettings(support_address=GLOBEX, blocked_senders=[DANA]))
    results = receive(_two_tenants_mail(), "ses-held", [SUPPORT, GLOBEX])
    assert [(r["tenant_id"], r["status"]) for r in results] == [("acme", "created"), ("globex", "ignored")]

    def let_in(claims_: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = invoke("mail_admin", http_event(
            "POST", "/mail/quarantine/ses-held+globex/deliver", claims_=claims_,
            template="mail_admin/deliver_held_mail.json"))
        return response

    assert let_in(claims("ada", "acme", "admin"))["statusCode"] == 404
    listed = invoke("mail_admin", http_event("GET", "/mail/quarantine", claims_=GLOBEX_ADMIN,
                                             template="mail_admin/list_quarantine.json"))["json"]["items"]
    assert [(h["delivery_id"], h["reason"]) for h in listed] == [("ses-held+globex", "blocked_sender")]
    assert let_in(GLOBEX_ADMIN)["statusCode"] == 202
    globex = Principal(user_id="root", tenant_id="globex", role=Role.ADMIN)
    assert c.ticket_service.get_by_number(globex, 1).requester.email == DANA


def test_one_tenant_erasing_the_sender_leaves_the_others_mail(mail: Any, receive: Any,  # noqa: F811
                                                              invoke: Any) -> None:
    receive(_two_tenants_mail(), "ses-erase", [SUPPORT, GLOBEX])
    erased = invoke("privacy_api", http_event("POST", "/privacy/erase", body={"email": DANA},
                                              claims_=claims("ada", "acme", "admin"),
                                              template="privacy_api/erase_person.json"))
    assert erased["statusCode"] == 200, erased["json"]
    assert erased["json"]["objects_deleted"] >= 1
    assert _object("inbound/ses-erase") is None
    assert _object("inbound/tenants/globex/ses-erase") is not None  # Globex's mail is Globex's to keep or erase


def test_one_tenants_failure_does_not_hold_up_the_other(mail: Any, receive: Any,  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Acme's delivery fails (a table throttled, say): Globex's ticket is made all the same, and the invocation
    raises so SES's retry delivers Acme's, finding Globex's done."""
    from helpdesk.mail.service import MailIngest

    process = MailIngest._process

    def failing_for_acme(self: MailIngest, delivered: Any, retry: bool) -> Any:
        if delivered.delivery_id == "ses-fail":
            raise RuntimeError("throttled")
        return process(self, delivered, retry)

    monkeypatch.setattr(MailIngest, "_process", failing_for_acme)
    with pytest.raises(RuntimeError, match="throttled"):
        receive(_two_tenants_mail(), "ses-fail", [SUPPORT, GLOBEX])
    globex = Principal(user_id="root", tenant_id="globex", role=Role.ADMIN)
    assert bootstrap.container().ticket_service.get_by_number(globex, 1).requester.email == DANA
    monkeypatch.setattr(MailIngest, "_process", process)
    retried = receive(_two_tenants_mail(), "ses-fail", [SUPPORT, GLOBEX])
    assert [(r["tenant_id"], r["status"]) for r in retried] == [("acme", "created"), ("globex", "duplicate")]


def test_a_copy_the_store_refuses_leaves_the_tenant_reading_the_original(mail: Any, receive: Any,  # noqa: F811
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """S3 refusing the copy (throttled, say) must not lose Globex's mail: its ticket is made from the original raw
    mail, which the two tenants then share (logged). Before, the copy's error came before either tenant's delivery,
    so on SES's last attempt no quarantine record was written for either."""
    from botocore.exceptions import ClientError

    from helpdesk.mail.adapters.s3 import S3MailStore

    def refused(self: S3MailStore, source: str, key: str) -> None:
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}},
                          "CopyObject")

    monkeypatch.setattr(S3MailStore, "copy_raw", refused)
    results = receive(_two_tenants_mail(), "ses-slow", [SUPPORT, GLOBEX])
    assert [(r["tenant_id"], r["status"]) for r in results] == [("acme", "created"), ("globex", "created")]
    globex = Principal(user_id="root", tenant_id="globex", role=Role.ADMIN)
    ticket = bootstrap.container().ticket_service.get_by_number(globex, 1)
    assert bootstrap.container().ticket_service.events(globex, ticket.id)[0].data["raw_key"] == "inbound/ses-slow"
