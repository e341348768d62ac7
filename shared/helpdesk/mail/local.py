"""Mail in the local stack: an SMTP server (127.0.0.1, `helpdesk serve --smtp-port`, default 2525) and the
outbound stream, both on moto.

SMTP does what SES does in AWS: store the raw message in the mail bucket, then hand an SES receipt
event to the same entry point the email_ingest Lambda calls. Outbound runs the email_send code on the
ticket_events stream (polled from moto) and "sends" through moto's SES; `helpdesk mail outbox` reads it.
"""

import email
import email.policy
import email.utils
import json
import logging
import socket
import urllib.request
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from helpdesk.local.extensions import LocalStackContext

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container

SMTP_HOST = "127.0.0.1"
MAX_SMTP_BYTES = 40 * 1024 * 1024  # SES's own limit for received mail

log = logging.getLogger("helpdesk.mail.local")


def start_smtp(ctx: LocalStackContext) -> Callable[[], None]:
    """The local stack extension: bucket, verified sender, SMTP server, outbound stream poller."""
    import boto3

    config = ctx.container.settings.mail
    s3 = boto3.client("s3")
    # Only when missing: moto's server answers CreateBucket on a bucket that exists with a new, empty one (S3 keeps
    # it), so every restart of the stack lost the raw mails, mail and ticket attachments and exports kept there.
    if config.bucket not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=config.bucket)
    boto3.client("ses").verify_email_identity(EmailAddress=config.support_address)
    if config.default_tenant:  # the demo tenant's address is its own, as a verified one is in AWS: listed on
        # the Mail screen, usable as the support address and for a group (a restart keeps whoever has it)
        ctx.container.mail_records.claim_inbound_address(config.support_address, config.default_tenant, "operator")

    from helpdesk.local.streams import StreamSource, start_stream_poller
    from helpdesk.mail.events import handle_ticket_events

    outbound, notifications = ctx.container.mail_outbound, ctx.container.agent_notifications
    stop_poller = start_stream_poller(
        ctx, ctx.container.settings.tables.ticket_events_table,
        lambda event, context: handle_ticket_events(event, context, outbound, notifications), "email-send",
        StreamSource("EmailSendFunction", "AgentReplies"))
    port = ctx.info.smtp_port
    controller = _start_smtp_server(ctx.container, port) if port else None
    if controller is not None:
        print(f"helpdesk: SMTP on {SMTP_HOST}:{port} -> tenant {config.default_tenant} "
              f"(try: helpdesk mail ingest FILE.eml, or any mail client)")
    else:
        print("helpdesk: no SMTP server (--smtp-port 0); use `helpdesk mail ingest FILE.eml`")

    def stop() -> None:
        if controller is not None:
            controller.stop()
        stop_poller()

    return stop


def _start_smtp_server(container: "Container", port: int) -> Any:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        if probe.connect_ex((SMTP_HOST, port)) == 0:  # `serve` checked it; someone may have taken it since
            raise SystemExit(f"helpdesk: SMTP port {port} is in use: choose another with --smtp-port "
                             "(or --smtp-port 0 for no SMTP)")
    controller = Controller(_SmtpHandler(container), hostname=SMTP_HOST, port=port, data_size_limit=MAX_SMTP_BYTES)
    controller.start()
    return controller


class _SmtpHandler:
    def __init__(self, container: "Container") -> None:
        self._container = container

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "surrogateescape")
        try:
            results = await asyncio.to_thread(deliver_raw, self._container, data, list(envelope.rcpt_tos),
                                            envelope.mail_from)
        except Exception:
            log.exception("local SMTP delivery failed")
            return "451 Requested action aborted: local processing error"
        outcomes = (f"{r.get('status')} {r.get('ticket_number') or r.get('reason') or ''}".strip() for r in results)
        return f"250 OK {'; '.join(outcomes)}".strip()


