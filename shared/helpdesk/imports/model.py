"""What another helpdesk holds, in its own words (ids are the old helpdesk's), and what an import did."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from helpdesk.kernel.errors import DomainError
from helpdesk.tickets.model import Channel, CsatValue, ImportSource, Priority, Status
from helpdesk.triggers.model import TriggerTimer


class SourceOrganization(BaseModel):
    id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    notes: str = ""


class SourcePerson(BaseModel):
    """A user of the old helpdesk: a customer (who asked) or one of the team (who answered)."""

    id: str
    name: str
    email: str | None = None
    staff: bool = False
    organization_id: str | None = None
    notes: str = ""  # what the old team noted about the person (a customer's become the team's notes on them here)
    # A customer's other addresses there (FreeScout keeps several per customer): linked to them here
    other_emails: list[str] = Field(default_factory=list)
    # A customer's phone and the language they chose there: their profile here (`directory.profiles`)
    phone: str | None = None
    language: str | None = None


class SourceGroup(BaseModel):
    id: str
    name: str


class SourceField(BaseModel):
    """A custom ticket field of the old helpdesk, its kind in this helpdesk's terms (`imports.fields` maps it)."""

    id: str
    title: str
    kind: Literal["text", "number", "checkbox", "dropdown", "date"] = "text"
    options: dict[str, str] = Field(default_factory=dict)  # a dropdown's stored values -> the names people read
    description: str = ""
    active: bool = True
    required_to_resolve: bool = False
    customer_visible: bool = False
    customer_editable: bool = False
    unsupported: str | None = None  # its kind there, when this helpdesk has no counterpart (not imported)


class SourceCondition(BaseModel):
    """A form's fields asked only after an answer to another (Zendesk's end-user conditions), by the old ids."""

    when: str  # the deciding field's id
    value: str | bool  # a dropdown's stored value, or a checkbox's state
    show: list[str] = Field(default_factory=list)  # field ids asked then
    required: list[str] = Field(default_factory=list)  # those of `show` required then


class SourceForm(BaseModel):
    """A ticket form of the old helpdesk: the kind of request a customer picked, and the fields it asked."""

    id: str
    name: str
    field_ids: list[str] = Field(default_factory=list)  # in the order it asks them
    active: bool = True  # offered to customers there
    conditions: list[SourceCondition] = Field(default_factory=list)


class SourceMacro(BaseModel):
    """A macro (canned reply and actions) of the old helpdesk; its texts in that helpdesk's placeholder language."""

    id: str
    title: str
    description: str = ""
    active: bool = True
    group_ids: list[str] = Field(default_factory=list)  # only these groups' agents used it there
    owner_id: str | None = None  # one agent's own there
    reply: str | None = None
    note: str | None = None
    status: Status | None = None
    priority: Priority | None = None
    group_id: str | None = None  # the group it moves a ticket to
    assign_to_me: bool = False
    add_tags: list[str] = Field(default_factory=list)
    remove_tags: list[str] = Field(default_factory=list)
    field_values: dict[str, Any] = Field(default_factory=dict)  # by the old field's id
    unsupported: list[str] = Field(default_factory=list)  # what it does there that it cannot do here


class ItemImportReport(BaseModel):
    """Macros, routing rules or views: created, ones an earlier run made (left as they are: someone may have edited
    them), and the ones not imported with the reason; `changed` names, per item, what it does differently here."""

    created: int = 0
    already_imported: int = 0
    skipped: dict[str, str] = Field(default_factory=dict)
    changed: dict[str, list[str]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)  # of the items as a whole (how the trigger list runs)

    def record(self, title: str, write: Callable[[], object] | None, changed: list[str]) -> bool:
        """One item: written (`write`; None in a dry run) and counted with what it does differently here, or
        skipped with the reason this helpdesk refused it (a rule the service checks on every write)."""
        if write is not None:
            try:
                write()
            except DomainError as exc:
                self.skipped[title] = exc.message[:300]
                return False
        self.created += 1
        if changed:
            self.changed[title] = changed
        return True


