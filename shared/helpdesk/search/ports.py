"""Ports of ticket search: the index (embedded locally, OpenSearch in AWS) and where tickets are read from."""

from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, Protocol

from helpdesk.search.model import CustomerBucketPage, CustomerQuery, IndexPage, IndexQuery, TicketDocument
from helpdesk.tickets.model import Ticket


class TicketIndex(Protocol):
    def upsert_many(self, docs: Sequence[TicketDocument]) -> None:
        """Index these tickets; a document older (lower version) than the one indexed is ignored."""
        ...

    def delete(self, tenant_id: str, ticket_id: str) -> None: ...

    def replace_tenant(self, tenant_id: str, docs: Iterable[TicketDocument]) -> int:
        """Make the tenant's part of the index exactly `docs` (the rebuild); returns how many were indexed."""
        ...

    def search(self, query: IndexQuery) -> IndexPage: ...

    def customers(self, query: CustomerQuery) -> CustomerBucketPage:
        """The requesters of the tickets the query finds, a bucket each, A-Z by requester key."""
        ...


class TicketSource(Protocol):
    """Every stored ticket, tenant by tenant (the rebuild reads them all)."""

    def tickets(self, tenant_id: str | None = None) -> Iterator[Ticket]: ...


class ExportFiles(Protocol):
    """Where an export too large for an API answer is written, and the short-lived link that downloads it."""

    def store(self, key: str, body: BinaryIO, content_type: str) -> None: ...

    def download_url(self, key: str, filename: str, content_type: str, expires_s: int) -> str: ...
