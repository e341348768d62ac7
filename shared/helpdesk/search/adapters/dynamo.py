"""Every stored ticket, for the rebuild: one tenant through its by-number index, all tenants by a scan."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from helpdesk.tickets.model import Ticket

if TYPE_CHECKING:
    from helpdesk.platform.dynamo.models import Tables


class DynamoTicketSource:
    def __init__(self, tables: "Tables") -> None:
        self._tables = tables

    def tickets(self, tenant_id: str | None = None) -> Iterator[Ticket]:
        models = (self._tables.tickets.query(tenant_id) if tenant_id is not None
                  else self._tables.tickets.scan())
        for model in models:
            yield Ticket.model_validate({**model.doc, "version": int(model.version or 0)})
