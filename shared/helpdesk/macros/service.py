"""Macros: keeping them (staff only; who sees and changes which: `kernel/sharing.py`; a macro the caller may not
see answers 404) and applying one to a ticket in one write."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import (
    ConcurrentUpdate,
    Conflict,
    InvalidAssignment,
    InvalidInput,
    NotFound,
    TooLarge,
)
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.sharing import SCOPE_ORDER, Scope, can_see, check_may_change, require_staff
from helpdesk.kernel.text import collapsed, is_blank, normalise_tags, retagged, stored_size
from helpdesk.macros.model import MAX_MACROS_PER_TENANT, Macro, MacroActions, MacroDraft
from helpdesk.macros.ports import MacroStore
from helpdesk.macros.rendering import Record, check_template, render
from helpdesk.tickets.fields import merged_values, scalar_values
from helpdesk.tickets.history import EventType, TicketEvent, format_meta
from helpdesk.tickets.model import MAX_TEXT_BYTES, Ticket
from helpdesk.tickets.ports import AssignmentPolicy
from helpdesk.tickets.service import TicketService


@dataclass
class MacroApplication:
    macro: Macro
    ticket: Ticket  # after the change (as it would be, for a dry run)
    events: list[TicketEvent]
    reply: str | None
    note: str | None
    dry_run: bool


class MacroService:
    def __init__(self, store: MacroStore, tickets: TicketService, *, clock: Clock = system_clock,
                 assignments: AssignmentPolicy | None = None) -> None:
        self.store, self.tickets, self._clock = store, tickets, clock
        # The directory: a macro naming a group the tenant lacks is refused when saved, not when applied.
        self._assignments = assignments

    # -- the macros ------------------------------------------------------------------------

    def list(self, caller: Principal) -> list[Macro]:
        require_staff(caller, "macros")
        macros = [m for m in self.store.list(caller.tenant_id) if _can_see(caller, m)]
        return sorted(macros, key=lambda m: (SCOPE_ORDER[m.scope], m.name.casefold(), m.id))

    def get(self, caller: Principal, macro_id: str) -> Macro:
        require_staff(caller, "macros")
        macro = self.store.get(caller.tenant_id, macro_id)
        if macro is None or not _can_see(caller, macro):
            raise NotFound(f"macro {macro_id} not found")
        return macro

    def create(self, caller: Principal, draft: MacroDraft, *, macro_id: str | None = None) -> Macro:
        """`macro_id`: one chosen by the caller (an import's, derived from the old macro's, so a rerun finds it)."""
        require_staff(caller, "macros")
        _check(caller, draft)
        self._check_groups(caller, draft)
        self._check_field_values(caller, draft.actions)
        if len(self.store.list(caller.tenant_id)) >= MAX_MACROS_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_MACROS_PER_TENANT} macros; delete one first")
        now = self._clock()
        macro = Macro(**_normalised(draft).model_dump(), id=macro_id or uuid.uuid4().hex, tenant_id=caller.tenant_id,
                      owner_id=caller.user_id if draft.scope == Scope.PERSONAL else None,
                      created_by=caller.user_id, created_at=now, updated_at=now)
        self.store.add(macro)
        return macro

    def replace(self, caller: Principal, macro_id: str, draft: MacroDraft,
                expected_version: int | None = None) -> Macro:
        current = self.get(caller, macro_id)
        check_may_change(caller, current.scope, current.group, "macro")
        _check(caller, draft)
        self._check_groups(caller, draft)
        self._check_field_values(caller, draft.actions)
        if expected_version is not None and expected_version != current.version:
            raise ConcurrentUpdate("the macro changed since you read it",
                                   {"expected_version": expected_version, "current_version": current.version})
        owner = (current.owner_id or caller.user_id) if draft.scope == Scope.PERSONAL else None
        macro = Macro.model_validate({**current.model_dump(), **_normalised(draft).model_dump(), "owner_id": owner,
                                      "updated_at": self._clock(), "version": current.version + 1})
        self.store.replace(macro, expected_version=current.version)
        return macro

    def _check_groups(self, caller: Principal, draft: MacroDraft) -> None:
        if self._assignments is None:
            return
        for field, group in (("group", draft.group), ("actions.group", draft.actions.group)):
            if group is None:
                continue
            try:
                self._assignments.check(caller.tenant_id, group=group)
            except InvalidAssignment as exc:
                raise InvalidAssignment(f"{field}: no group {group!r} in this tenant (groups are made on the "
                                        "Team screen or with POST /groups)", {"field": field, "group": group}) from exc

    def _check_field_values(self, caller: Principal, actions: MacroActions) -> None:
        """The values the macro sets, against the tenant's field definitions as they are now (422 naming the key
        at `actions.custom_fields`)."""
        self.tickets.check_field_values(caller.tenant_id, actions.custom_fields, "actions.custom_fields")

    def delete(self, caller: Principal, macro_id: str) -> None:
        macro = self.get(caller, macro_id)
        check_may_change(caller, macro.scope, macro.group, "macro")
        self.store.delete(caller.tenant_id, macro.id)

    # -- applying --------------------------------------------------------------------------

    def apply(self, caller: Principal, ticket_id: str, macro_id: str, *, dry_run: bool = False,
              expected_version: int | None = None) -> MacroApplication:
        """Render the macro for the ticket and apply it: reply, note, field changes and a `macro_applied`
        event in one transaction (retried on a race unless `expected_version` pins the version)."""
        macro = self.get(caller, macro_id)
        # Again, and before anything is written: a field's type or options may have changed since it was saved.
        self._check_field_values(caller, macro.actions)
        rendered: dict[str, str | None] = {}
        change = _change(macro, caller, rendered, self.tickets.followers_mentioned)
        ticket, events = self.tickets.run_change(caller, ticket_id, change, expected_version, dry_run=dry_run)
        return MacroApplication(macro=macro, ticket=ticket, events=events, reply=rendered.get("reply"),
                                note=rendered.get("note"), dry_run=dry_run)


def placeholders(ticket: Ticket, caller: Principal) -> dict[str, Any]:
    """What a template can name: `ticket.*`, `requester.*`, `agent.*`."""
    requester_name = ticket.requester.name or ""
    agent_name = caller.name or ""
    return {
        "ticket": Record({"id": ticket.id, "number": ticket.key, "subject": ticket.subject,
                          "status": ticket.status.value, "priority": ticket.priority.value, "group": ticket.group,
                          "channel": ticket.channel.value, "tags": list(ticket.tags),
                          "created_at": ticket.created_at.isoformat(),
                          # `{{ ticket.fields.order_number }}`: the values, not an integration's objects
                          "fields": Record(scalar_values(ticket.custom_fields))}),
        "requester": Record({"name": requester_name, "first_name": _first(requester_name),
                             "last_name": requester_name.rpartition(" ")[2] if " " in requester_name else "",
                             "email": ticket.requester.email}),
        "agent": Record({"id": caller.user_id, "name": agent_name, "first_name": _first(agent_name),
                         "email": caller.email}),
    }


def _change(macro: Macro, caller: Principal, rendered: dict[str, str | None],
            followers_mentioned: Callable[[Principal, Ticket, str], list[str] | None],
            ) -> Callable[[Ticket, datetime], list[TicketEvent]]:
    actions = macro.actions

    def apply(ticket: Ticket, now: datetime) -> list[TicketEvent]:
        context = placeholders(ticket, caller)  # the ticket as read, before this change
        reply = _rendered(actions.reply, context, "reply")
        note = _rendered(actions.note, context, "note")
        rendered.update(reply=reply, note=note)
        author = {"author_name": caller.name} if caller.name else {}
        # the reply and the note are written as the macro's templates are (text, or Markdown)
        written = {**author, "macro_id": macro.id, **format_meta(actions.format)}
        events: list[TicketEvent] = []
        if reply:
            events += ticket.add_message(reply, public=True, actor=caller.user_id, by_customer=False, at=now,
                                         meta=written)
        if note:
            events += ticket.add_message(note, public=False, actor=caller.user_id, by_customer=False, at=now,
                                         meta=written)
            followers = followers_mentioned(caller, ticket, note)  # teammates the note @mentions follow, as in notes
            if followers:
                events += ticket.set_field("followers", followers, caller.user_id, now)
        if actions.priority is not None:
            events += ticket.set_field("priority", actions.priority, caller.user_id, now)
        if actions.group is not None:
            events += ticket.set_field("group", actions.group, caller.user_id, now)
        if actions.assign_to_me:
            events += ticket.set_field("assignee_id", caller.user_id, caller.user_id, now)
        if actions.add_tags or actions.remove_tags:
            tags = retagged(ticket.tags, actions.add_tags, actions.remove_tags)
            events += ticket.set_field("tags", tags, caller.user_id, now)
        if actions.custom_fields:  # a field required to resolve is checked after the whole change: fill and solve pass
            values = merged_values(ticket.custom_fields, actions.custom_fields)
            events += ticket.set_field("custom_fields", values, caller.user_id, now)
        if actions.status is not None:
            events += ticket.change_status(actions.status, caller.user_id, now)
        if actions.snooze_hours is not None:  # after the status: "set pending and snooze" is one click
            events += ticket.snooze(now + timedelta(hours=actions.snooze_hours), caller.user_id, now)
        changed = sorted({e.type.value for e in events})
        events.append(TicketEvent(ticket_id=ticket.id, tenant_id=ticket.tenant_id, type=EventType.MACRO_APPLIED,
                                  actor=caller.user_id, at=now,
                                  data={"macro_id": macro.id, "name": macro.name, "scope": macro.scope.value,
                                        "macro_version": macro.version, "changes": changed}))
        return events

    return apply


def _rendered(source: str | None, context: dict[str, Any], field: str) -> str | None:
    if not source:
        return None
    text = render(source, context).strip()
    if stored_size(text) > MAX_TEXT_BYTES:
        raise TooLarge(f"the macro's {field} renders to more than {MAX_TEXT_BYTES} bytes", {"field": field})
    return text or None


def _first(name: str) -> str:
    return name.split()[0] if name.split() else ""


def _can_see(caller: Principal, macro: Macro) -> bool:
    return can_see(caller, macro.tenant_id, macro.scope, macro.owner_id, macro.group)


def _check(caller: Principal, draft: MacroDraft) -> None:
    check_may_change(caller, draft.scope, draft.group, "macro")
    if is_blank(draft.name):  # here, not on the model: stored macros keep reading what earlier versions let in
        raise InvalidInput("a macro needs a name an agent can read", {"field": "name"})
    if draft.actions.empty:
        raise InvalidInput("a macro does something: a reply, a note or a change", {"field": "actions"})
    for field in ("reply", "note"):
        source = getattr(draft.actions, field)
        if source is not None:
            check_template(source, f"actions.{field}")


def _normalised(draft: MacroDraft) -> MacroDraft:
    actions: MacroActions = draft.actions.model_copy(update={
        "add_tags": list(normalise_tags(draft.actions.add_tags)),
        "remove_tags": list(normalise_tags(draft.actions.remove_tags))})
    return draft.model_copy(update={"name": collapsed(draft.name), "actions": actions})
