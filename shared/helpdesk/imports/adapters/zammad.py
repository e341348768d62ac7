"""`HelpdeskSource` on Zammad's REST API (an admin's access token: `Authorization: Token token=...`).

Index endpoints page with `page` and `per_page` (a page shorter than asked is the last); `expand=true` names a
ticket's state, priority and group and a user's roles. Articles come per ticket (`ticket_articles/by_ticket`), tags
per ticket (`tags?object=Ticket`), files from `ticket_attachment/<ticket>/<article>/<file>`. Zammad's own
automatic mails (sender `System`: auto-replies, notifications to the customer) are not the conversation and are left
out. Its knowledge base is not imported (`articles` lists none).
"""

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, Literal

import httpx

from helpdesk.imports.adapters.http import HelpdeskApi, source_id
from helpdesk.imports.model import (
    SourceArticle,
    SourceCalendar,
    SourceComment,
    SourceField,
    SourceFile,
    SourceForm,
    SourceGroup,
    SourceMacro,
    SourceOrganization,
    SourcePerson,
    SourceRule,
    SourceSlaPolicy,
    SourceTicket,
    SourceView,
)
from helpdesk.tickets.model import Channel, ImportSource, Priority, Status

PER_PAGE = 100
# Zammad's default states; a state an admin added there is taken as open (someone still has to look at it).
STATES: dict[str, Status | None] = {
    "new": Status.NEW, "open": Status.OPEN, "pending reminder": Status.PENDING, "pending close": Status.PENDING,
    "closed": Status.CLOSED, "merged": Status.CLOSED, "removed": None}
PRIORITIES = {"1": Priority.LOW, "2": Priority.NORMAL, "3": Priority.HIGH}  # "1 low", "2 normal", "3 high"
CHANNELS = {"email": Channel.EMAIL, "web": Channel.WEB, "chat": Channel.CHAT}
UNASSIGNED = "1"  # Zammad's system user "-" owns every ticket nobody owns
# An overview ordered by any of these is ordered by creation, as views here are.
CREATION_ORDERS = frozenset({"created_at", "number", "id"})
# Object manager data types -> kinds here; multiselect, tree_select and the autocompletions have none.
FIELD_KINDS: dict[str, Literal["text", "number", "checkbox", "dropdown", "date"]] = {
    "input": "text", "textarea": "text", "richtext": "text", "integer": "number", "boolean": "checkbox",
    "select": "dropdown", "date": "date", "datetime": "date"}