class SourceRule(BaseModel):
    """A rule the old helpdesk applied to new tickets (a Zendesk trigger), in the terms of a routing rule here;
    `unsupported` names conditions with no counterpart (the rule is then not imported: without them it would route
    more than it did) and actions with none (left out)."""

    id: str
    title: str
    active: bool = True
    keywords: list[str] = Field(default_factory=list)  # any of them, in the subject or the text
    channels: list[Channel] = Field(default_factory=list)
    organization_ids: list[str] = Field(default_factory=list)  # the requester's organisation there (its domains)
    group_id: str | None = None
    priority: Priority | None = None
    tags: list[str] = Field(default_factory=list)
    conditions_unsupported: list[str] = Field(default_factory=list)
    actions_unsupported: list[str] = Field(default_factory=list)


class SourceTrigger(BaseModel):
    """A rule the old helpdesk applied when a ticket changed (a Zammad trigger on updates), in the terms of a trigger
    here (`helpdesk.triggers`): what it waited for (`on`, `TriggerEvent` values), the ticket's state it asked for, and
    what it set. `conditions_unsupported` keeps it out (without them it would change other tickets than it did);
    `actions_unsupported` names what it did there that no trigger does here (left out)."""

    id: str
    title: str
    active: bool = True
    on: list[str] = Field(default_factory=list)
    after: TriggerTimer | None = None  # a time trigger (from a time-based rule there): `on` is empty
    statuses: list[Status] = Field(default_factory=list)
    from_statuses: list[Status] = Field(default_factory=list)  # the status before the change
    priorities: list[Priority] = Field(default_factory=list)
    group_ids: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)  # all of them
    without_tags: list[str] = Field(default_factory=list)
    assigned: bool | None = None
    channels: list[Channel] = Field(default_factory=list)  # it came in by one of these
    organization_ids: list[str] = Field(default_factory=list)  # the requester's organisation is one of these
    field_values: dict[str, Any] = Field(default_factory=dict)  # by the old field's id: the ticket holds each
    form_ids: list[str] = Field(default_factory=list)  # it was opened with one of these forms
    keywords: list[str] = Field(default_factory=list)  # the change's message mentions one of these
    ratings: list[CsatValue] = Field(default_factory=list)  # the customer's rating is one of these
    group_id: str | None = None  # the group it moves the ticket to
    unassign: bool = False
    assignee_id: str | None = None  # the old helpdesk's agent it gives the ticket to
    assign_to_actor: bool = False  # it gives the ticket to the one who made the change ("the current user")
    reply: str | None = None  # a public comment it adds, in the old helpdesk's placeholders
    note: str | None = None  # an internal one
    priority: Priority | None = None
    add_tags: list[str] = Field(default_factory=list)
    remove_tags: list[str] = Field(default_factory=list)
    status: Status | None = None
    notify: list[Literal["assignee", "group"]] = Field(default_factory=list)  # whom of the team it mailed
    integrations: bool = False  # it called a webhook there: a ticket.triggered event here
    set_field_values: dict[str, Any] = Field(default_factory=dict)  # by the old field's id: what it set them to
    conditions_unsupported: list[str] = Field(default_factory=list)
    actions_unsupported: list[str] = Field(default_factory=list)


# What a SourceTrigger's actions are (the keys an adapter fills): one of them set, it does something here.
TRIGGER_ACTION_KEYS = ("status", "priority", "group_id", "add_tags", "remove_tags", "unassign", "assignee_id",
                       "assign_to_actor", "reply", "note", "notify", "integrations", "set_field_values")


def acts(found: Mapping[str, Any]) -> bool:
    """Whether the actions an adapter read for a trigger (by `SourceTrigger`'s names) do anything here."""
    return any(found.get(key) for key in TRIGGER_ACTION_KEYS)


class SourceView(BaseModel):
    """A saved ticket list of the old helpdesk (a Zendesk view, a Zammad overview) in the terms of a view here;
    `conditions_unsupported` names conditions with no counterpart (the view is then not imported: without them it
    would list other tickets than it did there)."""

    id: str
    title: str
    active: bool = True
    group_ids: list[str] = Field(default_factory=list)  # shared with these groups' agents there
    owner_id: str | None = None  # one agent's own there
    statuses: list[Status] = Field(default_factory=list)  # any of these; none: every status
    priority: Priority | None = None
    group_id: str | None = None
    my_groups: bool = False  # the groups of whoever opens it
    assignee: str | None = None  # "me" (whoever opens it), or an old person's id
    unassigned: bool = False
    tag: str | None = None
    organization_id: str | None = None
    form_id: str | None = None
    channel: Channel | None = None
    field_values: dict[str, Any] = Field(default_factory=dict)  # by the old field's id
    oldest_first: bool = False
    order_unsupported: str | None = None  # what it was ordered by there, when not by creation
    conditions_unsupported: list[str] = Field(default_factory=list)


