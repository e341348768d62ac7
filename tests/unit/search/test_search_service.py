"""TicketSearch on fakes: the access rules, the query limit, cursors that cannot be forged into a 500."""

import base64
import json

import pytest

from helpdesk.kernel.errors import InvalidInput
from helpdesk.kernel.principal import Principal, Role
from helpdesk.search.adapters.embedded import EmbeddedTicketIndex
from helpdesk.search.indexing import TicketIndexer
from helpdesk.search.model import SearchFilters
from helpdesk.search.service import SearchRequest, TicketSearch
from helpdesk.tickets.service import CreateTicket, TicketService
from tests.fakes import InMemoryTicketRepository

DANA = Principal(user_id="dana", tenant_id="acme", role=Role.CUSTOMER, email="dana@example.com", email_verified=True)
ERIN = Principal(user_id="erin", tenant_id="acme", role=Role.CUSTOMER)
AGENT = Principal(user_id="a1", tenant_id="acme", role=Role.AGENT)


@pytest.fixture
def world() -> tuple[TicketService, TicketSearch, TicketIndexer]:
    repository = InMemoryTicketRepository()
    index = EmbeddedTicketIndex(None)
    return (TicketService(repository), TicketSearch(index, repository),
            TicketIndexer(index, repository, repository))


def test_customers_find_their_own_tickets_by_public_text_only(
        world: tuple[TicketService, TicketSearch, TicketIndexer]) -> None:
    tickets, search, indexer = world
    mine = tickets.create(DANA, CreateTicket(subject="Broken kettle", description="it leaks"))
    tickets.add_message(AGENT, mine.id, "customer sounds like a walrus", public=False)
    tickets.create(ERIN, CreateTicket(subject="Kettle question", description="colour?"))
    assert indexer.reindex("acme") == {"acme": 2}

    assert [r.ticket.id for r in search.search(DANA, SearchRequest(q="kettle")).items] == [mine.id]
    assert search.search(DANA, SearchRequest(q="walrus")).items == []
    found = search.search(AGENT, SearchRequest(q="walrus")).items
    assert [r.ticket.id for r in found] == [mine.id]
    assert found[0].snippets[0].internal
    assert len(search.search(AGENT, SearchRequest(q="kettle")).items) == 2
    assert search.search(DANA, SearchRequest(q="kettle", filters=SearchFilters(requester_id="erin"))).items == []


def test_long_queries_and_forged_cursors_are_invalid_input(
        world: tuple[TicketService, TicketSearch, TicketIndexer]) -> None:
    _, search, _ = world
    with pytest.raises(InvalidInput, match="512"):
        search.search(AGENT, SearchRequest(q="x" * 513))
    forged = base64.urlsafe_b64encode(json.dumps({"f": "0" * 16, "after": ["a", 1, 2]}).encode()).decode()
    with pytest.raises(InvalidInput):
        search.search(AGENT, SearchRequest(q="kettle", cursor=forged))

