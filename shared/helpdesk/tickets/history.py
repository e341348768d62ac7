"""The append-only ticket event log: the ticket's history and its audit trail."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field


class EventType(StrEnum):
    CREATED = "created"
    PUBLIC_MESSAGE = "public_message"
    INTERNAL_NOTE = "internal_note"
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    ASSIGNEE_CHANGED = "assignee_changed"
    GROUP_CHANGED = "group_changed"
    TAGS_CHANGED = "tags_changed"
    FIELDS_CHANGED = "fields_changed"
    SUBJECT_CHANGED = "subject_changed"  # an agent renamed the ticket (data: from, to); the team's housekeeping
    PARTICIPANTS_CHANGED = "participants_changed"
    FOLLOWERS_CHANGED = "followers_changed"  # team members who get the ticket's news by mail (data: from, to)
    REQUESTER_CHANGED = "requester_changed"  # e.g. a chat visitor proved their address
    SLA = "sla"  # SLA warnings, breaches and policy fallbacks (data.kind says which)
    MACRO_APPLIED = "macro_applied"  # which macro an agent applied; its reply and changes are their own events
    MERGED = "merged"  # on the source (data.into) and on the target (data.from): one merge, both sides
    LINKED = "linked"  # a link to another ticket was added (data: type, ticket_id)
    UNLINKED = "unlinked"
    PERSON_ERASED = "person_erased"  # a privacy erasure took a person out of the ticket (data: erasure id, pseudonym)
    CONTENT_REMOVED = "content_removed"  # the tenant's retention period ended: the text and files are gone
    CSAT_RATED = "csat_rated"  # the customer rated the help (data: rating good|bad, comment, previous)
    TIME_LOGGED = "time_logged"  # an agent logged time worked on it (data: minutes, negative for a correction; total)
    # Out of the team's queues until a time (data: from, to; to null: back now, with `woke` saying why when the
    # ticket came back by itself: a customer's reply, or it was solved).
    SNOOZED = "snoozed"
    # A trigger that mails the team ran (data: trigger {id, name}, notify: whom, body: the change's message, if any).
    TRIGGERED = "triggered"
    # Mail we sent about the ticket did not reach someone: it bounced, or they marked it as spam (SES's feedback,
    # `helpdesk.mail.feedback`; data: kind bounce|complaint, recipients, bounce_type, sent_at, provider_id).
    MAIL_UNDELIVERED = "mail_undelivered"
    # The team took a text out of the ticket (`privacy.redactions`; data: places, events_redacted, mails_deleted, ...,
    # never the text).
    TEXT_REDACTED = "text_redacted"


# Event types a customer may never see.
# Custom field changes are the team's: a field may say "churn risk: high" (customers see no custom fields either);
# so is the time the team logged.
# Tags are the team's labels ("vip", "spam", "unverified-sender", a rule's, triage's `category:`): customers see none.
INTERNAL_EVENT_TYPES = frozenset({EventType.INTERNAL_NOTE, EventType.SLA, EventType.MACRO_APPLIED, EventType.LINKED,
                                  EventType.UNLINKED, EventType.SUBJECT_CHANGED, EventType.FIELDS_CHANGED,
                                  EventType.TIME_LOGGED, EventType.FOLLOWERS_CHANGED, EventType.TAGS_CHANGED,
                                  EventType.SNOOZED, EventType.TRIGGERED, EventType.MAIL_UNDELIVERED,
                                  EventType.TEXT_REDACTED})
# What AI records on an event it made or drafted (model, method, confidence, ...): the team's context, removed
# from what a customer is shown of a visible event (an agent's reply sent from an AI draft).
AI_DATA_KEYS = frozenset({"ai", "ai_field", "ai_draft", "edited", "model", "prompt_version", "confidence", "method",
                          "citations", "revert_of"})
# On a message a problem's reply sent to its child tickets (`macros.child_replies`): the problem's id and number.
PARENT_ID, PARENT_NUMBER = "parent_id", "parent_number"
# ... and the team's own automation: which of its triggers made a change (its name may say "VIP" or "churn risk"),
# and the problem ticket a reply came from (links are the team's: customers see none).
# ... and the request a reply to child tickets was written by (`web.idempotency.request_id`): how its retry knows
# what the first attempt wrote.
REQUEST_ID = "request_id"
# On a customer's message that only thanked on a solved ticket, which stayed solved (`tickets.thanks`).
KEPT_SOLVED = "kept_solved"
# On a message written in Markdown (an agent's reply or note from the console: lists, emphasis, links), "format":
# "markdown". Without it a message is plain text, as every customer's, mail's and API client's is: text never
# becomes markup unless its writer chose Markdown and saw it shown so.
MESSAGE_FORMAT, MARKDOWN = "format", "markdown"
MessageFormat = Literal["text", "markdown"]  # what a request says its text is
# On a mail's message that was held and let in by an admin (`mail.service.InboundMail.admitted_by`): the team's record.
ADMITTED_BY = "admitted_by"
TEAM_DATA_KEYS = AI_DATA_KEYS | {"trigger", PARENT_ID, PARENT_NUMBER, REQUEST_ID, KEPT_SOLVED, ADMITTED_BY}


def written_in_markdown(data: dict[str, Any]) -> bool:
    """Whether a message event's text is Markdown (`MESSAGE_FORMAT`)."""
    return data.get(MESSAGE_FORMAT) == MARKDOWN


def format_meta(written_as: MessageFormat) -> dict[str, Any]:
    """What a message written as `written_as` records of it: nothing for text, the default."""
    return {MESSAGE_FORMAT: MARKDOWN} if written_as == MARKDOWN else {}


def customer_status(status: Any) -> Any:
    """A ticket status as its customer is shown it: the team's "on hold" (waiting for someone else) is "open"."""
    return "open" if status == "on_hold" else status


class TicketEvent(BaseModel):
    ticket_id: str
    tenant_id: str
    type: EventType
    actor: str
    at: datetime
    data: dict[str, Any] = Field(default_factory=dict)
    seq: int = 0  # assigned by the repository when written, in order
    # True for events only the team sees whatever their type: every change AI made or undid (triage's fields).
    internal: bool = False
    # True for history brought over from another helpdesk (`helpdesk import`): shown and searched like any event,
    # but nothing reacts to it (no mail, no triage, no webhook): it all happened before, elsewhere.
    imported: bool = False

    @property
    def is_internal(self) -> bool:
        return self.internal or self.type in INTERNAL_EVENT_TYPES

    @property
    def shown_to_customers(self) -> bool:
        """Not the team's own (`is_internal`), and not a status change a customer cannot see (open to on hold: to
        them both are open)."""
        if self.is_internal:
            return False
        if self.type == EventType.STATUS_CHANGED:
            return bool(customer_status(self.data.get("from")) != customer_status(self.data.get("to")))
        return True

    def for_customer(self) -> "TicketEvent":
        """The event as a customer may see it: without AI's bookkeeping and the team's triggers."""
        data = {k: v for k, v in self.data.items() if k not in TEAM_DATA_KEYS}
        if self.type == EventType.STATUS_CHANGED:
            data.update({k: customer_status(data[k]) for k in ("from", "to") if k in data})
        return self if data == self.data else self.model_copy(update={"data": data})