class ZammadSource:
    name: ImportSource = "zammad"

    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, timeout_s: float = 30.0,
                 per_page: int = PER_PAGE) -> None:
        self._per_page = per_page
        self._fields: list[SourceField] | None = None  # read once: every ticket's values are read by their names
        self._api = HelpdeskApi("Zammad", base_url, headers={"Authorization": f"Token token={token}"},
                                transport=transport, sleep=sleep, timeout_s=timeout_s,
                                refused_hint="an access token of an admin with the ticket.agent and admin "
                                             "permissions (Profile > Token Access)")

    def close(self) -> None:
        self._api.close()

    # -- HelpdeskSource ------------------------------------------------------------------------------

    def organizations(self) -> Iterator[SourceOrganization]:
        for o in self._pages("/api/v1/organizations"):
            domain = str(o.get("domain") or "").strip()
            yield SourceOrganization(id=str(o["id"]), name=str(o.get("name") or o["id"]),
                                     domains=[domain] if domain else [], notes=_text(o.get("note")))

    def people(self) -> Iterator[SourcePerson]:
        for u in self._pages("/api/v1/users", expand=True):
            name = " ".join(str(part) for part in (u.get("firstname"), u.get("lastname")) if part).strip()
            roles = {str(role) for role in u.get("roles") or []}
            yield SourcePerson(id=str(u["id"]), name=name or str(u.get("login") or ""), email=u.get("email") or None,
                               staff=bool(roles & {"Agent", "Admin"}),
                               organization_id=source_id(u.get("organization_id")))

    def groups(self) -> Iterator[SourceGroup]:
        for g in self._pages("/api/v1/groups"):
            yield SourceGroup(id=str(g["id"]), name=str(g.get("name") or g["id"]))

    def ticket_fields(self) -> Iterator[SourceField]:
        if self._fields is None:
            self._fields = [self._field(a) for a in self._api.get_list("/api/v1/object_manager_attributes")
                            # Zammad's own attributes (title, state, owner, ...) are the ones not editable
                            if isinstance(a, dict) and a.get("object") == "Ticket" and a.get("editable")]
        return iter(self._fields)

    def tickets(self, since: datetime | None) -> Iterator[SourceTicket]:
        for t in self._pages("/api/v1/tickets", expand=True):
            ticket = self._ticket(t)
            if since is None or ticket.updated_at >= since:
                yield ticket

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        for a in self._api.get_list(f"/api/v1/ticket_articles/by_ticket/{ticket_id}"):
            if a.get("sender") == "System":
                continue
            html = str(a.get("content_type") or "").startswith("text/html")
            body = str(a.get("body") or "")
            # The author is whom it was written for when an agent wrote it on a customer's behalf (a phone note).
            author = a.get("origin_by_id") or a.get("created_by_id")
            yield SourceComment(id=str(a["id"]), author_id=source_id(author), body=_text(body) if html else body,
                                public=not a.get("internal"), created_at=a["created_at"],
                                attachments=[self._file(ticket_id, str(a["id"]), f)
                                             for f in a.get("attachments") or []],
                                message_id=a.get("message_id") or None)

    def ticket_forms(self) -> Iterator[SourceForm]:  # Zammad has no ticket forms (its Core Workflows are not)
        return iter(())

    def macros(self) -> Iterator[SourceMacro]:
        """Text modules (Zammad's canned replies, with `#{...}` variables) and macros (changes and notes)."""
        for t in self._pages("/api/v1/text_modules"):
            keywords = str(t.get("keywords") or "").strip()
            yield SourceMacro(id=f"text_module:{t['id']}", title=str(t.get("name") or t["id"]),
                              description=f"Keywords: {keywords}" if keywords else _text(t.get("note")),
                              active=bool(t.get("active", True)), group_ids=[str(g) for g in t.get("group_ids") or []],
                              reply=_text(t.get("content")) or None)
        states = {str(s["id"]): str(s.get("name") or "") for s in self._api.get_list("/api/v1/ticket_states")}
        priorities = {str(p["id"]): str(p.get("name") or "") for p in self._api.get_list("/api/v1/ticket_priorities")}
        fields = {f.id for f in self.ticket_fields()}
        for m in self._pages("/api/v1/macros"):
            yield _macro(m, states, priorities, fields)

    def routing_rules(self) -> Iterator[SourceRule]:  # Zammad's triggers (its own condition language): not imported
        return iter(())

    def views(self) -> Iterator[SourceView]:
        """Overviews, in their order there (`prio`)."""
        states = {str(s["id"]): str(s.get("name") or "") for s in self._api.get_list("/api/v1/ticket_states")}
        priorities = {str(p["id"]): str(p.get("name") or "") for p in self._api.get_list("/api/v1/ticket_priorities")}
        fields = {f.id for f in self.ticket_fields()}
        overviews = [o for o in self._api.get_list("/api/v1/overviews") if isinstance(o, dict)]
        for o in sorted(overviews, key=lambda o: int(o.get("prio") or 0)):
            yield _overview(o, states, priorities, fields)

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        priorities = {str(p["id"]): str(p.get("name") or "") for p in self._api.get_list("/api/v1/ticket_priorities")}
        for sla in self._api.get_list("/api/v1/slas"):
            if isinstance(sla, dict):
                yield _sla(sla, priorities)

    def calendars(self) -> Iterator[SourceCalendar]:
        for c in self._api.get_list("/api/v1/calendars"):
            if isinstance(c, dict):
                yield _calendar(c)

    def articles(self) -> Iterator[SourceArticle]:
        return iter(())

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        return self._api.download(file, max_bytes)

    # -- Zammad's shapes -----------------------------------------------------------------------------------

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
            fields={f.id: t.get(f.id) for f in self.ticket_fields() if f.id in t})

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

    def _pages(self, path: str, *, expand: bool = False) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            items = self._api.get_list(path, {"page": page, "per_page": self._per_page,
                                              **({"expand": "true"} if expand else {})})
            yield from (item for item in items if isinstance(item, dict))
            if len(items) < self._per_page:
                return
            page += 1


