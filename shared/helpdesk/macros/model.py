"""Macros: canned replies with placeholders plus ticket actions, applied by an agent in one call.

A macro belongs to one person (`personal`), one group (`group`) or the whole tenant (`tenant`); who may see
and change which is `kernel/sharing.py`'s rule, the same as for saved views.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.kernel.sharing import Scope
from helpdesk.kernel.text import MAX_TAG_CHARS, normalise_tag
from helpdesk.tickets.history import MessageFormat
from helpdesk.tickets.model import MAX_CUSTOM_FIELDS, CustomFields, Priority, Status

MAX_TEMPLATE_CHARS = 16 * 1024
MAX_MACRO_TAGS = 50  # a macro adds, or takes off, at most this many
MAX_MACROS_PER_TENANT = 500  # listing is one Query of the tenant's partition; this keeps it one page


class MacroActions(BaseModel):
    """What applying does, in this order: the public reply, the internal note, then the field changes
    (so "reply and set pending" moves a new ticket to open with the reply, then to pending)."""

    model_config = ConfigDict(extra="forbid")

    reply: str | None = Field(default=None, max_length=MAX_TEMPLATE_CHARS)  # a template: a public reply
    note: str | None = Field(default=None, max_length=MAX_TEMPLATE_CHARS)  # a template: an internal note
    # What the reply and the note are written in (`tickets.history.MESSAGE_FORMAT`); the console's form writes Markdown
    format: MessageFormat = "text"
    status: Status | None = None
    priority: Priority | None = None
    group: str | None = Field(default=None, min_length=1, max_length=128)
    assign_to_me: bool = False
    add_tags: list[str] = Field(default_factory=list, max_length=MAX_MACRO_TAGS)
    remove_tags: list[str] = Field(default_factory=list, max_length=MAX_MACRO_TAGS)
    # Out of the queues for this long after it is applied ("waiting for the supplier: note, snooze 3 days"); a
    # customer's reply brings the ticket back sooner. Not with a status that solves it.
    snooze_hours: int | None = Field(default=None, ge=1, le=24 * 366)
    custom_fields: CustomFields = Field(
        default_factory=dict, max_length=MAX_CUSTOM_FIELDS,
        description="merged into the ticket's custom fields as `PATCH /tickets/{id}` does (a JSON merge patch: each "
                    "key is set, null clears it). A key the tenant defined (`GET /ticket-fields`) takes a value of "
                    "its type: checked when the macro is saved and again when applied (422 `invalid_field_value`)")

    @field_validator("add_tags", "remove_tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not normalise_tag(tag) or len(tag) > MAX_TAG_CHARS:
                raise ValueError(f"tags are 1 to {MAX_TAG_CHARS} characters")
        return tags

    @model_validator(mode="after")
    def _snooze_what_stays_open(self) -> "MacroActions":
        if self.snooze_hours is not None and self.status in (Status.RESOLVED, Status.CLOSED):
            raise ValueError("a macro that solves a ticket does not snooze it (a solved ticket is in no queue)")
        return self

    @property
    def empty(self) -> bool:
        return self == MacroActions()


class MacroDraft(BaseModel):
    """What a caller sends to create or replace a macro."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    scope: Scope = Scope.PERSONAL
    group: str | None = Field(default=None, min_length=1, max_length=128)  # the owning group (scope `group`)
    actions: MacroActions


class Macro(MacroDraft):
    id: str
    tenant_id: str
    owner_id: str | None = None  # the person a personal macro belongs to
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
