"""A reminder: one per agent and ticket, at a time; sent once (the record stays, marked sent, until the agent removes
it or sets another time). It carries no text of its own: what the ticket is about is on the ticket, and erasure and
retention reach it there."""

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

MAX_REMINDER_AHEAD = timedelta(days=365)
MIN_REMINDER_AHEAD = timedelta(minutes=1)
MAX_REMINDERS_PER_AGENT = 200
MAX_DUE_PER_RUN = 200  # a scan sends at most this many; the next one (minutes later) sends the rest


class Reminder(BaseModel):
    tenant_id: str
    user_id: str
    ticket_id: str
    number: str  # T-000123, as the list shows it (not the subject: customer text stays on the ticket)
    at: datetime
    created_at: datetime
    sent_at: datetime | None = None


class ReminderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime = Field(description="when (with its offset): at least a minute and at most a year ahead")


class ReminderView(BaseModel):
    ticket_id: str
    number: str
    at: datetime
    sent: bool

    @classmethod
    def of(cls, reminder: Reminder) -> "ReminderView":
        return cls(ticket_id=reminder.ticket_id, number=reminder.number, at=reminder.at,
                   sent=reminder.sent_at is not None)