def _text(value: Any) -> str:
    """Zammad keeps notes and HTML articles as HTML: the text of it, as mail's HTML is read."""
    from helpdesk.mail.html import html_to_text

    return html_to_text(str(value)).strip() if value else ""


def _macro(m: dict[str, Any], states: dict[str, str], priorities: dict[str, str], fields: set[str]) -> SourceMacro:
    """A Zammad macro: its `perform` rules (`{"ticket.state_id": {"value": 4}, "article.note": {...}}`) as a macro
    here does them; the others named."""
    found: dict[str, Any] = {"add_tags": [], "remove_tags": [], "field_values": {}, "unsupported": []}
    for key, rule in (m.get("perform") or {}).items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        value = rule.get("value")
        attribute = str(key).removeprefix("ticket.")
        if key == "ticket.state_id" and STATES.get(states.get(str(value), "")):
            found["status"] = STATES[states[str(value)]]
        elif key == "ticket.priority_id" and priorities.get(str(value)):
            found["priority"] = PRIORITIES.get(priorities[str(value)].split(" ")[0], Priority.NORMAL)
        elif key == "ticket.group_id" and value not in (None, ""):
            found["group_id"] = str(value)
        elif key == "ticket.owner_id" and rule.get("pre_condition") == "current_user.id":
            found["assign_to_me"] = True
        elif key == "ticket.tags":
            tags = [t.strip() for t in str(value or "").split(",") if t.strip()]
            found["remove_tags" if rule.get("operator") == "remove" else "add_tags"].extend(tags)
        elif key == "article.note":
            body = _text(rule.get("body"))
            if str(rule.get("internal", "true")).lower() == "false":  # a note the customer sees there, not mailed
                found["reply"] = body
                found["unsupported"].append("a public note there (not mailed); here a reply, mailed to the customer")
            else:
                found["note"] = body
        elif key.startswith("ticket.") and attribute in fields:
            found["field_values"][attribute] = value
        else:
            found["unsupported"].append(f"does not set {key} (nothing to set it to here)")
    return SourceMacro(id=f"macro:{m['id']}", title=str(m.get("name") or m["id"]), description=_text(m.get("note")),
                       active=bool(m.get("active", True)), group_ids=[str(g) for g in m.get("group_ids") or []],
                       **found)


def _overview(o: dict[str, Any], states: dict[str, str], priorities: dict[str, str], fields: set[str]) -> SourceView:
    """A Zammad overview as a saved view here: its `condition` (`{"ticket.state_id": {"operator": "is", "value":
    ["1", "2"]}, "ticket.owner_id": {"operator": "is", "pre_condition": "current_user.id"}}`) and its order; the
    conditions with no counterpart named."""
    found: dict[str, Any] = {"field_values": {}, "conditions_unsupported": []}
    unsupported: list[str] = found["conditions_unsupported"]
    for key, rule in (o.get("condition") or {}).items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        if not _overview_filter(found, str(key), rule, states, priorities, fields):
            unsupported.append(f"{key} {rule.get('operator') or ''} {rule.get('pre_condition') or ''}".strip())
    order = o.get("order") or {}
    by = str(order.get("by") or "")
    users = [str(u) for u in o.get("user_ids") or []]
    return SourceView(id=f"overview:{o['id']}", title=str(o.get("name") or o["id"]),
                      active=bool(o.get("active", True)), owner_id=users[0] if len(users) == 1 else None,
                      oldest_first=by in CREATION_ORDERS and str(order.get("direction")).upper() == "ASC",
                      order_unsupported=by if by and by not in CREATION_ORDERS else None, **found)


