"""Saved views: a named set of ticket filters and an order, one person's, one group's or the tenant's
(`kernel/sharing.py` decides who sees and changes which, as for macros)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from helpdesk.kernel.sharing import Scope
from helpdesk.tickets.fields import MAX_FIELD_FILTERS, FieldCondition
from helpdesk.tickets.model import Channel, LinkType, Priority, Status
from helpdesk.tickets.sla_state import SlaStanding

MAX_VIEWS_PER_TENANT = 500  # listing is one Query of the tenant's partition


class ViewOrder(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


class ViewFilters(BaseModel):
    """The filters of `GET /tickets`, combined with AND."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    priority: Priority | None = None
    group: str | None = Field(default=None, min_length=1, max_length=128)
    my_groups: bool = False  # the tickets of the groups of whoever opens it ("Unsolved tickets in your groups")
    assignee: str | None = Field(default=None, min_length=1, max_length=256)  # a user id, or "me"
    unassigned: bool = False  # tickets nobody has ("Unassigned tickets"); not with `assignee`
    unsolved: bool = False  # only tickets still to be solved (new, open, pending, on hold): "Your unsolved tickets"
    follower: str | None = Field(default=None, min_length=1, max_length=128)  # a user id, or "me": who follows it
    requester: str | None = Field(default=None, min_length=1, max_length=256)
    tag: str | None = Field(default=None, min_length=1, max_length=64)
    channel: Channel | None = None
    sla: SlaStanding | None = None
    # False (the default, as the console's queues): not the tickets snoozed now; True: only them; null: both.
    snoozed: bool | None = False
    organization: str | None = Field(default=None, min_length=1, max_length=64)  # the requester's company
    form: str | None = Field(default=None, min_length=1, max_length=40)  # the request form it was opened with
    # tickets holding a link of this type: "child" lists problems (tickets with incidents), "parent" incidents
    link_type: LinkType | None = None
    fields: list[FieldCondition] = Field(default_factory=list, max_length=MAX_FIELD_FILTERS,
                                         description="custom field values, `key:value` each (`GET /tickets?field=`)")

    @model_validator(mode="after")
    def _one_assignee_filter(self) -> "ViewFilters":
        if self.unassigned and self.assignee is not None:
            raise ValueError("a view lists one assignee's tickets or unassigned ones, not both")
        return self


class ViewDraft(BaseModel):
    """What a caller sends to create or replace a view."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    scope: Scope = Scope.PERSONAL
    group: str | None = Field(default=None, min_length=1, max_length=128)  # the owning group (scope `group`)
    filters: ViewFilters = Field(default_factory=ViewFilters)
    order: ViewOrder = ViewOrder.NEWEST


class View(ViewDraft):
    id: str
    tenant_id: str
    owner_id: str | None = None
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
