"""`HelpdeskSource` on Zammad's REST API (an admin's access token: `Authorization: Token token=...`).

Index endpoints page with `page` and `per_page` (a page shorter than asked is the last); `expand=true` names a ticket's
state, priority and group and a user's roles. Articles come per ticket (`ticket_articles/by_ticket`), tags per ticket
(`tags?object=Ticket`), time accounting per ticket, files from `ticket_attachment/<ticket>/<article>/<file>`. Zammad's
own automatic mails (sender `System`: auto-replies, notifications to the customer) are not the conversation and are left
out. Its knowledge base comes as help centre articles (`zammad_kb`)."""

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

import httpx

from helpdesk.imports.adapters.http import (
    ATTEMPTS,
    HelpdeskApi,
    PassedOver,
    UrlCheck,
    by_position,
    html_text,
    source_id,
    ticket_or_reason,
)
from helpdesk.imports.adapters.zammad_config import (
    PRIORITIES,
    STATES,
    UNASSIGNED,
    source_calendar,
    source_macro,
    source_rule,
    source_sla_policy,
    source_view,
)
from helpdesk.imports.adapters.zammad_kb import knowledge_base_articles
from helpdesk.imports.adapters.zammad_triggers import source_time_trigger, source_trigger
from helpdesk.imports.model import (
    SourceAccount,
    SourceArticle,
    SourceAutomation,
    SourceCalendar,
    SourceComment,
    SourceField,
    SourceFile,
    SourceForm,
    SourceGroup,
    SourceLink,
    SourceMacro,
    SourceOrganization,
    SourcePerson,
    SourceRule,
    SourceSlaPolicy,
    SourceTicket,
    SourceTimeEntry,
    SourceTrigger,
    SourceView,
    UnreadableTicket,
)
from helpdesk.imports.ports import CredentialsRefused
from helpdesk.tickets.model import Channel, ImportSource, Priority, Status

PER_PAGE = 100
RECURSIVE_TRIGGERS = "ticket_trigger_recursive"  # the setting that makes Zammad run its triggers again
CHANNELS = {"email": Channel.EMAIL, "web": Channel.WEB, "chat": Channel.CHAT}
# Object manager data types -> kinds here; multiselect, tree_select and the autocompletions have none.
FIELD_KINDS: dict[str, Literal["text", "number", "checkbox", "dropdown", "date"]] = {
    "input": "text", "textarea": "text", "richtext": "text", "integer": "number", "boolean": "checkbox",
    "select": "dropdown", "date": "date", "datetime": "date"}


