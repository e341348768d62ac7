"""Mail going out: an agent's public reply on an email ticket, and the acknowledgement of a new one.

Every outbound mail carries the ticket tag in its subject and In-Reply-To/References naming the
customer's mails, so their client threads it and their answer finds the ticket again; its own
Message-ID is stored for the same reason. Sending is exactly once per ticket event (a delivery
record keyed by the event), because stream batches are retried.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from aws_lambda_powertools import Logger

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.principal import Principal, system_principal
from helpdesk.mail.ports import MailRecords, MailSender
from helpdesk.mail.threading import MAX_REFERENCES, tagged_subject
from helpdesk.settings import MailSection
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.model import Channel, Ticket, format_number
from helpdesk.tickets.service import TicketService

logger = Logger(child=True)

SEND_LEASE_SECONDS = 60  # longer than the function's timeout (30 s)


class DeliveryInProgress(Exception):
    """Another attempt holds the lease of this delivery (inbound mail or outbound reply): raised so Lambda
    or the stream retries later instead of treating the delivery as done."""


@dataclass
class ThreadContext:
    """What the ticket's history says about its mail thread."""

    message_ids: list[str] = field(default_factory=list)  # oldest first
    last_customer_message_id: str | None = None
    support_address: str | None = None  # the address the customer wrote to


def thread_context(events: list[TicketEvent]) -> ThreadContext:
    ctx = ThreadContext()
    for event in events:
        if event.data.get("channel") != Channel.EMAIL.value:
            continue
        mid = event.data.get("message_id")
        if isinstance(mid, str) and mid and mid not in ctx.message_ids:
            ctx.message_ids.append(mid)
            if event.data.get("direction") == "inbound":
                ctx.last_customer_message_id = mid
        to_address = event.data.get("to_address")
        if isinstance(to_address, str) and to_address:
            ctx.support_address = to_address
    return ctx


def new_message_id(ticket: Ticket, sender_address: str) -> str:
    domain = sender_address.rsplit("@", 1)[-1] or "helpdesk.invalid"
    return f"{format_number(ticket.number)}.{secrets.token_hex(8)}@{domain}"


def compose(*, from_address: str, from_name: str, to: list[str], subject: str, body: str, message_id: str,
            in_reply_to: str | None, references: list[str], date: datetime, auto_submitted: bool = False) -> bytes:
    """A plain-text MIME message dated `date`. Header values go through the email package, which refuses
    CR/LF in them."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = HeaderAddress(display_name=from_name, addr_spec=from_address)
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        msg["References"] = " ".join(f"<{r}>" for r in references[-MAX_REFERENCES:])
    if auto_submitted:
        msg["Auto-Submitted"] = "auto-replied"  # RFC 3834: other robots must not answer this
        msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(body)
    return msg.as_bytes()


class MailOutbound:
    def __init__(self, tickets: TicketService, records: MailRecords, sender: MailSender, config: MailSection, *,
                 clock: Clock = system_clock) -> None:
        self.tickets, self.records, self.sender, self.config = tickets, records, sender, config
        self._clock = clock

    def send_reply(self, tenant_id: str, ticket_id: str, seq: int, event_type: str,
                   data: dict[str, Any]) -> str | None:
        """Mail one appended ticket event to the customer when it is an agent's public reply on an email
        ticket. Returns the Message-ID sent, or None when the event is not for mail (or already sent)."""
        if event_type != EventType.PUBLIC_MESSAGE.value or data.get("from_customer") or data.get("channel"):
            return None  # notes, customers' own messages, and messages that came in by mail
        caller = system_principal(tenant_id, "email")
        ticket = self.tickets.get(caller, ticket_id)
        if ticket.channel != Channel.EMAIL:
            return None
        recipients = self._recipients(ticket)
        if not recipients:
            return None
        delivery_id = f"OUT#{tenant_id}#{ticket_id}#{seq}"
        claim = self.records.claim_delivery(delivery_id, SEND_LEASE_SECONDS)
        if claim is None:
            if self.records.delivery_result(delivery_id) is not None:
                return None  # sent before: a retried batch
            raise DeliveryInProgress(f"reply {delivery_id} is being sent by another attempt")
        try:
            return self._send(caller, ticket, delivery_id, data)
        except Exception:
            self.records.release_delivery(delivery_id)
            raise

    def _send(self, caller: Principal, ticket: Ticket, delivery_id: str, data: dict[str, Any]) -> str:
        tenant_id, ticket_id = ticket.tenant_id, ticket.id
        recipients = self._recipients(ticket)
        ctx = thread_context(self.tickets.events(caller, ticket_id))
        settings = self.records.settings(tenant_id)
        from_address = settings.support_address or ctx.support_address or self.config.support_address
        message_id = new_message_id(ticket, from_address)
        raw = compose(
            from_address=from_address, from_name=settings.from_name, to=recipients,
            subject=tagged_subject(ticket), body=str(data.get("body", "")), message_id=message_id,
            in_reply_to=ctx.last_customer_message_id or (ctx.message_ids[-1] if ctx.message_ids else None),
            references=ctx.message_ids, date=self._clock(),
        )
        provider_id = self.sender.send_raw(from_address, recipients, raw)
        try:  # sent: from here on a failure must not lead to sending it again
            self.records.complete_delivery(delivery_id, {"message_id": message_id, "provider_id": provider_id,
                                                         "tenant_id": tenant_id, "ticket_id": ticket_id})
            self.records.remember_message_id(tenant_id, message_id, ticket_id)
        except Exception:
            logger.exception("reply sent but not recorded", extra={"ticket": ticket.key, "message_id": message_id})
        return message_id

    def acknowledge(self, ticket: Ticket, to_address: str, support_address: str,
                    customer_message_id: str | None) -> str:
        """The receipt of a new email ticket, with its number; marked automatic so robots stay quiet."""
        settings = self.records.settings(ticket.tenant_id)
        from_address = settings.support_address or support_address
        message_id = new_message_id(ticket, from_address)
        body = (f"We received your request and opened ticket {ticket.key}.\n"
                f"Reply to this mail to add to it; keep [{ticket.key}] in the subject.\n\n"
                f"-- \n{settings.from_name}\n")
        raw = compose(from_address=from_address, from_name=settings.from_name, to=[to_address],
                      subject=tagged_subject(ticket), body=body, message_id=message_id,
                      in_reply_to=customer_message_id,
                      references=[customer_message_id] if customer_message_id else [], date=self._clock(),
                      auto_submitted=True)
        self.sender.send_raw(from_address, [to_address], raw)
        self.records.remember_message_id(ticket.tenant_id, message_id, ticket.id)
        return message_id

    def _recipients(self, ticket: Ticket) -> list[str]:
        found: list[str] = []
        for address in [ticket.requester.email or "", *ticket.participants]:
            address = address.strip().lower()
            if address and "@" in address and address not in found:
                found.append(address)
        return found
