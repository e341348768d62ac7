"""What became of the mail we sent about a ticket, as SES reports it: a bounce or a complaint goes on the ticket.

Before this, a reply to a mistyped or closed address bounced and nobody knew: the agent waited for an answer that
could not come, and the customer for a reply they never got. Every mail about a ticket (replies, receipts, rating
mails, side conversations) now goes out through SES's configuration set (`HELPDESK_MAIL_CONFIGURATION_SET`) with
two message tags naming its tenant and ticket (`message_tags.ticket_tags`). The configuration set's event
destination publishes bounces and complaints to EventBridge; `functions/mail_feedback` hands each to
`DeliveryFeedback`, which appends a `mail_undelivered` event to the ticket: the team's only (customers never see
it), shown on the ticket in the console, and published as `ticket.mail_undelivered` to the integrations.

The tags carry the ids back, so nothing is looked up. An event without our tags (another application's mail in
the account) is left alone. A notification to a teammate (`AGENT_TAG`) that bounced is theirs to hear of, not the
ticket's (the customer got their mail): it goes to their inbox in the console, where they do read, so an agent whose
address is mistyped or closed learns it there. EventBridge may deliver an event twice: its `feedbackId` is
claimed like a delivery, so one bounce is one event on the ticket (or one notice).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from aws_lambda_powertools import Logger
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from helpdesk.inbox.model import InboxItem
from helpdesk.inbox.ports import InboxStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.principal import TENANT_ID_PATTERN, system_principal
from helpdesk.mail.message_tags import AGENT_TAG, TENANT_TAG, TICKET_TAG, decoded
from helpdesk.mail.outbound import claimed
from helpdesk.mail.ports import MailRecords, TeammateBounces
from helpdesk.tickets.history import EventType, TicketEvent
from helpdesk.tickets.service import TicketService

logger = Logger(child=True)

MAX_DIAGNOSTIC_CHARS = 500  # the receiving server's words: enough to read why, bounded on the event
MAX_RECIPIENTS = 50  # SES takes 50 recipients a message

Outcome = Literal["recorded", "duplicate", "not ours", "invalid", "no ticket"]


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Recipient(_Event):
    address: str = Field(alias="emailAddress", max_length=320)
    status: str | None = Field(default=None, max_length=40)  # the enhanced status code, 5.1.1
    diagnostic: str | None = Field(default=None, alias="diagnosticCode")  # cut to MAX_DIAGNOSTIC_CHARS when kept


class Bounce(_Event):
    bounce_type: str = Field(alias="bounceType", max_length=40)  # Permanent, Transient or Undetermined
    bounce_subtype: str | None = Field(default=None, alias="bounceSubType", max_length=60)
    recipients: list[Recipient] = Field(alias="bouncedRecipients", min_length=1)
    feedback_id: str = Field(alias="feedbackId", min_length=1, max_length=200)


class Complaint(_Event):
    recipients: list[Recipient] = Field(alias="complainedRecipients", min_length=1)
    feedback_id: str = Field(alias="feedbackId", min_length=1, max_length=200)
    feedback_type: str | None = Field(default=None, alias="complaintFeedbackType", max_length=60)


class SentMail(_Event):
    message_id: str = Field(alias="messageId", max_length=200)
    sent_at: datetime = Field(alias="timestamp")
    tags: dict[str, list[str]] = Field(default_factory=dict)


class SesEvent(_Event):
    """SES's event publishing record (EventBridge's `detail` of "Email Bounced" and "Email Complaint Received")."""

    event_type: Literal["Bounce", "Complaint"] = Field(alias="eventType")
    mail: SentMail
    bounce: Bounce | None = None
    complaint: Complaint | None = None


@dataclass(frozen=True)
class DeliveryFeedback:
    tickets: TicketService
    records: MailRecords
    clock: Clock = field(default=system_clock)
    inbox: InboxStore | None = None  # a teammate's bounced notification is told in their console inbox
    teammates: TeammateBounces | None = None  # ... and marks them on the Team screen

    def record(self, detail: Any) -> Outcome:
        """Put one SES event on the ticket its mail was about; the outcome says what was done (logged)."""
        try:
            event = SesEvent.model_validate(detail)
        except ValidationError as exc:
            logger.warning("an SES event we cannot read", extra={"errors": exc.errors(include_input=False)[:5]})
            return "invalid"
        report = event.bounce if event.event_type == "Bounce" else event.complaint
        if report is None:
            return "invalid"
        tenant_id, ticket_id = decoded(event.mail.tags.get(TENANT_TAG)), decoded(event.mail.tags.get(TICKET_TAG))
        if (tenant_id is None or ticket_id is None or len(tenant_id) > 128 or len(ticket_id) > 200
                or not re.fullmatch(TENANT_ID_PATTERN, tenant_id)):
            return "not ours"
        delivery_id = f"FEEDBACK#{report.feedback_id}"
        agent_id = decoded(event.mail.tags.get(AGENT_TAG))
        if agent_id is not None and (self.inbox is None or not 0 < len(agent_id) <= 256):
            return "not ours"
        if not claimed(self.records, delivery_id, "mail feedback"):
            return "duplicate"
        if agent_id is not None and self.inbox is not None:
            return self._teammates(tenant_id, ticket_id, agent_id, report, delivery_id, self.inbox)
        data = _data(event, report)
        try:
            self.tickets.apply_system_change(
                system_principal(tenant_id, "email"), ticket_id,
                lambda ticket: [TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id,
                                            type=EventType.MAIL_UNDELIVERED, actor="email", at=self.clock(),
                                            data=data)])
        except NotFound:
            self.records.complete_delivery(delivery_id, {"ticket": None})
            logger.info("mail feedback for a ticket that is gone", extra={"kind": data["kind"]})
            return "no ticket"
        except Exception:
            self.records.release_delivery(delivery_id)
            raise
        self.records.complete_delivery(delivery_id, {"tenant_id": tenant_id, "ticket_id": ticket_id})
        logger.info("mail feedback recorded", extra={"kind": data["kind"], "tenant_id": tenant_id,
                                                     "ticket_id": ticket_id})
        return "recorded"


    def _teammates(self, tenant_id: str, ticket_id: str, agent_id: str, report: Bounce | Complaint,
                   delivery_id: str, inbox: InboxStore) -> Outcome:
        """Their notification about the ticket did not reach them: one notice in their inbox (an EventBridge
        redelivery finds the feedback claimed). The ticket is left alone."""
        now = self.clock()
        try:
            inbox.add(InboxItem(tenant_id=tenant_id, user_id=agent_id, ticket_id=ticket_id, kind="notice_bounced",
                                event=f"feedback-{hashlib.sha256(report.feedback_id.encode()).hexdigest()[:16]}",
                                at=now))
            # the address itself is wrong or refuses us (a full mailbox, a transient bounce, is not the address's)
            if self.teammates is not None and (isinstance(report, Complaint) or report.bounce_type == "Permanent"):
                self.teammates.note(tenant_id, agent_id, now, _why(report))
        except Exception:
            self.records.release_delivery(delivery_id)
            raise
        self.records.complete_delivery(delivery_id, {"tenant_id": tenant_id, "ticket_id": ticket_id, "agent": True})
        logger.info("a teammate's notification bounced", extra={"tenant_id": tenant_id, "ticket_id": ticket_id,
                                                                "kind": "bounce" if isinstance(report, Bounce)
                                                                else "complaint"})
        return "recorded"


def _why(report: Bounce | Complaint) -> str:
    """In a few words: the receiving server's (a bounce), or that the reader marked it as spam."""
    if isinstance(report, Complaint):
        return "marked our mail as spam"
    first = report.recipients[0]
    return (first.diagnostic or first.status or report.bounce_type)[:MAX_DIAGNOSTIC_CHARS]


def _data(event: SesEvent, report: Bounce | Complaint) -> dict[str, Any]:
    recipients = [{"address": r.address.strip().lower(), "status": r.status,
                   "diagnostic": (r.diagnostic or "")[:MAX_DIAGNOSTIC_CHARS] or None}
                  for r in report.recipients[:MAX_RECIPIENTS]]
    data: dict[str, Any] = {"kind": "bounce" if isinstance(report, Bounce) else "complaint",
                            "recipients": [{k: v for k, v in r.items() if v is not None} for r in recipients],
                            "sent_at": event.mail.sent_at.isoformat(), "provider_id": event.mail.message_id}
    if isinstance(report, Bounce):
        data["bounce_type"] = report.bounce_type.lower()
        if report.bounce_subtype:
            data["bounce_subtype"] = report.bounce_subtype
    elif report.feedback_type:
        data["complaint_type"] = report.feedback_type
    return data

