"""The event shapes the mail functions receive, turned into use-case calls.

Shared by the Lambda handlers and the local stack (SMTP server, stream poller, CLI), so every path
runs the same code: an SES receipt event into `MailIngest`, a ticket_events stream batch into
`MailOutbound`.
"""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import SESEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from helpdesk.kernel.errors import NotFound
from helpdesk.mail.notifications import AgentNotifications
from helpdesk.mail.outbound import MailOutbound
from helpdesk.mail.service import InboundMail, IngestResult, MailIngest
from helpdesk.platform.observability import logger
from helpdesk.platform.stream_batches import process_dynamodb_batch

VERDICTS = ("spam", "virus", "spf", "dkim", "dmarc")


def inbound_mails(event: dict[str, Any], inbound_prefix: str) -> list[InboundMail]:
    """An SES receipt event (S3 action first, then this Lambda) -> the mails to ingest."""
    mails: list[InboundMail] = []
    for record in SESEvent(event).records:
        mail, receipt = record.ses.mail, record.ses.receipt
        verdicts = {name: str(getattr(receipt, f"{name}_verdict").status or "")
                    for name in VERDICTS if f"{name}Verdict" in receipt.raw_event}
        if receipt.raw_event.get("dmarcPolicy"):  # what the sender's domain asks for when DMARC fails
            verdicts["dmarc_policy"] = str(receipt.raw_event["dmarcPolicy"])
        try:
            received = datetime.fromisoformat(receipt.timestamp.replace("Z", "+00:00"))
        except (KeyError, ValueError):
            received = datetime.now(UTC)
        mails.append(InboundMail(delivery_id=mail.message_id, raw_key=f"{inbound_prefix}{mail.message_id}",
                                 recipients=list(receipt.recipients), received_at=received, verdicts=verdicts,
                                 envelope_from=mail.raw_event.get("source") or None))
    return mails


def handle_ses_event(event: dict[str, Any], ingest: MailIngest) -> list[IngestResult]:
    return [result for mail in inbound_mails(event, ingest.config.inbound_prefix) for result in ingest.receive(mail)]


def handle_redelivery(event: dict[str, Any], ingest: MailIngest) -> list[IngestResult]:
    """The mail admin API's direct invocation (`adapters/redelivery.Redeliver`): a held mail an admin let in. A record
    gone meanwhile (its retention ran out) is logged, not retried; a delivery in progress raises, so Lambda retries."""
    from helpdesk.mail.adapters.redelivery import Redeliver

    asked = Redeliver.model_validate(event)
    try:
        return [ingest.replay(asked.tenant_id, asked.delivery_id, admitted_by=asked.admitted_by)]
    except NotFound:
        logger.warning("held mail to deliver again is gone", extra={"tenant_id": asked.tenant_id,
                                                                    "delivery_id": asked.delivery_id})
        return []


def ses_event(message_id: str, recipients: list[str], source: str, verdicts: dict[str, str] | None = None,
              subject: str = "") -> dict[str, Any]:
    """An SES receipt event as SES sends it to Lambda (local SMTP and `helpdesk mail ingest` build one)."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    # Nothing checked SPF/DKIM/DMARC or scanned the mail locally: say so rather than claim PASS.
    status = {name: {"status": (verdicts or {}).get(name, "DISABLED")} for name in VERDICTS}
    return {"Records": [{
        "eventSource": "aws:ses",
        "eventVersion": "1.0",
        "ses": {
            "mail": {"timestamp": now, "source": source, "messageId": message_id, "destination": recipients,
                     "headersTruncated": False, "headers": [],
                     "commonHeaders": {"from": [source], "to": recipients, "subject": subject}},
            "receipt": {"timestamp": now, "processingTimeMillis": 1, "recipients": recipients,
                        "spamVerdict": status["spam"], "virusVerdict": status["virus"],
                        "spfVerdict": status["spf"], "dkimVerdict": status["dkim"],
                        "dmarcVerdict": status["dmarc"], "dmarcPolicy": "none",
                        "action": {"type": "Lambda", "invocationType": "Event",
                                   "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:email-ingest"}},
        },
    }]}


def new_delivery_id() -> str:
    return uuid.uuid4().hex


def _send_for_record(record: DynamoDBRecord, outbound: MailOutbound,
                     notifications: AgentNotifications | None = None) -> None:
    stream = record.dynamodb
    # Only appended events are mail to send (the template filters on INSERT; a record may still come another way,
    # a replayed DLQ batch): an event rewritten in place by a privacy erasure or the retention scan is never sent again.
    if stream is None or record.raw_event.get("eventName", "INSERT") != "INSERT":
        return
    image = stream.new_image
    tenant_id, _, ticket_id = str(image.get("ticket_key", "")).partition("#")
    data = image.get("data")
    if isinstance(data, str):
        data = json.loads(data)
    if not tenant_id or not ticket_id or not isinstance(data, dict):
        return
    actor = str(image.get("actor")) if image.get("actor") else None
    seq, event_type = int(image.get("seq", 0)), str(image.get("type", ""))
    # Each is sent once per event (its own delivery record): a retried record sends only what failed.
    outbound.send_reply(tenant_id, ticket_id, seq, event_type, data, actor=actor)
    if notifications is not None:
        notifications.on_event(tenant_id, ticket_id, seq, event_type, data, actor=actor, at=_event_time(image))


def handle_ticket_events(event: dict[str, Any], context: Any, outbound: MailOutbound,
                         notifications: AgentNotifications | None = None) -> dict[str, Any]:
    """A ticket_events stream batch: mail every agent reply on an email ticket, and tell agents what concerns
    them (`AgentNotifications`); failed records are retried."""
    return process_dynamodb_batch(event, context, lambda record: _send_for_record(record, outbound, notifications))


def _event_time(image: dict[str, Any]) -> datetime | None:
    """The event's `at` as PynamoDB stores it (`2026-12-06T10:18:06.466820+0000`); None when it cannot be read."""
    try:
        return datetime.strptime(str(image.get("at") or ""), "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return None
