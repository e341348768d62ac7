"""Ticket search with the access rules of `GET /tickets`: customers find their own tickets by what they may
see (never internal notes), agents with groups the tickets of their groups (or assigned to them), staff
everything of their tenant. The index answers with ids; the tickets come fresh from the repository and are
checked again with `can_see`, so an index that lags behind a change (a ticket moved to another group) never
shows a ticket to someone who may no longer open it.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from helpdesk.kernel.errors import Forbidden, InvalidInput
from helpdesk.kernel.principal import Principal, Role
from helpdesk.knowledge.text import clean_query
from helpdesk.search.model import (
    MAX_QUERY_CHARS,
    IndexQuery,
    Order,
    SearchFilters,
    Snippet,
)
from helpdesk.search.ports import TicketIndex
from helpdesk.tickets.customer_links import CustomerLinks
from helpdesk.tickets.model import Status, Ticket, statuses_shown_as
from helpdesk.tickets.ports import TicketRepository
from helpdesk.tickets.service import address_key, can_see, customer_key

MAX_LIMIT = 100


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    order: Order = "relevance"
    limit: int = 25
    cursor: str | None = None


@dataclass(frozen=True)
class SearchResult:
    ticket: Ticket
    score: float | None
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class SearchPage:
    items: list[SearchResult]
    next_cursor: str | None


class TicketSearch:
    def __init__(self, index: TicketIndex, repository: TicketRepository, *,
                 customers: CustomerLinks | None = None) -> None:
        self._index = index
        self._repository = repository
        self._customers = customers  # a signed-in customer's tickets include those of the addresses linked to them

    def search(self, caller: Principal, request: SearchRequest) -> SearchPage:
        check_page(request.q, request.limit)
        if self._customers is not None:
            caller = self._customers.principal(caller)
        text = clean_query(request.q)
        order: Order = request.order if text else "newest"  # without words there is no relevance
        query = IndexQuery(tenant_id=caller.tenant_id, text=text, filters=request.filters, order=order,
                           limit=request.limit, internal=caller.is_staff)
        restricted = restrict(caller, query)
        if restricted is None:
            return SearchPage(items=[], next_cursor=None)
        fingerprint = _fingerprint(caller, restricted)
        page = self._index.search(replace(restricted, after=decode_search_cursor(request.cursor, fingerprint,
                                                                          _CURSOR_SHAPES[order])))
        tickets = {t.id: t for t in self._repository.get_many(caller.tenant_id, [h.ticket_id for h in page.hits])}
        visible = [h for h in page.hits if h.ticket_id in tickets and can_see(caller, tickets[h.ticket_id])]
        first = {h.ticket_id: h for h in reversed(visible)}  # a ticket indexed twice (a race) is shown once
        items = [SearchResult(ticket=tickets[h.ticket_id], score=h.score,
                              snippets=tuple(s for s in h.snippets if caller.is_staff or not s.internal))
                 for h in visible if first[h.ticket_id] is h]
        cursor = encode_search_cursor(fingerprint, page.hits[-1].sort) if page.more and page.hits else None
        return SearchPage(items=items, next_cursor=cursor)


def restrict(caller: Principal, query: IndexQuery) -> IndexQuery | None:
    """The caller's access rules as index filters; None when nothing can match."""
    filters = query.filters
    if caller.role == Role.CUSTOMER:
        mine = tuple(dict.fromkeys((caller.user_id, customer_key(caller))))
        if filters.requester_id not in (None, *mine, address_key(caller)):  # their own, by any name
            return None
        if filters.tag is not None:  # tags are the team's labels
            raise Forbidden("customers do not filter by tags")
        if filters.field_terms:  # most fields are the team's: filtering by them would tell their values
            raise Forbidden("customers do not filter by ticket fields")
        if filters.follower is not None:  # who follows a ticket is the team's
            raise Forbidden("customers do not filter by followers")
        if filters.my_groups:
            raise Forbidden("customers are in no group")
        if filters.status is not None:  # their "open" is open or on hold, as their tickets show
            shown_as = [s.value for s in statuses_shown_as(Status(filters.status))
                        if not filters.statuses or s.value in filters.statuses]
            if not shown_as:  # "solved" and "unsolved" at once: nothing
                return None
            filters = replace(filters, status=None, statuses=tuple(shown_as))
        return replace(query, requesters=mine, filters=filters)
    if filters.follower is not None:
        query = replace(query, filters=replace(filters, follower=caller.resolve(filters.follower)))
    if filters.my_groups:  # the caller's groups as they are now
        if not caller.groups:
            return None
        query = replace(query, filters=replace(query.filters, in_groups=caller.groups))
    if caller.limited_to is not None:
        return replace(query, groups=caller.limited_to, visible_to=caller.user_id)
    return query


def check_page(q: str, limit: int) -> None:
    """What every search over the index takes (tickets, customers): at most MAX_QUERY_CHARS characters of words and
    1 to MAX_LIMIT a page, else a 400."""
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidInput(f"the query is longer than {MAX_QUERY_CHARS} characters",
                           {"q": len(q), "max": MAX_QUERY_CHARS})
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", {"limit": limit})


def cursor_fingerprint(*material: object) -> str:
    """What a cursor is bound to (`encode_search_cursor`): a short hash of the search it belongs to."""
    return hashlib.sha256(json.dumps(list(material), sort_keys=True, default=str).encode()).hexdigest()[:16]


def _fingerprint(caller: Principal, query: IndexQuery) -> str:
    """The tenant, the caller, the words, the filters and the order."""
    return cursor_fingerprint(caller.tenant_id, caller.user_id, query.text, query.order, query.filters.fingerprint())


def encode_search_cursor(fingerprint: str, sort: tuple[Any, ...]) -> str:
    """A page's cursor: where the next page starts, bound to the search it belongs to (`decode_search_cursor`)."""
    raw = json.dumps({"f": fingerprint, "after": list(sort)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The sort values of a hit, per order: (score, updated ms, id) or (created ms, id).
_CURSOR_SHAPES: dict[str, tuple[type | tuple[type, ...], ...]] = {
    "relevance": ((int, float), int, str), "newest": (int, str)}


def decode_search_cursor(cursor: str | None, fingerprint: str,
                  shape: tuple[type | tuple[type, ...], ...]) -> tuple[Any, ...] | None:
    """The values a cursor carries; a 400 for a cursor not made by `encode_search_cursor` for this search and shape."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not valid", {"cursor": cursor[:64]}) from exc
    after = data.get("after") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("f") != fingerprint or not isinstance(after, list)
            or len(after) != len(shape)
            or not all(isinstance(v, kind) and not isinstance(v, bool) for v, kind in zip(after, shape, strict=False))):
        raise InvalidInput("cursor does not belong to this search", {"cursor": cursor[:64]})
    return tuple(after)
