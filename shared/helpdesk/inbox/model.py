"""What an agent's inbox in the console holds: the news of their tickets the team's mail also tells them of (a
ticket given to them, a customer's message on it, a mention, a followed ticket's news, a new ticket in their
queue...), one item per event and agent, kept 30 days.

An item holds ids only (the ticket, the teammate who acted): the ticket's number, subject and customer are read
when the inbox is, so an erasure or a retention scan that rewrites a ticket leaves nothing of the person here, and
an agent who may no longer open the ticket no longer sees its news.
"""

from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KEPT_FOR = timedelta(days=30)  # then DynamoDB's TTL removes it: news a month old is no longer news
MAX_UNREAD = 99  # counted up to this ("99+"): the count is the newest items read, not a scan of the month
MAX_READ_AT_ONCE = 100  # ids in one "mark as read"
# What happened for them (`mail.notifications`): a new ticket in their queue, a ticket given to them, the customer's
# message, solving or bad rating on theirs, an answer to a side conversation, a snooze ended, a trigger's notice, our
# mail bounced, a colleague's mention, a followed ticket's reply or note by a colleague, an SLA warning or breach.
# An SLA warning or breach on their ticket is kept here only: the SLA scan mails it itself. `notice_bounced`: one of
# those mails to them bounced or was marked as spam (`mail.feedback`): here, where they do read.
NoticeKind = Literal["new_ticket", "assigned", "customer_replied", "customer_solved", "rated_bad", "side_replied",
                     "snooze_ended", "triggered", "undelivered", "mentioned", "colleague_replied", "colleague_noted",
                     "sla_warning", "sla_breached", "notice_bounced"]


def stamp(at: datetime) -> str:
    """A time as the inbox sorts it: UTC, microseconds, fixed width."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class InboxItem(BaseModel):
    tenant_id: str
    user_id: str  # whose inbox
    ticket_id: str
    kind: NoticeKind
    event: str  # the ticket event's number, or `new` for a new ticket (news once however often it is routed)
    at: datetime  # when it happened (the event's time; for a new ticket, its opening)
    actor: str | None = None  # who did it, when a teammate did (a customer's message names the customer instead)
    following: bool = False  # news of a ticket they follow, not one that is theirs
    read_at: datetime | None = None

    @property
    def id(self) -> str:
        """Its place in the inbox: newest first by time, one per event and agent."""
        return f"{stamp(self.at)}#{self.ticket_id}#{self.event}"


class MarkRead(BaseModel):
    """What to mark as read: these items, every item of a ticket (the agent opened it), or everything up to and
    including an item (the newest one the agent saw)."""

    model_config = ConfigDict(extra="forbid")

    ids: list[str] = Field(default_factory=list, max_length=MAX_READ_AT_ONCE)
    ticket_id: str | None = Field(default=None, min_length=1, max_length=128)
    until: str | None = Field(default=None, min_length=1, max_length=256)
