"""Composition root: which adapter serves each port. Built once per Lambda container."""

from functools import lru_cache

from helpdesk.adapters.dynamo.ticket_repository import DynamoTicketRepository
from helpdesk.services.tickets import TicketService


@lru_cache(maxsize=1)
def ticket_service() -> TicketService:
    return TicketService(DynamoTicketRepository())


def reset_wiring() -> None:
    """Forget built adapters (tests switch backends between cases)."""
    ticket_service.cache_clear()
