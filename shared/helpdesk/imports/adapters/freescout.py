"""`HelpdeskSource` on FreeScout's REST API (its "API & Webhooks" module: an API key from Manage > API & Webhooks, sent
as `X-FreeScout-API-Key`).

Lists are HAL documents (`_embedded.<items>`, `page.totalPages`), paged by `page` and `pageSize`. Conversations are read
per status (active, pending, closed: spam stays there), oldest change first, with their threads, tags and time logs (its
Time Tracking module's, in seconds) embedded, so a conversation costs no request of its own. FreeScout keeps its team
(`/api/users`) and its customers (`/api/customers`) apart, each numbered from 1: their ids here are `user:<id>` and
`customer:<id>`. A mailbox is a group here (conversations arrive in one); a customer's company is an organisation
(FreeScout has no such record: customers of one company name are one organisation, with no mail domains). Custom fields
(its Custom Fields module) are per mailbox (`/api/mailboxes/{id}/custom_fields`; a system without the module answers
404: no fields). Line items (status and assignee changes) and unsent drafts are not messages and are left out. Not
imported: saved replies, workflows, satisfaction ratings and its knowledge base (the module's API offers none of them,
or they have no counterpart here)."""

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

import httpx

from helpdesk.imports.adapters.http import ATTEMPTS, HelpdeskApi, PassedOver, UrlCheck, html_text, ticket_or_reason
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
from helpdesk.tickets.model import Channel, ImportSource, Status

PAGE_SIZE = 50
# Read one status at a time: FreeScout's list answers with active conversations unless asked for others.
STATUSES: dict[str, Status] = {"active": Status.OPEN, "pending": Status.PENDING, "closed": Status.CLOSED}
CHANNELS = {"email": Channel.EMAIL, "chat": Channel.CHAT}  # a phone conversation was typed in by an agent: api
MESSAGES = frozenset({"customer", "message", "note", "chat"})  # thread types that are messages (not line items)
FIELD_KINDS: dict[str, Literal["text", "number", "dropdown", "date"]] = {
    "singleline": "text", "multiline": "text", "number": "number", "dropdown": "dropdown", "date": "date"}


