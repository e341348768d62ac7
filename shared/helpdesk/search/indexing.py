"""Keeping the ticket index in line with DynamoDB: a ticket is re-read (with its log) and re-indexed whenever
the tickets or ticket-events stream says it changed, and `helpdesk tickets reindex` rebuilds a tenant from
every stored ticket. Reading at processing time makes a replayed or out-of-order record harmless: the index
always gets the stored state, and an older version never replaces a newer one."""

from collections.abc import Iterable

from helpdesk.search.model import TicketDocument, document_for
from helpdesk.search.ports import TicketIndex, TicketSource
from helpdesk.tickets.model import Ticket
from helpdesk.tickets.ports import TicketRepository


class TicketIndexer:
    def __init__(self, index: TicketIndex, repository: TicketRepository, source: TicketSource) -> None:
        self._index = index
        self._repository = repository
        self._source = source

    def document(self, ticket: Ticket) -> TicketDocument:
        return document_for(ticket, self._repository.events(ticket.tenant_id, ticket.id))

    def refresh(self, tenant_id: str, ticket_ids: Iterable[str]) -> int:
        """Re-index these tickets from DynamoDB (a ticket that no longer exists leaves the index)."""
        wanted = list(dict.fromkeys(ticket_ids))
        found = self._repository.get_many(tenant_id, wanted)
        self._index.upsert_many([self.document(t) for t in found])
        for gone in set(wanted) - {t.id for t in found}:
            self._index.delete(tenant_id, gone)
        return len(found)

    def reindex(self, tenant_id: str | None = None) -> dict[str, int]:
        """Rebuild the index of one tenant (or of every tenant with tickets); tickets indexed per tenant."""
        counts: dict[str, int] = {}
        by_tenant: dict[str, list[TicketDocument]] = {}
        for ticket in self._source.tickets(tenant_id):
            by_tenant.setdefault(ticket.tenant_id, []).append(self.document(ticket))
        for tenant in ([tenant_id] if tenant_id else []) + sorted(set(by_tenant) - {tenant_id}):
            counts[tenant] = self._index.replace_tenant(tenant, by_tenant.get(tenant, []))
        return counts