class SourceCalendar(BaseModel):
    """Business hours of the old helpdesk (a Zendesk schedule, a Zammad calendar): a time zone, opening spans per
    weekday and holidays; `unsupported` says why it cannot come over (a time zone this helpdesk does not know)."""

    id: str
    name: str
    timezone: str = "UTC"  # an IANA name
    hours: dict[str, list[tuple[str, str]]] = Field(default_factory=dict)  # "mon".."sun" -> [("09:00", "17:00")]
    holidays: list[date] = Field(default_factory=list)
    unsupported: str | None = None


class SourceSlaPolicy(BaseModel):
    """An SLA policy of the old helpdesk in the terms of one here: minutes per priority and target
    (`first_response`, `next_response`, `resolution`), counted on its calendar (None: around the clock), and the
    tickets it applies to. `conditions_unsupported` keeps it out (without them it would apply to other tickets);
    `targets_unsupported` names what it measured there that no target here measures, or measures otherwise."""

    id: str
    title: str
    calendar_id: str | None = None
    targets: dict[Priority, dict[str, int]] = Field(default_factory=dict)
    priorities: list[Priority] = Field(default_factory=list)  # any of these; none: every priority
    channels: list[Channel] = Field(default_factory=list)
    group_ids: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)  # any of them
    conditions_unsupported: list[str] = Field(default_factory=list)
    targets_unsupported: list[str] = Field(default_factory=list)


class SourceAutomation(BaseModel):
    """A time-based rule of the old helpdesk (Zendesk's automations, Zammad's scheduler jobs): none comes over, each is
    named with what does its work here (`counterpart`), if anything does."""

    id: str
    title: str
    active: bool = True
    counterpart: str
    # The time trigger that does what it did, when every condition and an action has a counterpart (then it comes
    # over with the triggers, and `counterpart` is not needed).
    trigger: SourceTrigger | None = None


class SourceFile(BaseModel):
    """A file on a message, fetched from the old helpdesk when the import writes the message."""

    name: str
    content_type: str
    size: int
    url: str


class SourceComment(BaseModel):
    """One message of a ticket's conversation: the first is the request itself."""

    id: str
    author_id: str | None
    body: str
    public: bool
    created_at: datetime
    attachments: list[SourceFile] = Field(default_factory=list)
    message_id: str | None = None  # the mail's Message-ID, when it came by mail: replies to it thread in here
    cc: list[str] = Field(default_factory=list)  # the addresses it was copied to (Zammad keeps them per article)


class SourceTimeEntry(BaseModel):
    """Time one of the team logged on a ticket there (Zammad's time accounting, FreeScout's time tracking)."""

    author_id: str | None
    minutes: int
    at: datetime


class SourceLink(BaseModel):
    """Another ticket of the old helpdesk this one belongs with: `parent` (a Zendesk incident's problem), `child` (a
    problem's incidents)."""

    type: Literal["related", "parent", "child"]
    ticket_id: str


class SourceTicket(BaseModel):
    id: str
    subject: str
    status: Status | None  # None: deleted in the old helpdesk (not imported)
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.API
    requester_id: str | None
    assignee_id: str | None = None
    group_id: str | None = None
    organization_id: str | None = None
    cc_ids: list[str] = Field(default_factory=list)
    follower_ids: list[str] = Field(default_factory=list)  # the team members who followed it there
    tags: list[str] = Field(default_factory=list)
    rating: Literal["good", "bad"] | None = None  # the customer's satisfaction rating there
    rating_comment: str | None = None
    created_at: datetime
    updated_at: datetime
    url: str | None = None  # its page in the old helpdesk
    number: str | None = None  # the number people knew it by, when it is not its id
    fields: dict[str, Any] = Field(default_factory=dict)  # custom field values by the old field's id, as stored there
    form_id: str | None = None  # the ticket form it was opened with
    links: list[SourceLink] = Field(default_factory=list)
    time_entries: list[SourceTimeEntry] = Field(default_factory=list)


class UnreadableTicket(BaseModel):
    """A ticket of the old helpdesk its adapter could not read (a field missing or of another kind than its API says):
    named in the report with why, and the run goes on with the others."""

    id: str
    reason: str