def deliver_raw(container: "Container", raw: bytes, recipients: list[str] | None = None,
                envelope_from: str | None = None, verdicts: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """What SES does with a received mail: store it raw, then invoke ingest with a receipt event. Returns the
    outcome for each tenant it is addressed to (`MailIngest.receive`)."""
    import boto3

    from helpdesk.mail.events import handle_ses_event, new_delivery_id, ses_event

    config = container.settings.mail
    headers = email.message_from_bytes(raw, policy=email.policy.compat32)

    def header(name: str) -> list[str]:  # raw 8-bit header values come back as `Header` objects, not str
        return [str(value) for value in headers.get_all(name, [])]

    if not recipients:
        to = [addr for _, addr in email.utils.getaddresses(header("To") + header("Cc")) if "@" in addr]
        recipients = to or [config.support_address]
    recipients = [r.strip().lower() for r in recipients]
    delivery_id = new_delivery_id()
    boto3.client("s3").put_object(Bucket=config.bucket, Key=f"{config.inbound_prefix}{delivery_id}", Body=raw)
    ses = boto3.client("ses")
    for address in recipients:  # moto SES sends only from verified identities; locally every inbox is ours
        ses.verify_email_identity(EmailAddress=address)
    source = envelope_from or (email.utils.parseaddr(next(iter(header("From")), ""))[1] or "unknown@localhost")
    event = ses_event(delivery_id, recipients, source, verdicts, subject=next(iter(header("Subject")), ""))
    return [result.model_dump(mode="json") for result in handle_ses_event(event, container.mail_ingest)]


def report_feedback(container: "Container", tenant_id: str, ticket_id: str, address: str, *,
                    complaint: bool = False, agent: str | None = None) -> str:
    """SES's event for mail about the ticket that bounced at `address` (or that its reader marked as spam), put on
    the ticket by the same `DeliveryFeedback` as `functions/mail_feedback`: moto's SES publishes no events, so the
    local stack tells them with `helpdesk mail bounce`. `agent`: the mail was that teammate's notification about the
    ticket. Returns the outcome."""
    from helpdesk.mail.message_tags import agent_tags, ticket_tags

    now = container.clock().isoformat().replace("+00:00", "Z")
    feedback_id = f"local-{uuid.uuid4()}"
    recipient = {"emailAddress": address}
    detail: dict[str, Any] = {
        "eventType": "Complaint" if complaint else "Bounce",
        "mail": {"timestamp": now, "messageId": f"local-{uuid.uuid4()}", "destination": [address],
                 "tags": {name: [value] for name, value in (agent_tags(tenant_id, ticket_id, agent) if agent
                                                            else ticket_tags(tenant_id, ticket_id)).items()}},
    }
    if complaint:
        detail["complaint"] = {"complainedRecipients": [recipient], "timestamp": now, "feedbackId": feedback_id,
                               "complaintFeedbackType": "abuse"}
    else:
        detail["bounce"] = {"bounceType": "Permanent", "bounceSubType": "General", "timestamp": now,
                            "feedbackId": feedback_id,
                            "bouncedRecipients": [{**recipient, "action": "failed", "status": "5.1.1",
                                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown (helpdesk mail "
                                                                     "bounce, local stack)"}]}
    return container.mail_feedback.record(detail)


def _moto_ses() -> dict[str, Any]:
    """What the local stack's moto SES holds (sent mail by kind)."""
    from helpdesk.local.stack import aws_endpoint

    endpoint = aws_endpoint()
    if not endpoint.startswith("http://127.0.0.1") and not endpoint.startswith("http://localhost"):
        raise RuntimeError("the outbox is only readable from the local stack's moto")
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:  # noqa: S310 (local)
        found: dict[str, Any] = json.loads(response.read()).get("ses", {})
    return found


def team_notices() -> list[dict[str, Any]]:
    """The plain mails the SLA scan sent the team through moto SES (warnings, breaches, agents' reminders)."""
    return [{"id": item.get("id"), "from": item.get("source"),
             "to": list((item.get("destinations") or {}).get("ToAddresses") or []),
             "subject": item.get("subject"), "body": item.get("body") or ""}
            for item in _moto_ses().get("Message", [])]


def moto_message(raw_data: str) -> EmailMessage:
    """A message moto's SES sent, as moto keeps it (text): parsed as bytes again, so an 8-bit UTF-8 body ("schrieb
    Jana Müller") is decoded by its charset and not read as undecodable."""
    message: EmailMessage = email.message_from_bytes(raw_data.encode("utf-8", "surrogateescape"),
                                                     policy=email.policy.default)
    return message


def plain_text(message: EmailMessage) -> str:
    """A sent mail's plain text (its text/plain part: every mail also carries the same words as HTML), "" if none."""
    body = message.get_body(("plain",))
    return str(body.get_content()) if body is not None else ""


def sent_messages() -> list[dict[str, Any]]:
    """Mail sent through the local stack's moto SES, decoded to a short summary each."""
    out: list[dict[str, Any]] = []
    for item in _moto_ses().get("RawMessage", []):
        msg = moto_message(str(item.get("raw_data", "")))
        # moto adds the To/Cc addresses of the headers to the Destinations given: one entry per mailbox here
        recipients = dict.fromkeys(email.utils.parseaddr(address)[1] for address in item.get("destinations") or [])
        out.append({"id": item.get("id"), "from": str(msg["From"]), "to": list(recipients),
                    "subject": str(msg["Subject"]), "message_id": str(msg["Message-ID"]),
                    "in_reply_to": str(msg["In-Reply-To"] or ""),
                    "body": plain_text(msg)})
    return out