class ZammadSource:
    name: ImportSource = "zammad"

    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, timeout_s: float = 30.0, attempts: int = ATTEMPTS,
                 per_page: int = PER_PAGE, url_check: UrlCheck | None = None) -> None:
        self._per_page = per_page
        self._fields: list[SourceField] | None = None  # read once: every ticket's values are read by their names
        self._page_at: str | None = None  # the ticket list's page under way
        self._passed_over = PassedOver()
        self._api = HelpdeskApi("Zammad", base_url, headers={"Authorization": f"Token token={token}"},
                                transport=transport, sleep=sleep, timeout_s=timeout_s, attempts=attempts,
                                url_check=url_check,
                                refused_hint="an access token of an admin with the ticket.agent and admin "
                                             "permissions (Profile > Token Access)")

    def close(self) -> None:
        self._api.close()

    # -- HelpdeskSource ------------------------------------------------------------------------------

    def account(self) -> SourceAccount:
        """The token's user, an admin when the token may read Zammad's triggers: an import reads them, its macros,
        overviews and SLAs with admin permissions, which a user without an admin role lacks and a token can be made
        without (its own list of permissions). Zammad counts tickets only by a search, so no count."""
        me = self._api.get_object("/api/v1/users/me")
        if me.get("id") is None:
            raise self._api.refused("(nobody signed in)")
        try:
            self._api.get_list("/api/v1/triggers", {"page": 1, "per_page": 1})
            admin = True
        except CredentialsRefused:
            admin = False
        name = " ".join(str(me.get(p) or "") for p in ("firstname", "lastname")).strip()
        return SourceAccount(name=name or me.get("login"), email=me.get("email") or None, admin=admin)

    def unreadable(self) -> list[str]:
        return self._passed_over.named()

    def organizations(self) -> Iterator[SourceOrganization]:
        return self._passed_over.each("organization", self._pages("/api/v1/organizations"), _organization)

    def people(self) -> Iterator[SourcePerson]:
        return self._passed_over.each("user", self._pages("/api/v1/users", expand=True), _person)

    def groups(self) -> Iterator[SourceGroup]:
        return self._passed_over.each("group", self._pages("/api/v1/groups"),
                                      lambda g: SourceGroup(id=str(g["id"]), name=str(g.get("name") or g["id"])))

    def ticket_fields(self) -> Iterator[SourceField]:
        if self._fields is None:
            # Zammad's own attributes (title, state, owner, ...) are the ones not editable
            custom = [a for a in self._api.get_list("/api/v1/object_manager_attributes")
                      if isinstance(a, dict) and a.get("object") == "Ticket" and a.get("editable")]
            self._fields = list(self._passed_over.each("ticket attribute", custom, self._field))
        return iter(self._fields)

    def tickets(self, since: datetime | None, resume: str | None = None
                ) -> Iterator[SourceTicket | UnreadableTicket]:
        """By id, page after page (Zammad's index order); `resume` is a page number."""
        first = int(resume) if resume and resume.isdigit() else 1
        for t in self._pages("/api/v1/tickets", expand=True, first=first, at=self._ticket_page_at):
            ticket = ticket_or_reason(t, self._ticket)
            if ticket is not None and (since is None or isinstance(ticket, UnreadableTicket)
                                       or ticket.updated_at >= since):
                yield ticket

    def _ticket_page_at(self, page: int) -> None:
        self._page_at = str(page)

    def resume_point(self) -> str | None:
        return self._page_at

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        for a in self._api.get_list(f"/api/v1/ticket_articles/by_ticket/{ticket_id}"):
            if a.get("sender") == "System":
                continue
            html = str(a.get("content_type") or "").startswith("text/html")
            body = str(a.get("body") or "")
            # The author is whom it was written for when an agent wrote it on a customer's behalf (a phone note).
            author = a.get("origin_by_id") or a.get("created_by_id")
            yield SourceComment(id=str(a["id"]), author_id=source_id(author), body=html_text(body) if html else body,
                                public=not a.get("internal"), created_at=a["created_at"],
                                attachments=[self._file(ticket_id, str(a["id"]), f)
                                             for f in a.get("attachments") or []],
                                message_id=a.get("message_id") or None, cc=_addresses(a.get("cc")))

    def ticket_forms(self) -> Iterator[SourceForm]:  # Zammad has no ticket forms (its Core Workflows are not)
        return iter(())

    def macros(self) -> Iterator[SourceMacro]:
        """Text modules (Zammad's canned replies, with `#{...}` variables) and macros (changes and notes)."""
        yield from self._passed_over.each("text module", self._pages("/api/v1/text_modules"), _text_module)
        states, priorities = self._names
        fields = {f.id for f in self.ticket_fields()}
        yield from self._passed_over.each("macro", self._pages("/api/v1/macros"),
                                          lambda m: source_macro(m, states, priorities, fields))

    def routing_rules(self) -> Iterator[SourceRule]:
        """Triggers that act on creation, in their order there (by name, as Zammad runs them); the others are
        triggers here (`triggers`)."""
        states, priorities = self._names
        return self._passed_over.each("trigger", self._trigger_records, lambda t: source_rule(t, states, priorities)
                                      if source_trigger(t, states, priorities) is None else None)  # on creation only

    def triggers(self) -> Iterator[SourceTrigger]:
        """Triggers that act on updates, in their order there (by name); those only on creation are routing rules."""
        states, priorities = self._names
        fields = {f.id for f in self.ticket_fields()}
        return self._passed_over.each("trigger", self._trigger_records,
                                      lambda t: source_trigger(t, states, priorities, fields))

    def triggers_rerun(self) -> bool:
        """Its `ticket_trigger_recursive` setting (Admin > Settings > Ticket; off by default): whether a trigger's
        change sets off the others. A token that may not read it (the setting needs `admin.ticket`) reads as off."""
        for setting in self._api.get_list("/api/v1/settings"):
            if isinstance(setting, dict) and setting.get("name") == RECURSIVE_TRIGGERS:
                return (setting.get("state_current") or {}).get("value") is True
        return False

    def views(self) -> Iterator[SourceView]:
        """Overviews, in their order there (`prio`)."""
        states, priorities = self._names
        fields = {f.id for f in self.ticket_fields()}
        overviews = [o for o in self._api.get_list("/api/v1/overviews") if isinstance(o, dict)]
        return self._passed_over.each("overview", by_position(overviews, "prio"),
                                      lambda o: source_view(o, states, priorities, fields))

    def automations(self) -> Iterator[SourceAutomation]:
        """Scheduler jobs (`/api/v1/jobs`: conditions and changes on a time plan): a time trigger here when one
        relative time condition and the rest have counterparts."""
        states, priorities = self._names
        fields = {f.id for f in self.ticket_fields()}
        jobs = [job for job in self._api.get_list("/api/v1/jobs") if isinstance(job, dict)]
        return self._passed_over.each("scheduler job", jobs, lambda job: SourceAutomation(
            id=f"job:{job['id']}", title=str(job.get("name") or job["id"]), active=bool(job.get("active", True)),
            counterpart="jobs without one relative time condition (\"updated before 3 days\") whose other conditions "
                        "and actions a trigger here has have no counterpart (an SLA policy's warnings, reminders and "
                        "auto-close are the time-based work this helpdesk does)",
            trigger=source_time_trigger(job, states, priorities, fields)))

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        priorities = self._names[1]
        slas = [sla for sla in self._api.get_list("/api/v1/slas") if isinstance(sla, dict)]
        return self._passed_over.each("SLA", slas, lambda sla: source_sla_policy(sla, priorities))

    def calendars(self) -> Iterator[SourceCalendar]:
        calendars = [c for c in self._api.get_list("/api/v1/calendars") if isinstance(c, dict)]
        return self._passed_over.each("calendar", calendars, source_calendar)

    def articles(self) -> Iterator[SourceArticle]:
        """Its knowledge base's answers, every translation (`zammad_kb`)."""
        return knowledge_base_articles(self._api)

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        return self._api.download(file, max_bytes)

    # -- Zammad's shapes -----------------------------------------------------------------------------------

    @cached_property
    def _names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Its ticket states' and priorities' names by id, read once: macros, rules, triggers, overviews and SLAs all
        name them by id."""
        states = {str(s["id"]): str(s.get("name") or "") for s in self._api.get_list("/api/v1/ticket_states")}
        priorities = {str(p["id"]): str(p.get("name") or "") for p in self._api.get_list("/api/v1/ticket_priorities")}
        return states, priorities

    @cached_property
    def _trigger_records(self) -> list[dict[str, Any]]:
        """Its triggers in the order Zammad runs them (by name), read once: those on creation are routing rules, the
        others triggers."""
        found = [t for t in self._api.get_list("/api/v1/triggers") if isinstance(t, dict)]
        return sorted(found, key=lambda t: str(t.get("name") or ""))

    def _ticket(self, t: dict[str, Any]) -> SourceTicket:
        state = str(t.get("state") or "open")
        owner = source_id(t.get("owner_id"))
        tags = self._api.get_object("/api/v1/tags", {"object": "Ticket", "o_id": t["id"]}).get("tags") or []
        return SourceTicket(
            id=str(t["id"]), subject=str(t.get("title") or ""), status=STATES.get(state, Status.OPEN),
            priority=PRIORITIES.get(str(t.get("priority") or "2").split(" ")[0], Priority.NORMAL),
            channel=CHANNELS.get(str(t.get("create_article_type") or ""), Channel.API),
            requester_id=source_id(t.get("customer_id")), assignee_id=owner if owner != UNASSIGNED else None,
            group_id=source_id(t.get("group_id")), organization_id=source_id(t.get("organization_id")),
            tags=[str(tag) for tag in tags], created_at=t["created_at"], updated_at=t["updated_at"],
            url=f"{self._api.base}/#ticket/zoom/{t['id']}", number=source_id(t.get("number")),
            fields={f.id: t.get(f.id) for f in self.ticket_fields() if f.id in t}, links=self._links(t["id"]),
            time_entries=self._time_entries(t["id"]))

    def _links(self, ticket_id: Any) -> list[SourceLink]:
        """Its links to other tickets, each as this ticket reads it (Zammad lists `parent` for the ticket whose parent
        the other is, as links are read here): `normal` is related."""
        found = self._api.get_object("/api/v1/links", {"link_object": "Ticket", "link_object_value": ticket_id})
        kinds: dict[str, Literal["related", "parent", "child"]] = {"normal": "related", "parent": "parent",
                                                                   "child": "child"}
        return [SourceLink(type=kinds[str(link.get("link_type"))], ticket_id=str(link["link_object_value"]))
                for link in found.get("links") or []
                if link.get("link_object") == "Ticket" and str(link.get("link_type")) in kinds]

    def _time_entries(self, ticket_id: Any) -> list[SourceTimeEntry]:
        """Its time accounting, each entry's units taken as minutes (Zammad's unit is a setting, minutes as a rule);
        a Zammad without time accounting's API (before 5.x) answers 404: none."""
        found = self._api.get(f"/api/v1/tickets/{ticket_id}/time_accountings", missing_ok=True)
        entries: list[SourceTimeEntry] = []
        for e in found if isinstance(found, list) else []:
            try:
                minutes = round(float(e.get("time_unit") or 0))
            except (TypeError, ValueError):
                continue
            entries.append(SourceTimeEntry(author_id=source_id(e.get("created_by_id")), minutes=minutes,
                                           at=e["created_at"]))
        return entries

    @staticmethod
    def _field(a: dict[str, Any]) -> SourceField:
        """A custom ticket attribute: its values are the ticket's own keys by its name."""
        data_type = str(a.get("data_type") or "")
        kind = FIELD_KINDS.get(data_type)
        options = (a.get("data_option") or {}).get("options")
        return SourceField(id=str(a["name"]), title=str(a.get("display") or a["name"]), kind=kind or "text",
                           options={str(k): str(v) for k, v in options.items()}
                           if kind == "dropdown" and isinstance(options, dict) else {},
                           active=bool(a.get("active", True)), unsupported=None if kind else data_type)

    def _file(self, ticket_id: str, article_id: str, f: dict[str, Any]) -> SourceFile:
        preferences = f.get("preferences") or {}
        return SourceFile(name=str(f.get("filename") or "file"),
                          content_type=str(preferences.get("Content-Type") or preferences.get("Mime-Type")
                                           or "application/octet-stream"),
                          size=int(f.get("size") or 0),
                          url=f"{self._api.base}/api/v1/ticket_attachment/{ticket_id}/{article_id}/{f['id']}")

    def _pages(self, path: str, *, expand: bool = False, first: int = 1,
               at: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
        """Page after page from `first`; `at` is told each page's number before its items come."""
        page = first
        while True:
            if at is not None:
                at(page)
            items = self._api.get_list(path, {"page": page, "per_page": self._per_page,
                                              **({"expand": "true"} if expand else {})})
            yield from (item for item in items if isinstance(item, dict))
            if len(items) < self._per_page:
                return
            page += 1


def _organization(o: dict[str, Any]) -> SourceOrganization:
    domain = str(o.get("domain") or "").strip()
    return SourceOrganization(id=str(o["id"]), name=str(o.get("name") or o["id"]), domains=[domain] if domain else [],
                              notes=html_text(o.get("note")))


def _person(u: dict[str, Any]) -> SourcePerson:
    name = " ".join(str(part) for part in (u.get("firstname"), u.get("lastname")) if part).strip()
    roles = {str(role) for role in u.get("roles") or []}
    preferences = u.get("preferences")
    preferences = preferences if isinstance(preferences, dict) else {}
    return SourcePerson(id=str(u["id"]), name=name or str(u.get("login") or ""), email=u.get("email") or None,
                        staff=bool(roles & {"Agent", "Admin"}), organization_id=source_id(u.get("organization_id")),
                        notes=html_text(u.get("note")),
                        phone=str(u.get("phone") or u.get("mobile") or "").strip() or None,
                        # the language the user picked (Zammad keeps none where nobody did)
                        language=str(preferences.get("locale") or "").strip() or None)


def _text_module(t: dict[str, Any]) -> SourceMacro:
    """A text module (Zammad's canned reply) as a macro that writes its text."""
    keywords = str(t.get("keywords") or "").strip()
    return SourceMacro(id=f"text_module:{t['id']}", title=str(t.get("name") or t["id"]),
                       description=f"Keywords: {keywords}" if keywords else html_text(t.get("note")),
                       active=bool(t.get("active", True)), group_ids=[str(g) for g in t.get("group_ids") or []],
                       reply=html_text(t.get("content")) or None)


def _addresses(header: Any) -> list[str]:
    """The addresses of an article's `cc` ("Ann <ann@x.example>, bob@y.example"), as mail's headers are read."""
    from email.utils import getaddresses

    return [address for _, address in getaddresses([str(header)]) if "@" in address] if header else []