class FreeScoutSource:
    name: ImportSource = "freescout"

    def __init__(self, base_url: str, api_key: str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, timeout_s: float = 30.0, attempts: int = ATTEMPTS,
                 page_size: int = PAGE_SIZE, url_check: UrlCheck | None = None) -> None:
        self._page_size = page_size
        self._customers: list[dict[str, Any]] | None = None  # read once: people and organisations both come from them
        self._fields: list[SourceField] | None = None
        self._threads: dict[str, list[dict[str, Any]]] = {}  # a listed conversation's threads until it is imported
        self._passed_over = PassedOver()
        self._page_at: str | None = None  # the conversation list's page under way ("<status>:<page>")
        self._api = HelpdeskApi("FreeScout", base_url, headers={"X-FreeScout-API-Key": api_key},
                                transport=transport, sleep=sleep, timeout_s=timeout_s, attempts=attempts,
                                url_check=url_check,
                                refused_hint="an API key of the API & Webhooks module (Manage > API & Webhooks)")

    def close(self) -> None:
        self._api.close()

    # -- HelpdeskSource ------------------------------------------------------------------------------

    def account(self) -> SourceAccount:
        """FreeScout's API key is the system's, nobody's: the check is that it lists conversations, counted over the
        statuses an import reads."""
        tickets = 0
        for status in STATUSES:
            body = self._api.get_object("/api/conversations", {"status": status, "state": "published", "pageSize": 1})
            tickets += int((body.get("page") or {}).get("totalElements") or 0)
        return SourceAccount(tickets=tickets)

    def unreadable(self) -> list[str]:
        return self._passed_over.named()

    def organizations(self) -> Iterator[SourceOrganization]:
        companies: dict[str, str] = {}  # the first spelling met names it
        for c in self._customer_list():
            if (company_id := _company_id(c)) is not None:
                companies.setdefault(company_id, " ".join(str(c["company"]).split()))
        for company_id, name in companies.items():
            yield SourceOrganization(id=company_id, name=name)

    def people(self) -> Iterator[SourcePerson]:
        yield from self._passed_over.each("user", self._pages("/api/users", "users"), lambda u: SourcePerson(
            id=f"user:{u['id']}", name=_name(u), email=u.get("email") or None, staff=True))
        yield from self._passed_over.each("customer", self._customer_list(), lambda c: SourcePerson(
            id=f"customer:{c['id']}", name=_name(c), email=_customer_email(c), organization_id=_company_id(c),
            other_emails=_customer_emails(c)[1:], phone=_customer_phone(c)))

    def groups(self) -> Iterator[SourceGroup]:
        return self._passed_over.each("mailbox", self._pages("/api/mailboxes", "mailboxes"), lambda m: SourceGroup(
            id=str(m["id"]), name=str(m.get("name") or m.get("email") or m["id"])))

    def ticket_fields(self) -> Iterator[SourceField]:
        if self._fields is None:
            self._fields = []
            for group in list(self.groups()):
                found = self._api.get(f"/api/mailboxes/{group.id}/custom_fields", missing_ok=True)
                items = [f for f in ((found or {}).get("_embedded") or {}).get("custom_fields") or []
                         if isinstance(f, dict)]
                self._fields.extend(self._passed_over.each("custom field", items, partial(_field, mailbox=group.name)))
        return iter(self._fields)

    def tickets(self, since: datetime | None, resume: str | None = None
                ) -> Iterator[SourceTicket | UnreadableTicket]:
        """Status after status, page after page; `resume` is "<status>:<page>"."""
        statuses = list(STATUSES)
        resumed, _, page = (resume or "").partition(":")
        skip, first = (statuses.index(resumed), int(page)) if resumed in STATUSES and page.isdigit() else (0, 1)
        for status in statuses[skip:]:
            query = {"status": status, "state": "published", "embed": "threads,tags,timelogs", "sortField": "updatedAt",
                     "sortOrder": "asc", **({"updatedSince": _utc(since)} if since else {})}
            at = partial(self._ticket_page_at, status)
            for c in self._pages("/api/conversations", "conversations", query, first=first if status == resumed else 1,
                                 at=at):
                ticket = ticket_or_reason(c, partial(self._ticket, status=status))
                if isinstance(ticket, UnreadableTicket):
                    yield ticket
                    continue
                if ticket is None or (since is not None and ticket.updated_at < since):
                    continue
                threads = (c.get("_embedded") or {}).get("threads")
                if isinstance(threads, list):
                    self._threads = {ticket.id: threads}  # only the one being imported: a long run stays small
                yield ticket

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        threads = self._threads.pop(ticket_id, None)
        if threads is None:
            found = self._api.get_object(f"/api/conversations/{ticket_id}", {"embed": "threads"})
            threads = (found.get("_embedded") or {}).get("threads") or []
        published = [t for t in threads if isinstance(t, dict) and t.get("type") in MESSAGES
                     and t.get("state", "published") == "published"]
        for t in sorted(published, key=lambda t: (str(t.get("createdAt") or ""), int(t.get("id") or 0))):
            files = ((t.get("_embedded") or {}).get("attachments")) or []
            yield SourceComment(id=str(t["id"]), author_id=_author(t), body=html_text(t.get("body")),
                                public=t.get("type") != "note", created_at=t["createdAt"],
                                attachments=[_file(f) for f in files if isinstance(f, dict) and f.get("fileUrl")],
                                cc=[str(a) for a in t.get("cc") or [] if "@" in str(a)])

    def ticket_forms(self) -> Iterator[SourceForm]:  # FreeScout has no ticket forms
        return iter(())

    def macros(self) -> Iterator[SourceMacro]:  # saved replies are a module without an API
        return iter(())

    def routing_rules(self) -> Iterator[SourceRule]:  # workflows are a module without an API
        return iter(())

    def triggers(self) -> Iterator[SourceTrigger]:  # workflows on changes: the same module without an API
        return iter(())

    def triggers_rerun(self) -> bool:  # it has no triggers to bring
        return False

    def views(self) -> Iterator[SourceView]:  # its folders are fixed (Unassigned, Mine, ...), as the queue's are
        return iter(())

    def automations(self) -> Iterator[SourceAutomation]:
        return iter(())

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        return iter(())

    def calendars(self) -> Iterator[SourceCalendar]:
        return iter(())

    def articles(self) -> Iterator[SourceArticle]:
        return iter(())

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        return self._api.download(file, max_bytes)

    # -- FreeScout's shapes --------------------------------------------------------------------------

    def _ticket(self, c: dict[str, Any], status: str) -> SourceTicket | None:
        if c.get("state", "published") == "draft":  # a conversation an agent began and never sent
            return None
        embedded = c.get("_embedded") or {}
        tags: list[Any] = embedded.get("tags") or c.get("tags") or []
        customer, assignee = c.get("customer") or {}, c.get("assignee") or {}
        values = {str(f["id"]): f.get("value") for f in c.get("customFields") or [] if isinstance(f, dict)}
        known = {f.id for f in self.ticket_fields()} if values else set()  # the mailboxes' fields only when needed
        return SourceTicket(
            id=str(c["id"]), subject=str(c.get("subject") or ""),
            # A deleted one (in FreeScout's Deleted folder) is listed only when asked for: None is not imported.
            status=None if c.get("state") == "deleted" else STATUSES.get(str(c.get("status")), STATUSES[status]),
            channel=CHANNELS.get(str(c.get("type") or ""), Channel.API),
            requester_id=f"customer:{customer['id']}" if customer.get("id") is not None else None,
            assignee_id=f"user:{assignee['id']}" if assignee.get("id") is not None else None,
            group_id=str(c["mailboxId"]) if c.get("mailboxId") is not None else None,
            tags=[str(t.get("name") if isinstance(t, dict) else t) for t in tags],
            created_at=c["createdAt"], updated_at=c.get("updatedAt") or c["createdAt"],
            url=f"{self._api.base}/conversation/{c['id']}", number=str(c["number"]) if c.get("number") else None,
            fields={key: value for key, value in values.items() if key in known},
            time_entries=[SourceTimeEntry(author_id=f"user:{log['userId']}", minutes=round(int(log["timeSpent"]) / 60),
                                          at=log.get("createdAt") or c["createdAt"])
                          for log in embedded.get("timelogs") or []
                          if isinstance(log, dict) and log.get("userId") is not None and log.get("timeSpent")])

    def _customer_list(self) -> list[dict[str, Any]]:
        if self._customers is None:
            self._customers = list(self._pages("/api/customers", "customers"))
        return self._customers

    def _ticket_page_at(self, status: str, page: int) -> None:
        self._page_at = f"{status}:{page}"

    def resume_point(self) -> str | None:
        return self._page_at

    def _pages(self, path: str, items: str, query: dict[str, Any] | None = None, *, first: int = 1,
               at: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
        """Page after page from `first`; `at` is told each page's number before its items come."""
        page = first
        while True:
            if at is not None:
                at(page)
            body = self._api.get_object(path, {**(query or {}), "page": page, "pageSize": self._page_size})
            found = (body.get("_embedded") or {}).get(items) or []
            yield from (item for item in found if isinstance(item, dict))
            pages = int((body.get("page") or {}).get("totalPages") or 1)
            if page >= pages or not found:
                return
            page += 1


def _name(who: dict[str, Any]) -> str:
    return " ".join(str(part) for part in (who.get("firstName"), who.get("lastName")) if part).strip()


def _customer_email(c: dict[str, Any]) -> str | None:
    """Its address, else the first of its addresses (a customer may have several there)."""
    return next(iter(_customer_emails(c)), None)


def _customer_phone(c: dict[str, Any]) -> str | None:
    """The first of its phone numbers (FreeScout keeps several, each with a type; no language)."""
    phones = (c.get("_embedded") or {}).get("phones") or []
    return next((str(p["value"]).strip() for p in phones if isinstance(p, dict) and str(p.get("value") or "").strip()),
                None)


def _customer_emails(c: dict[str, Any]) -> list[str]:
    """Its address first, then the others it has there, each once whatever its case."""
    emails = (c.get("_embedded") or {}).get("emails") or []
    found = [str(c["email"])] if c.get("email") else []
    found += [str(e["value"]) for e in emails if isinstance(e, dict) and e.get("value")]
    kept: dict[str, str] = {}
    for address in found:
        kept.setdefault(address.strip().lower(), address.strip())
    return list(kept.values())


def _company_id(c: dict[str, Any]) -> str | None:
    company = " ".join(str(c.get("company") or "").split())
    return f"company:{company.casefold()}" if company else None


def _author(t: dict[str, Any]) -> str | None:
    """Who wrote it: the customer of a customer's thread (an agent may have typed it in for them), else its creator."""
    customer = t.get("customer") or {}
    if t.get("type") == "customer" and customer.get("id") is not None:
        return f"customer:{customer['id']}"
    by = t.get("createdBy") or {}
    if by.get("id") is None:
        return None
    return f"{'customer' if by.get('type') == 'customer' else 'user'}:{by['id']}"


def _field(f: dict[str, Any], mailbox: str) -> SourceField:
    kind = FIELD_KINDS.get(str(f.get("type") or ""))
    options = f.get("options")
    return SourceField(id=str(f["id"]), title=str(f.get("name") or f["id"]), kind=kind or "text",
                       options={str(k): str(v) for k, v in options.items()}
                       if kind == "dropdown" and isinstance(options, dict) else {},
                       # Its "required" asks for a value before a reply is sent, not before it is solved: not kept.
                       description=f"Imported from FreeScout (mailbox {mailbox})",
                       unsupported=None if kind else str(f.get("type")))


def _file(f: dict[str, Any]) -> SourceFile:
    return SourceFile(name=str(f.get("fileName") or "file"),
                      content_type=str(f.get("mimeType") or "application/octet-stream"),
                      size=int(f.get("size") or 0), url=str(f["fileUrl"]))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
