"""`HelpdeskSource` on Zendesk Support's REST API (an API token of an admin: `{email}/token:{token}`, basic auth).

Lists use cursor pagination (`page[size]=100`, `meta.has_more`, `links.next`); tickets come from the incremental
export (`/api/v2/incremental/tickets/cursor.json`, `after_url` until `end_of_stream`), which lists every ticket,
archived ones included, in the order they last changed. Rate limits (HTTP 429) and overloads are waited out
(`adapters.http`); the incremental export allows 10 requests a minute, so a large account takes a while.
"""

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import httpx

from helpdesk.imports.adapters.http import (
    ATTEMPTS,
    HelpdeskApi,
    PassedOver,
    UrlCheck,
    by_position,
    source_id,
    ticket_or_reason,
)
from helpdesk.imports.adapters.zendesk_config import (
    CHANNELS,
    FIELD_KINDS,
    PRIORITIES,
    STATUSES,
    SYSTEM_FIELDS,
    TICKET_TYPE,
    source_automation,
    source_macro,
    source_rule,
    source_view,
)
from helpdesk.imports.adapters.zendesk_sla import source_calendar, source_sla_policy
from helpdesk.imports.adapters.zendesk_triggers import source_time_trigger, source_trigger
from helpdesk.imports.model import (
    SourceAccount,
    SourceArticle,
    SourceAutomation,
    SourceCalendar,
    SourceComment,
    SourceCondition,
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
    SourceTrigger,
    SourceView,
    UnreadableTicket,
)
from helpdesk.imports.ports import SourceUnavailable
from helpdesk.tickets.model import Channel, ImportSource, Priority


