"""Mail integration fixtures: the moto bucket SES writes to, a verified support identity, and helpers
that deliver a raw message the way SES does (S3 object + receipt event into the real handler)."""

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from tests.conftest import EVENTS, load_function, rebuild

SUPPORT = "support@acme.example"
BUCKET = "helpdesk-mail-test"


@dataclass
class MailWorld:
    deliver: Callable[..., dict[str, Any]]
    sent: Callable[[], list[EmailMessage]]
    stream: Callable[..., dict[str, Any]]
    compose: Callable[..., bytes]
    tag: Callable[..., str]
    ses_receipt: Callable[..., dict[str, Any]]
    bucket: str = BUCKET


@pytest.fixture
def mail(aws: None, monkeypatch: pytest.MonkeyPatch, lambda_context: Any) -> MailWorld:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from helpdesk import bootstrap
    from helpdesk.mail.local import moto_message

    monkeypatch.setenv("HELPDESK_MAIL_BUCKET", BUCKET)
    monkeypatch.setenv("HELPDESK_MAIL_DEFAULT_TENANT", "")
    rebuild()
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    boto3.client("ses").verify_email_identity(EmailAddress=SUPPORT)
    # the deployment's own sender (address verification codes)
    boto3.client("ses").verify_email_identity(EmailAddress=bootstrap.container().settings.mail.support_address)
    bootstrap.container().mail_records.set_inbound_address(SUPPORT, "acme")
    template = json.loads((EVENTS / "email_ingest" / "ses_receipt.json").read_text())
    stream_seen: set[tuple[str, int]] = set()

    def deliver(raw: bytes, message_id: str, *, verdicts: dict[str, str] | None = None,
                recipients: list[str] | None = None, dmarc_policy: str | None = None) -> dict[str, Any]:
        s3.put_object(Bucket=BUCKET, Key=f"inbound/{message_id}", Body=raw)
        event = ses_receipt(message_id, verdicts=verdicts, recipients=recipients, dmarc_policy=dmarc_policy)
        response: dict[str, Any] = load_function("email_ingest").lambda_handler(event, lambda_context)
        result: dict[str, Any] = response["results"][0]
        return result

    def ses_receipt(message_id: str, *, verdicts: dict[str, str] | None = None,
                    recipients: list[str] | None = None, dmarc_policy: str | None = None) -> dict[str, Any]:
        """The SES receipt event of a message stored under inbound/<message_id>."""
        event: dict[str, Any] = copy.deepcopy(template)
        record = event["Records"][0]["ses"]
        record["mail"]["messageId"] = message_id
        if recipients is not None:
            record["receipt"]["recipients"] = recipients
        for name, status in (verdicts or {}).items():
            record["receipt"][f"{name}Verdict"] = {"status": status}
        if dmarc_policy is not None:
            record["receipt"]["dmarcPolicy"] = dmarc_policy
        return event

    def sent() -> list[EmailMessage]:
        backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
        return [moto_message(m.raw_data) for m in backend.sent_messages if hasattr(m, "raw_data")]

    def stream(redeliver: bool = False) -> dict[str, Any]:
        """Run the email_send handler over events appended since the last call, as the stream would;
        `redeliver` sends every event again, as a retried batch does."""
        from helpdesk.platform.dynamo.models import TicketEventModel

        records = []
        for item in TicketEventModel.scan():
            key = (item.ticket_key, int(item.seq))
            if key in stream_seen and not redeliver:
                continue
            stream_seen.add(key)
            records.append({
                "eventID": f"{item.ticket_key}-{item.seq}", "eventName": "INSERT", "eventSource": "aws:dynamodb",
                "dynamodb": {"Keys": {"ticket_key": {"S": item.ticket_key}, "seq": {"N": str(item.seq)}},
                             "NewImage": {"ticket_key": {"S": item.ticket_key}, "seq": {"N": str(item.seq)},
                                          "type": {"S": item.type}, "actor": {"S": item.actor},
                                          "at": {"S": TicketEventModel.at.serialize(item.at)},  # type: ignore[no-untyped-call]
                                          "data": {"S": json.dumps(item.data)}},
                             "SequenceNumber": f"{int(item.seq):021d}", "StreamViewType": "NEW_IMAGE"},
            })
        result: dict[str, Any] = load_function("email_send").lambda_handler({"Records": records}, lambda_context)
        return result

    def tag(number: int, tenant_id: str = "acme") -> str:
        """The subject tag of a ticket as outbound mail writes it (`T-000001-<code>`)."""
        from helpdesk.kernel.principal import system_principal
        from helpdesk.mail.threading import ticket_tag

        ticket = bootstrap.container().ticket_service.get_by_number(system_principal(tenant_id), number)
        return ticket_tag(ticket, bootstrap.container().mail_records.tag_key(tenant_id))

    return MailWorld(deliver=deliver, sent=sent, stream=stream, compose=build_mail, tag=tag, ses_receipt=ses_receipt)


def build_mail(*, sender: str = "Dana Example <dana@customer.example>", subject: str = "Printer jammed",
               body: str = "The printer on floor 3 jams.\n", message_id: str = "m1@customer.example",
               in_reply_to: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = SUPPORT
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = f"<{in_reply_to}>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()
