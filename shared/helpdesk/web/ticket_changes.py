"""The fields a client changes on a ticket (`PATCH /tickets/{id}`, each ticket of `POST /tickets/bulk`): one
request model, so both endpoints take and check the same fields."""

from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from helpdesk.tickets.model import MAX_CUSTOM_FIELDS, CustomFields, Priority, Status
from helpdesk.tickets.service import MAX_TICKET_TAGS
from helpdesk.web.validation import tag_list

Tags = Annotated[list[str], AfterValidator(tag_list)]


class TicketChanges(BaseModel):
    """Only what is sent changes. `assignee_id` and `group` may be null (unassign, no group); a ticket
    always has a status, a priority and a tag list, so null is refused for those (422). `custom_fields` (agents)
    is merged into each ticket's as a JSON merge patch: each key sent is set, null removes it, keys not sent stay.
    A key the tenant defined (`GET /ticket-fields`) takes a value of its type (422 `invalid_field_value`
    otherwise, before any ticket is written)."""

    model_config = ConfigDict(extra="forbid")

    status: Status = Field(default=None)  # type: ignore[assignment]  # absent: unchanged; null: 422
    priority: Priority = Field(default=None)  # type: ignore[assignment]
    assignee_id: str | None = Field(default=None, max_length=256)
    group: str | None = Field(default=None, max_length=128)
    tags: Tags = Field(default=None, max_length=MAX_TICKET_TAGS)  # type: ignore[arg-type]
    # added to / removed from each ticket's own tags (not with `tags`, which replaces the whole set)
    add_tags: Tags = Field(default=None, max_length=MAX_TICKET_TAGS)  # type: ignore[arg-type]
    remove_tags: Tags = Field(default=None, max_length=MAX_TICKET_TAGS)  # type: ignore[arg-type]
    custom_fields: CustomFields = Field(default=None, max_length=MAX_CUSTOM_FIELDS)  # type: ignore[arg-type]
    snoozed_until: AwareDatetime | None = Field(
        default=None, description="agents: out of the team's queues (`GET /tickets?snoozed=false`) until then, at "
                                  "most a year ahead, for a ticket still to be solved (409 `invalid_transition` "
                                  "otherwise); null: back now. A customer's reply or solving it ends the snooze")