class ZendeskSource:
    name: ImportSource = "zendesk"

    def __init__(self, base_url: str, email: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, timeout_s: float = 30.0, attempts: int = ATTEMPTS,
                 url_check: UrlCheck | None = None) -> None:
        self._api = HelpdeskApi("Zendesk", base_url, auth=(f"{email}/token", token), transport=transport,
                                sleep=sleep, timeout_s=timeout_s, attempts=attempts, url_check=url_check,
                                refused_hint="an admin's address and an API token (Admin Center > Apps and "
                                             "integrations > APIs)")
        self._base = self._api.base
        self._schedule_list: list[dict[str, Any]] | None = None
        self._page_at: str | None = None  # the ticket export's page under way
        self._passed_over = PassedOver()

    def close(self) -> None:
        self._api.close()

    # -- HelpdeskSource ------------------------------------------------------------------------------

    def account(self) -> SourceAccount:
        """The token's user (Zendesk answers an anonymous user, id null, to credentials it does not know) and the
        account's ticket count (Zendesk's estimate; left out when it is refused)."""
        me = self._api.get_object("/api/v2/users/me.json").get("user")
        if not isinstance(me, dict) or me.get("id") is None:
            raise self._api.refused("(nobody signed in)")
        try:
            counted = (self._api.get_object("/api/v2/tickets/count.json").get("count") or {}).get("value")
        except SourceUnavailable:
            counted = None
        return SourceAccount(name=me.get("name"), email=me.get("email"), admin=me.get("role") == "admin",
                             tickets=counted if isinstance(counted, int) else None)

    def unreadable(self) -> list[str]:
        return self._passed_over.named()

    def organizations(self) -> Iterator[SourceOrganization]:
        return self._passed_over.each("organization", self._pages("/api/v2/organizations.json", "organizations"),
                                      _organization)

    def people(self) -> Iterator[SourcePerson]:
        default = self._default_locale()
        return self._passed_over.each("user", self._users(), lambda u: _person(u, default))

    def _default_locale(self) -> str:
        """The account's default locale (`/api/v2/locales`, the one marked `default`): what every user who chose none
        has. English where the account names none, or the list cannot be read (a user's choice is then any other)."""
        try:
            listed = self._api.get("/api/v2/locales.json", missing_ok=True)
        except SourceUnavailable:
            return "en"
        locales = listed.get("locales") if isinstance(listed, dict) else None
        found = next((str(x.get("locale")) for x in locales or [] if isinstance(x, dict) and x.get("default")
                      and x.get("locale")), None)
        return found or "en"

    def _users(self) -> Iterator[dict[str, Any]]:
        """Users with the other addresses their identities hold (`_other_emails`): side-loaded a page at a time
        (`include=identities`) rather than one request per user. An account that answers without them gives each
        user their one address, as before."""
        for page in self._page_objects("/api/v2/users.json", {"include": "identities"}):
            others: dict[str, list[str]] = {}
            for identity in page.get("identities") or []:
                if isinstance(identity, dict) and identity.get("type") == "email" and identity.get("value"):
                    others.setdefault(str(identity.get("user_id")), []).append(str(identity["value"]))
            for user in page.get("users") or []:
                primary = str(user.get("email") or "").strip().lower()
                extra = [a for a in others.get(str(user.get("id")), []) if a.strip().lower() != primary]
                yield {**user, "_other_emails": extra}

    def groups(self) -> Iterator[SourceGroup]:
        return self._passed_over.each("group", self._pages("/api/v2/groups.json", "groups"), _group)

    def ticket_fields(self) -> Iterator[SourceField]:
        return self._passed_over.each("ticket field", self._pages("/api/v2/ticket_fields.json", "ticket_fields"),
                                      _ticket_field)

    def tickets(self, since: datetime | None, resume: str | None = None
                ) -> Iterator[SourceTicket | UnreadableTicket]:
        """The cursor export; `resume` is a page's own address (the first page's, or an `after_url`)."""
        first = httpx.URL("/api/v2/incremental/tickets/cursor.json",
                          params={"start_time": int(since.timestamp()) if since else 0})
        url: str | None = resume or str(first)
        while url:
            self._page_at = url
            page = self._api.get_object(url)
            for t in page.get("tickets") or []:
                ticket = ticket_or_reason(t, self._ticket)
                if ticket is not None:
                    yield ticket
            url = None if page.get("end_of_stream", True) else page.get("after_url")

    def resume_point(self) -> str | None:
        return self._page_at

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        for c in self._pages(f"/api/v2/tickets/{ticket_id}/comments.json", "comments"):
            yield SourceComment(id=str(c["id"]), author_id=source_id(c.get("author_id")),
                                body=str(c.get("plain_body") or c.get("body") or ""), public=bool(c.get("public")),
                                created_at=c["created_at"],
                                attachments=[_file(a) for a in c.get("attachments") or [] if a.get("content_url")],
                                message_id=((c.get("metadata") or {}).get("system") or {}).get("message_id"))

    def ticket_forms(self) -> Iterator[SourceForm]:
        return self._passed_over.each("ticket form", self._pages("/api/v2/ticket_forms.json", "ticket_forms"), _form)

    def macros(self) -> Iterator[SourceMacro]:
        return self._passed_over.each("macro", self._pages("/api/v2/macros.json", "macros"), source_macro)

    def routing_rules(self) -> Iterator[SourceRule]:
        """Triggers that run on creation, in their order there; the others are triggers here (`triggers`)."""
        return self._passed_over.each("trigger", self._trigger_records,
                                      lambda t: source_rule(t) if source_trigger(t) is None else None)

    def triggers(self) -> Iterator[SourceTrigger]:
        """Triggers that run on updates, in their order there (`position`); those only on creation are routing rules."""
        return self._passed_over.each("trigger", self._trigger_records, source_trigger)

    def triggers_rerun(self) -> bool:  # always: Zendesk runs the list again after any trigger acted
        return True

    @cached_property
    def _trigger_records(self) -> list[dict[str, Any]]:
        """Its triggers in their order there (`position`), read once: those on creation are routing rules, the others
        triggers."""
        return by_position(self._pages("/api/v2/triggers.json", "triggers"))

    def views(self) -> Iterator[SourceView]:
        return self._passed_over.each("view", by_position(self._pages("/api/v2/views.json", "views")), source_view)

    def automations(self) -> Iterator[SourceAutomation]:
        """Each named with what does its work here, and the time trigger that does it when one can."""
        return self._passed_over.each(
            "automation", by_position(self._pages("/api/v2/automations.json", "automations")),
            lambda a: source_automation(a).model_copy(update={"trigger": source_time_trigger(a)}))

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        # A schedule without an id is named by calendars().
        schedules = [str(s["id"]) for s in self._schedules() if isinstance(s, dict) and "id" in s]
        return self._passed_over.each("SLA policy", by_position(self._pages("/api/v2/slas/policies.json",
                                                                            "sla_policies")),
                                      lambda p: source_sla_policy(p, schedules))

    def calendars(self) -> Iterator[SourceCalendar]:
        zones = {str(z.get("name")): str(z.get("iana_name") or "") for z in
                 self._pages("/api/v2/time_zones.json", "time_zones")}
        return self._passed_over.each("schedule", self._schedules(), lambda s: source_calendar(
            s, zones, self._pages(f"/api/v2/business_hours/schedules/{s['id']}/holidays.json", "holidays")))

    def articles(self) -> Iterator[SourceArticle]:
        """Each article in its source language, then its translations (`<id>-<locale>`, an article each here, a
        translation of the first: the help centre lists them as one, in the reader's language)."""
        sections = {str(s["id"]): str(s.get("name") or "") for s in
                    self._pages("/api/v2/help_center/sections.json", "sections") if isinstance(s, dict) and "id" in s}
        for found in self._passed_over.each("article", self._pages("/api/v2/help_center/articles.json", "articles"),
                                            lambda a: self._article(a, sections)):
            yield from found

    def _article(self, a: dict[str, Any], sections: dict[str, str]) -> list[SourceArticle]:
        """An article in its source language, then its translations."""
        source_locale = str(a.get("source_locale") or a.get("locale") or "en")
        article = SourceArticle(id=str(a["id"]), title=str(a.get("title") or a["id"]), html=str(a.get("body") or ""),
                                locale=source_locale, section=sections.get(str(a.get("section_id")), ""),
                                labels=[str(label) for label in a.get("label_names") or []],
                                draft=bool(a.get("draft")), restricted=a.get("user_segment_id") is not None)
        found = [article]
        for t in self._pages(f"/api/v2/help_center/articles/{a['id']}/translations.json", "translations"):
            locale = str(t.get("locale") or "")
            if not locale or locale.lower() == source_locale.lower():
                continue
            found.append(article.model_copy(update={
                "id": f"{a['id']}-{locale.lower()}", "title": str(t.get("title") or article.title),
                "html": str(t.get("body") or ""), "locale": locale, "draft": bool(t.get("draft")) or article.draft,
                "translation_of": article.id}))
        return found

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        return self._api.download(file, max_bytes)

    # -- HTTP --------------------------------------------------------------------------------------------

    def _ticket(self, t: dict[str, Any]) -> SourceTicket:
        via = t.get("via") or {}
        cc = t.get("email_cc_ids") or t.get("collaborator_ids") or []
        rating = t.get("satisfaction_rating") or {}  # score: offered, unoffered, good or bad
        return SourceTicket(
            id=str(t["id"]), subject=str(t.get("subject") or t.get("raw_subject") or ""),
            status=STATUSES.get(str(t.get("status"))), priority=PRIORITIES.get(str(t.get("priority")),
                                                                                Priority.NORMAL),
            channel=CHANNELS.get(str(via.get("channel")), Channel.API), requester_id=source_id(t.get("requester_id")),
            assignee_id=source_id(t.get("assignee_id")), group_id=source_id(t.get("group_id")),
            organization_id=source_id(t.get("organization_id")), cc_ids=[str(i) for i in cc],
            follower_ids=[str(i) for i in t.get("follower_ids") or []],
            rating=rating.get("score") if rating.get("score") in ("good", "bad") else None,
            rating_comment=rating.get("comment") or None,
            tags=[str(tag) for tag in t.get("tags") or []], created_at=t["created_at"], updated_at=t["updated_at"],
            url=f"{self._base}/agent/tickets/{t['id']}",
            fields={**{str(c["id"]): c.get("value") for c in t.get("custom_fields") or [] if c.get("id") is not None},
                    TICKET_TYPE.id: t.get("type")},
            form_id=source_id(t.get("ticket_form_id")), links=self._links(t))

    def _links(self, t: dict[str, Any]) -> list[SourceLink]:
        """An incident's problem; a problem's incidents (one more request, for problems only)."""
        links = [SourceLink(type="parent", ticket_id=str(t["problem_id"]))] if t.get("problem_id") else []
        if t.get("type") == "problem":
            links += [SourceLink(type="child", ticket_id=str(i["id"]))
                      for i in self._pages(f"/api/v2/tickets/{t['id']}/incidents.json", "tickets")]
        return links

    def _schedules(self) -> list[dict[str, Any]]:
        if self._schedule_list is None:  # the policies and the calendars both need them: read once
            self._schedule_list = list(self._pages("/api/v2/business_hours/schedules.json", "schedules"))
        return self._schedule_list

    def _pages(self, path: str, key: str) -> Iterator[dict[str, Any]]:
        for page in self._page_objects(path):
            yield from page.get(key) or []

    def _page_objects(self, path: str, extra: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Each page of a cursor-paged list; `extra` parameters go with every request (added to a next link that
        lacks them: parameters passed beside a URL would replace its query, the cursor with it)."""
        url: str | None = path
        params: dict[str, Any] | None = {"page[size]": 100, **(extra or {})}
        while url:
            page = self._api.get_object(url, params)
            yield page
            more = (page.get("meta") or {}).get("has_more")
            url, params = ((page.get("links") or {}).get("next"), None) if more else (None, None)
            missing = {k: v for k, v in (extra or {}).items() if url and f"{k}=" not in url}
            if url and missing:
                url += ("&" if "?" in url else "?") + urlencode(missing)


def _organization(o: dict[str, Any]) -> SourceOrganization:
    return SourceOrganization(id=str(o["id"]), name=str(o.get("name") or o["id"]),
                              domains=[str(d) for d in o.get("domain_names") or []],
                              notes="\n\n".join(str(t) for t in (o.get("details"), o.get("notes")) if t))


def _person(u: dict[str, Any], default_locale: str = "en") -> SourcePerson:
    return SourcePerson(id=str(u["id"]), name=str(u.get("name") or ""), email=u.get("email") or None,
                        staff=u.get("role") in ("agent", "admin"), organization_id=source_id(u.get("organization_id")),
                        notes="\n\n".join(str(t) for t in (u.get("details"), u.get("notes")) if t),
                        phone=str(u.get("phone") or "").strip() or None,
                        language=_chosen_locale(u.get("locale"), default_locale),
                        other_emails=list(u.get("_other_emails") or []))


def _chosen_locale(locale: object, default_locale: str = "en") -> str | None:
    """A user's locale as the language of our mails to them, but not the account's default: Zendesk gives every user
    a locale, the account's default where nobody chose one, and taking that would write the default's language to a
    customer who writes another; without it each mail follows the customer's words. In an account whose default is
    German, a user's English is a choice."""
    tag = str(locale or "").strip()
    return None if not tag or _language(tag) == _language(default_locale) else tag


def _language(tag: str) -> str:
    return tag.lower().replace("_", "-").split("-")[0]


def _group(g: dict[str, Any]) -> SourceGroup | None:
    return None if g.get("deleted") else SourceGroup(id=str(g["id"]), name=str(g.get("name") or g["id"]))


def _ticket_field(f: dict[str, Any]) -> SourceField | None:
    """A custom field; the ticket type as one (it has no counterpart of its own here); None for a system field."""
    kind = str(f.get("type") or "")
    if kind == "tickettype":
        return TICKET_TYPE.model_copy(update={"active": bool(f.get("active", True))})
    if kind in SYSTEM_FIELDS or f.get("removable") is False:
        return None
    mapped = FIELD_KINDS.get(kind)
    return SourceField(
        id=str(f["id"]), title=str(f.get("title") or f["id"]), kind=mapped or "text",
        options={str(o["value"]): str(o.get("name") or o["value"])
                 for o in f.get("custom_field_options") or [] if o.get("value") is not None},
        description=str(f.get("agent_description") or f.get("description") or ""),
        active=bool(f.get("active", True)), required_to_resolve=bool(f.get("required")),
        customer_visible=bool(f.get("visible_in_portal")), customer_editable=bool(f.get("editable_in_portal")),
        unsupported=None if mapped else kind)


def _form(f: dict[str, Any]) -> SourceForm:
    # a form end users cannot pick there (an agents' form) is kept for its tickets, not offered
    return SourceForm(id=str(f["id"]), name=str(f.get("display_name") or f.get("name") or f["id"]),
                      field_ids=[str(i) for i in f.get("ticket_field_ids") or []],
                      active=bool(f.get("active", True)) and bool(f.get("end_user_visible", True)),
                      conditions=[_condition(c) for c in f.get("end_user_conditions") or []
                                  if isinstance(c, dict) and c.get("parent_field_id") is not None])


def _condition(c: dict[str, Any]) -> SourceCondition:
    children = [child for child in c.get("child_fields") or [] if isinstance(child, dict) and "id" in child]
    value = c.get("value")
    return SourceCondition(when=str(c["parent_field_id"]), value=value if isinstance(value, bool) else str(value),
                           show=[str(child["id"]) for child in children],
                           required=[str(child["id"]) for child in children if child.get("is_required")])


def _file(attachment: dict[str, Any]) -> SourceFile:
    return SourceFile(name=str(attachment.get("file_name") or "file"),
                      content_type=str(attachment.get("content_type") or "application/octet-stream"),
                      size=int(attachment.get("size") or 0), url=str(attachment["content_url"]))
