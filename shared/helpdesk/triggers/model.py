"""What a trigger is: when (`on`: what happened in the change, a new ticket's opening included; or `after`: hours since
a time of the ticket's, Zendesk's automations), if (the ticket as it stands after the change and the triggers before
it), then (its actions). Saved as one ordered list per tenant (`TriggerList`)."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.kernel.text import MAX_TAG_CHARS, collapsed, normalise_tag, normalise_tags
from helpdesk.macros.model import MAX_TEMPLATE_CHARS
from helpdesk.tickets.fields import MAX_FIELD_FILTERS, MAX_FORMS, FieldCondition
from helpdesk.tickets.history import MessageFormat
from helpdesk.tickets.model import MAX_CUSTOM_FIELDS, Channel, CsatValue, CustomFields, Priority, Status

MAX_TRIGGERS = 50  # each runs on every change of every ticket of the tenant
MAX_TRIGGER_TAGS = 20
MAX_TRIGGER_KEYWORDS = 50
MAX_TRIGGER_ORGANIZATIONS = 50
MAX_TIMER_HOURS = 24 * 365
TRIGGER_ACTOR = "trigger"  # who the changes a trigger makes are by (the event's `trigger` names which one)
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class TriggerEvent(StrEnum):
    """What happened in a change, as a trigger waits for it."""

    TICKET_CREATED = "ticket_created"  # a ticket was opened (mail, chat, the portal, the API; not one imported)
    CUSTOMER_REPLIED = "customer_replied"  # a public message from the customer's side
    AGENT_REPLIED = "agent_replied"  # a public reply of the team
    NOTE_ADDED = "note_added"  # an internal note
    STATUS_CHANGED = "status_changed"
    PRIORITY_CHANGED = "priority_changed"
    GROUP_CHANGED = "group_changed"
    ASSIGNEE_CHANGED = "assignee_changed"
    TAGS_CHANGED = "tags_changed"
    CUSTOMER_RATED = "customer_rated"  # the customer rated the help (with `ratings`: Zendesk's "satisfaction is bad")
    SLA_WARNING = "sla_warning"  # a clock of the ticket's SLA is about to run out (the scheduled scan)
    SLA_BREACHED = "sla_breached"
    # Our mail about the ticket bounced or was marked as spam (SES's report, `helpdesk.mail.feedback`)
    MAIL_UNDELIVERED = "mail_undelivered"


# What a change to an open ticket can set off (another helpdesk's "any update"); the SLA events come only from the
# scheduled scan, a bounce only from SES's report, and a ticket is created once.
CHANGE_EVENTS = tuple(e.value for e in TriggerEvent
                      if e not in (TriggerEvent.SLA_WARNING, TriggerEvent.SLA_BREACHED, TriggerEvent.TICKET_CREATED,
                                   TriggerEvent.MAIL_UNDELIVERED))


class TimerStart(StrEnum):
    """The time of the ticket's a time trigger counts its hours from."""

    CREATED = "created"
    UPDATED = "updated"  # its last change by a person, the customer's or the team's (not the SLA scan's, a trigger's)
    CUSTOMER_MESSAGE = "customer_message"  # the customer's last public message
    TEAM_MESSAGE = "team_message"  # the team's last public reply
    RESOLVED = "resolved"
    # It took its present status: with a status condition, Zendesk's "hours since open / pending / on hold".
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"  # it got its present assignee (an unassigned ticket has no such time)


class TriggerTimer(BaseModel):
    """A time trigger's "when": this many hours after `since` (calendar hours unless `business_hours`; the sweep runs
    hourly, so it acts within the hour after), once for each such time: a ticket updated again waits the hours
    again."""

    model_config = ConfigDict(extra="forbid")

    hours: int = Field(ge=1, le=MAX_TIMER_HOURS)
    since: TimerStart
    business_hours: bool = Field(default=False,
                                 description="count only the ticket's business hours (its SLA policy's calendar, as "
                                             "the SLA clocks count): Zendesk's '(business)' conditions")


def _tags(values: list[str]) -> list[str]:
    if any(not normalise_tag(v) or len(v.strip()) > MAX_TAG_CHARS for v in values):
        raise ValueError(f"tags are 1 to {MAX_TAG_CHARS} characters")
    return list(normalise_tags(values))