class SourceArticle(BaseModel):
    """A help centre article of the old helpdesk, its body in HTML."""

    id: str
    title: str
    html: str
    locale: str = "en"
    section: str = ""
    labels: list[str] = Field(default_factory=list)
    draft: bool = False
    restricted: bool = False  # only some users may read it there (signed-in customers, agents): internal here
    translation_of: str | None = None  # the source id of the article this translates (it comes first)


class ArticleImportReport(BaseModel):
    """Articles by outcome (`KnowledgeService.import_article`'s: created, updated, unchanged, held, archived) and
    the ones not imported with the reason."""

    outcomes: dict[str, int] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    pictures_imported: int = 0  # pictures the articles show, now served from here
    pictures_left: list[str] = Field(default_factory=list)  # ones that could not be had: their old address stays


class ListingPosition(BaseModel):
    """Where an import job's rounds are in the old helpdesk's ticket list: the page under way (its source's
    `resume_point()`) and the tickets of that page already handled. The next round starts at that page and handles
    none of them again, so a large helpdesk is not listed from the start every round (Zendesk's export allows 10
    pages a minute) and no ticket is counted twice."""

    page: str | None = None
    done: list[str] = Field(default_factory=list)  # old ids, at most a page's worth


class SourceAccount(BaseModel):
    """Whom an import's credentials sign in as there, and how many tickets wait (a connection check, before an import
    is queued)."""

    name: str | None = None  # the person the token is of (FreeScout's API key is nobody's)
    email: str | None = None
    admin: bool | None = None  # None: the helpdesk does not say (FreeScout's key reads everything)
    tickets: int | None = None  # where the helpdesk counts them in one request


class ImportReport(BaseModel):
    """What one run did; a rerun skips what an earlier one imported (`already_imported`)."""

    tenant_id: str
    source: ImportSource
    dry_run: bool = False
    tickets_imported: int = 0
    already_imported: int = 0
    # Of those, tickets an earlier run brought without their assignee or group, given them now that the team has
    # the agent or group (only where still empty here; nobody is notified).
    tickets_completed: int = 0
    deleted_skipped: int = 0
    tickets_failed: int = 0  # data this helpdesk cannot take (named in `problems`); the run goes on
    messages: int = 0
    time_entries: int = 0  # time logged there, brought over as logged here (each ticket's total and timesheet)
    organizations_created: int = 0
    organizations_matched: int = 0
    customer_notes: int = 0  # customers whose notes there became the team's notes on them here (none written over)
    # customers whose phone or language there became their profile here (none written over)
    customer_profiles: int = 0
    # Customers' other addresses there linked to them here (`/customers/{key}/addresses`); one linked to another
    # customer here already stays theirs (named in `problems`)
    customer_addresses: int = 0
    # Names of the old helpdesk's agents and groups with no counterpart in the directory, with how many tickets
    # were theirs: those tickets come over unassigned / in no group (add the person or group, then reassign).
    agents_not_in_directory: dict[str, int] = Field(default_factory=dict)
    groups_not_in_directory: dict[str, int] = Field(default_factory=dict)
    message_ids_remembered: int = 0  # mails of imported conversations whose replies now thread into them
    attachments_imported: int = 0
    # Files not brought over (a type or size this helpdesk refuses, a download that failed): each message names its
    # own under `attachments_left` with the reason; they stay in the old helpdesk.
    attachments_left: int = 0
    # Custom ticket fields: keys added to the tenant's fields, keys found there (an earlier run's), old fields not
    # brought over with the reason, and single values that could not come (named in `problems`).
    fields_created: list[str] = Field(default_factory=list)
    fields_matched: list[str] = Field(default_factory=list)
    fields_skipped: dict[str, str] = Field(default_factory=dict)
    field_values_dropped: int = 0
    forms_created: list[str] = Field(default_factory=list)  # request forms, by key, as fields are
    forms_matched: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    articles: ArticleImportReport | None = None  # when the help centre was imported too
    macros: ItemImportReport | None = None  # when the macros were imported too
    rules: ItemImportReport | None = None  # the rules for new tickets (Zendesk's triggers), when imported too
    triggers: ItemImportReport | None = None  # the rules on changes (Zammad's triggers on updates), as triggers
    automations: ItemImportReport | None = None  # time-based rules: none imported, each named with its counterpart
    views: ItemImportReport | None = None  # Zendesk's views, Zammad's overviews, when imported too
    calendars: ItemImportReport | None = None  # business hours the SLA policies count on, when imported too
    sla_policies: ItemImportReport | None = None