def _overview_filter(found: dict[str, Any], key: str, rule: dict[str, Any], states: dict[str, str],
                     priorities: dict[str, str], fields: set[str]) -> bool:
    """One overview condition into `found` (SourceView's fields); False for one with no counterpart."""
    operator, pre = str(rule.get("operator") or "is"), str(rule.get("pre_condition") or "specific")
    raw = rule.get("value")
    values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
    attribute = key.removeprefix("ticket.")
    if key == "ticket.state_id" and operator in ("is", "is not"):
        named = {STATES.get(states.get(v, "")) for v in values} - {None}
        known = {s for s in STATES.values() if s is not None}
        chosen = named if operator == "is" else known - named
        found["statuses"] = [s for s in Status if s in chosen]
        return bool(chosen)
    if key == "ticket.tags" and operator in ("contains one", "contains all"):
        tags = [t.strip() for v in values for t in v.split(",") if t.strip()]
        if len(tags) != 1:
            return False
        found["tag"] = tags[0]
        return True
    if operator != "is":
        return False
    if key == "ticket.owner_id":
        if pre == "current_user.id":
            found["assignee"] = "me"
        elif pre == "not_set" or values == [UNASSIGNED]:
            found["unassigned"] = True
        elif pre == "specific" and len(values) == 1:
            found["assignee"] = values[0]
        else:
            return False
    elif key == "ticket.group_id" and len(values) == 1:
        found["group_id"] = values[0]
    elif key == "ticket.priority_id" and len(values) == 1 and priorities.get(values[0]):
        found["priority"] = PRIORITIES.get(priorities[values[0]].split(" ")[0], Priority.NORMAL)
    elif key == "ticket.organization_id" and pre == "specific" and len(values) == 1:
        found["organization_id"] = values[0]
    elif key.startswith("ticket.") and attribute in fields and len(values) == 1:
        found["field_values"][attribute] = raw[0] if isinstance(raw, list) else raw
    else:
        return False
    return True


def _sla(sla: dict[str, Any], priorities: dict[str, str]) -> SourceSlaPolicy:
    """A Zammad SLA: one set of minutes (first response, response, solution) for the tickets its `condition` picks,
    counted on its calendar."""
    found: dict[str, Any] = {"priorities": [], "group_ids": [], "tags": [], "conditions_unsupported": []}
    for key, rule in (sla.get("condition") or {}).items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        raw = rule.get("value")
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
        operator = str(rule.get("operator") or "is")
        if key == "ticket.priority_id" and operator == "is" and all(priorities.get(v) for v in values) and values:
            found["priorities"] = [PRIORITIES.get(priorities[v].split(" ")[0], Priority.NORMAL) for v in values]
        elif key == "ticket.group_id" and operator == "is" and values:
            found["group_ids"] = values
        elif key == "ticket.tags" and operator == "contains one" and values:
            found["tags"] = [t.strip() for v in values for t in v.split(",") if t.strip()]
        else:
            found["conditions_unsupported"].append(f"{key} {operator}".strip())
    minutes = {kind: int(sla[name]) for name, kind in (("first_response_time", "first_response"),
                                                       ("response_time", "next_response"),
                                                       ("solution_time", "resolution"))
               if isinstance(sla.get(name), int | float) and sla[name] > 0}
    notes = ["its update time target has no counterpart here"] if sla.get("update_time") else []
    every = found["priorities"] or list(Priority)
    return SourceSlaPolicy(id=f"sla:{sla['id']}", title=str(sla.get("name") or sla["id"]),
                           calendar_id=source_id(sla.get("calendar_id")),
                           targets={p: dict(minutes) for p in every} if minutes else {}, targets_unsupported=notes,
                           **found)


def _calendar(c: dict[str, Any]) -> SourceCalendar:
    """A Zammad calendar: an IANA time zone, `business_hours` per weekday (`active`, `timeframes`) and
    `public_holidays` by date."""
    hours = {day: [(str(a), str(b)) for a, b in (spec.get("timeframes") or [])]
             for day, spec in (c.get("business_hours") or {}).items() if isinstance(spec, dict) and spec.get("active")}
    holidays = [date.fromisoformat(day) for day, spec in (c.get("public_holidays") or {}).items()
                if not isinstance(spec, dict) or spec.get("active", True)]
    return SourceCalendar(id=str(c["id"]), name=str(c.get("name") or c["id"]), timezone=str(c.get("timezone") or "UTC"),
                          hours=hours, holidays=holidays)