class TriggerConditions(BaseModel):
    """Every condition set must hold (an empty list: any); each list is "any of"."""

    model_config = ConfigDict(extra="forbid")

    statuses: list[Status] = Field(default_factory=list, description="the ticket's status is one of these")
    from_statuses: list[Status] = Field(default_factory=list,
                                        description="the status before the change was one of these (a customer "
                                                    "answering a solved ticket: from resolved)")
    priorities: list[Priority] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list, max_length=50, description="the ticket is in one of these groups")
    channels: list[Channel] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_TAGS, description="the ticket has all of them")
    without_tags: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_TAGS,
                                    description="the ticket has none of them")
    assigned: bool | None = Field(default=None, description="true: someone has it; false: nobody; absent: either")
    organizations: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_ORGANIZATIONS,
                                     description="the requester's organisation is one of these (ids)")
    forms: list[str] = Field(default_factory=list, max_length=MAX_FORMS,
                             description="the ticket was opened with one of these request forms (keys)")
    fields: list[FieldCondition] = Field(default_factory=list, max_length=MAX_FIELD_FILTERS,
                                         description="custom field values the ticket has, `key:value` each, all of "
                                                     "them (as `GET /tickets?field=`: plan:enterprise, "
                                                     "needs_engineering:true)")
    ratings: list[CsatValue] = Field(default_factory=list, max_length=2,
                                     description="the customer's satisfaction rating is one of these (good, bad); a "
                                                 "ticket not rated does not match")
    keywords: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_KEYWORDS,
                                description="the change's message (a reply or a note; for a new ticket its subject "
                                            "and description) mentions one of these, as whole words in any case "
                                            "(as a routing rule's keywords); a change without a message does not "
                                            "match")

    @field_validator("tags", "without_tags")
    @classmethod
    def _tag_lists(cls, values: list[str]) -> list[str]:
        return _tags(values)

    @field_validator("groups")
    @classmethod
    def _groups(cls, values: list[str]) -> list[str]:
        if any(not v.strip() or len(v) > 128 for v in values):
            raise ValueError("groups are 1 to 128 characters")
        return [v.strip() for v in values]

    @field_validator("organizations", "forms")
    @classmethod
    def _ids(cls, values: list[str]) -> list[str]:
        if any(not v.strip() or len(v.strip()) > 64 for v in values):
            raise ValueError("ids are 1 to 64 characters")
        return list(dict.fromkeys(v.strip() for v in values))

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, values: list[str]) -> list[str]:
        cleaned = [collapsed(v) for v in values]
        if any(not v or len(v) > 100 for v in cleaned):
            raise ValueError("keywords are 1 to 100 characters")
        return list(dict.fromkeys(cleaned))


class TriggerActions(BaseModel):
    """What a matching trigger does, in this order: group, unassign or assign, priority, tags, custom fields, the
    reply and the note, status, then the mail and the event for the team's integrations."""

    model_config = ConfigDict(extra="forbid")

    group: str | None = Field(default=None, min_length=1, max_length=128)
    unassign: bool = Field(default=False, description="give the ticket back to its group's queue")
    assignee_id: str | None = Field(
        default=None, min_length=1, max_length=128,
        description="give the ticket to this agent (a user id of the directory): checked when saved, and again when "
                    "it acts (an agent disabled since, or not in the ticket's group then, is not given it: left out "
                    "as any action the ticket cannot take)")
    assign_to_actor: bool = Field(
        default=False,
        description="give the ticket to the agent or admin whose change set the trigger off (Zendesk's 'current "
                    "user': 'the first agent who replies takes it'); a customer's, the AI's or an automation's change "
                    "gives it to nobody, nor does one by someone not in the ticket's group then")
    priority: Priority | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_TAGS)
    remove_tags: list[str] = Field(default_factory=list, max_length=MAX_TRIGGER_TAGS)
    reply: str | None = Field(
        default=None, min_length=1, max_length=MAX_TEMPLATE_CHARS,
        description="a public reply to the customer, a template as a macro's (`{{ requester.first_name }}`, "
                    "`{{ ticket.number }}`; `agent.*` is empty: a trigger is no agent): it reaches them as any reply "
                    "does (mail, the portal, the chat), mailed marked automatic so autoresponders stay quiet")
    note: str | None = Field(default=None, min_length=1, max_length=MAX_TEMPLATE_CHARS,
                             description="an internal note for the team, a template as `reply`")
    format: MessageFormat = Field(default="text", description=(
        "what `reply` and `note` are written in: `markdown` (the console's Triggers screen writes it) is shown "
        "formatted as a message of that format is; `text` as typed"))
    custom_fields: CustomFields = Field(
        default_factory=dict, max_length=MAX_CUSTOM_FIELDS,
        description="merged into the ticket's custom fields as a macro's are (a JSON merge patch: each key is set, "
                    "null clears it); a key the tenant defined takes a value of its type, checked when saved")
    status: Status | None = Field(default=None, description="not `new`: a ticket never goes back to it")
    notify: list[Literal["assignee", "group"]] = Field(
        default_factory=list, max_length=2,
        description="mail the one who has the ticket and/or the members of its group (the queue of tickets in no "
                    "group: the admins and the agents in no group), in their language, with the ticket's link")
    integrations: bool = Field(
        default=False,
        description="tell the team's integrations: a `ticket.triggered` event naming the trigger "
                    "(`data.trigger.id`) on the event bus and to the webhooks subscribed to it (Zendesk's "
                    "'notify webhook')")

    @field_validator("add_tags", "remove_tags")
    @classmethod
    def _tag_lists(cls, values: list[str]) -> list[str]:
        return _tags(values)

    @model_validator(mode="after")
    def _does_something(self) -> "TriggerActions":
        if self.status == Status.NEW:
            raise ValueError("a ticket never goes back to new: set open, pending, on_hold, resolved or closed")
        if self.unassign + bool(self.assignee_id) + self.assign_to_actor > 1:
            raise ValueError("a trigger gives the ticket back to the queue (`unassign`), to an agent (`assignee_id`) "
                             "or to the one who made the change (`assign_to_actor`): one of them")
        if not (self.group or self.unassign or self.assignee_id or self.assign_to_actor or self.priority
                or self.add_tags or self.remove_tags or self.reply or self.note or self.custom_fields or self.status
                or self.notify or self.integrations):
            raise ValueError("a trigger sets a group, unassigns or assigns, sets a priority, adds or removes tags, "
                             "replies or adds a note, sets custom fields or a status, mails the team or tells the "
                             "integrations")
        return self


class Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, description="stable: the history names the trigger that made a change")
    name: str = Field(min_length=1, max_length=200)
    active: bool = True
    on: list[TriggerEvent] = Field(default_factory=list,
                                   description="what must have happened in the change: any of these (a trigger has "
                                               "`on` or `after`)")
    after: TriggerTimer | None = Field(
        default=None, description="a time trigger: acts on the tickets that meet its conditions this many hours "
                                  "after the time named (checked hourly), once for each such time")
    conditions: TriggerConditions = Field(default_factory=TriggerConditions)
    actions: TriggerActions

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a trigger has a name")
        return value.strip()

    @model_validator(mode="after")
    def _when(self) -> "Trigger":
        if bool(self.on) == (self.after is not None):
            raise ValueError("a trigger waits for something to happen (`on`) or for time to pass (`after`): one of "
                             "them")
        if self.after is not None and (self.conditions.keywords or self.conditions.from_statuses):
            raise ValueError("a time trigger has no change to read: no `keywords` or `from_statuses` conditions")
        if self.after is not None and self.actions.assign_to_actor:
            raise ValueError("a time trigger has nobody who made a change: no `assign_to_actor`")
        # A reply to a bounce goes to the address that bounced: it bounces too, and sets the trigger off again.
        if TriggerEvent.MAIL_UNDELIVERED in self.on and self.actions.reply:
            raise ValueError("a trigger on `mail_undelivered` does not reply: the reply would go to the address that "
                             "bounced and set it off again (add a note, tags or tell the team instead)")
        return self

    @property
    def timed(self) -> bool:
        return self.active and self.after is not None


class TriggerList(BaseModel):
    """The tenant's triggers, in the order they run (`PUT /triggers` saves the whole list)."""

    model_config = ConfigDict(extra="forbid")

    triggers: list[Trigger] = Field(default_factory=list, max_length=MAX_TRIGGERS)
    rerun: bool = Field(default=False, description=(
        "after a trigger acts, the list runs again from the top and the fields triggers changed (status, priority, "
        "group, assignee, tags) count as what happened, each trigger acting at most once per change (Zendesk's "
        "trigger cycle; time triggers' changes then set off the others too); false: triggers see only the change's "
        "own events and none sets off another (Zammad's default)"))

    @model_validator(mode="after")
    def _unique(self) -> "TriggerList":
        ids = [t.id for t in self.triggers]
        if len(ids) != len(set(ids)):
            raise ValueError("each trigger has an id of its own")
        return self


class TriggersView(TriggerList):
    version: int = 0  # the ETag a save names in If-Match


class TriggerTry(BaseModel):
    """A trigger (saved or not) tried on one ticket as it stands: would it act, and what would it change."""

    model_config = ConfigDict(extra="forbid")

    trigger: Trigger
    ticket: str = Field(min_length=1, max_length=20, pattern=r"^(?:[Tt]-)?0*[0-9]{1,12}$",
                        description="the ticket's number, as the console shows it (T-000123) or bare (123)")
    message: str = Field(default="", max_length=4000,
                         description="the reply or note to try the words against; empty: for `ticket_created` the "
                                     "ticket's subject and description, else none")

    @property
    def number(self) -> int:
        return int(self.ticket.upper().removeprefix("T-"))


class TriggerChange(BaseModel):
    """One change the trigger would make, as the ticket's history would show it."""

    type: str  # the history event's type: priority_changed, tags_changed, triggered, ...
    data: dict[str, object] = Field(default_factory=dict)  # its from and to (or whom it mails)


class TriggerTrial(BaseModel):
    ticket_id: str
    number: str
    matches: bool = Field(description="every condition holds (the trigger's `on` taken as having happened)")
    unmet: list[str] = Field(default_factory=list,
                             description="the conditions that do not hold, by field name (`after`: a time trigger's "
                                         "hours have not passed, or it acted for this time already)")
    changes: list[TriggerChange] = Field(default_factory=list,
                                         description="what it would change (nothing is written); empty when it "
                                                     "does not match or would change nothing")
    due_at: datetime | None = Field(default=None,
                                    description="a time trigger: when its hours have passed on this ticket (absent: "
                                                "it acted for this time already, or the ticket has no such time)")
