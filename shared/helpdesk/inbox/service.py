"""An agent's inbox in the console: their notifications newest first, what is unread, and marking it read.

Written by `mail.notifications.AgentNotifications` beside (and whatever becomes of) the mail it sends, so an agent
who turned those mails off still finds the news in the console. Read here with each item's ticket read fresh and
checked with `can_see`: the news of a ticket the agent may no longer open is neither listed nor counted.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from helpdesk.inbox.model import MAX_UNREAD, InboxItem, MarkRead
from helpdesk.inbox.ports import InboxStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import TicketRepository
from helpdesk.tickets.service import can_see

MAX_PAGE = 100
_ITEM_ID = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z#[A-Za-z0-9_-]{1,128}#(\d{1,12}|new)$")


@dataclass(frozen=True)
class InboxEntry:
    item: InboxItem
    ticket: Ticket
    read: bool
    actor_name: str | None  # the teammate who acted, as the directory names them


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxEntry]
    unread: int  # at most MAX_UNREAD + 1 ("99+")
    next_cursor: str | None


class Inbox:
    def __init__(self, store: InboxStore, tickets: TicketRepository,
                 team_member_name: Callable[[str, str], str | None], clock: Clock = system_clock) -> None:
        self._store = store
        self._tickets = tickets
        self._name = team_member_name  # (tenant, user id) -> their name, None for no teammate
        self._clock = clock

    def page(self, caller: Principal, limit: int = 25, cursor: str | None = None) -> InboxPage:
        _staff_only(caller)
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", {"limit": limit})
        items = self._store.newest(caller.tenant_id, caller.user_id, limit + 1, before=_item_id(cursor, "cursor"))
        mark = self._store.read_until(caller.tenant_id, caller.user_id)
        shown = self._visible(caller, items[:limit])
        names: dict[str, str | None] = {}
        entries = []
        for item, ticket in shown:
            if item.actor and item.actor not in names:
                names[item.actor] = self._name(caller.tenant_id, item.actor)
            entries.append(InboxEntry(item=item, ticket=ticket, read=item.read_at is not None or item.id <= mark,
                                      actor_name=names.get(item.actor) if item.actor else None))
        more = len(items) > limit
        return InboxPage(items=entries, unread=self.unread(caller), next_cursor=items[limit - 1].id if more else None)

    def unread(self, caller: Principal) -> int:
        _staff_only(caller)
        return len(self._unread(caller))

    def mark_read(self, caller: Principal, request: MarkRead) -> int:
        """Mark what `request` names read; the unread count after."""
        _staff_only(caller)
        if sum((bool(request.ids), request.ticket_id is not None, request.until is not None)) != 1:
            raise InvalidInput("name the notifications to mark read: ids, a ticket_id or until (one of them)")
        if request.until is not None:
            self._store.set_read_until(caller.tenant_id, caller.user_id, _item_id(request.until, "until") or "")
            return self.unread(caller)
        for item_id in request.ids:
            _item_id(item_id, "ids")
        unread = self._store.unread(caller.tenant_id, caller.user_id, MAX_PAGE)
        wanted = set(request.ids)
        chosen = [i for i in unread if i.id in wanted or i.ticket_id == request.ticket_id]
        self._store.mark_read(chosen, self._clock())
        return self.unread(caller)

    def _unread(self, caller: Principal) -> list[tuple[InboxItem, Ticket]]:
        return self._visible(caller, self._store.unread(caller.tenant_id, caller.user_id, MAX_UNREAD + 1))

    def _visible(self, caller: Principal, items: list[InboxItem]) -> list[tuple[InboxItem, Ticket]]:
        """The items whose ticket is still there and the caller may open, with it."""
        tickets = {t.id: t for t in self._tickets.get_many(caller.tenant_id, list({i.ticket_id for i in items}))}
        return [(i, t) for i in items if (t := tickets.get(i.ticket_id)) is not None and can_see(caller, t)]


def _staff_only(caller: Principal) -> None:
    if not caller.is_staff:
        raise Forbidden("customers have no notifications here")


def _item_id(value: str | None, name: str) -> str | None:
    if value is not None and not _ITEM_ID.match(value):
        raise InvalidInput(f"{name} is not a notification's id", {name: value[:64]})
    return value
