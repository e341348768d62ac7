"""Ticket search in the local stack: the tickets and ticket-events streams polled from moto into the same
handler the ticket indexer Lambda runs in AWS, so a change is searchable within about a second.

The index folder lives beside the saved DynamoDB state and can disagree with it after a crash or
`helpdesk serve --reset`: on start every ticket whose indexed version differs from the stored one is
re-indexed, and tickets DynamoDB no longer has leave the index; so is every ticket an older release indexed
without a field added since.
"""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def reconcile_index(ctx: LocalStackContext) -> int:
    from helpdesk.search.adapters.dynamo import DynamoTicketSource
    from helpdesk.search.adapters.embedded import EmbeddedTicketIndex

    index = ctx.container.ticket_index
    if not isinstance(index, EmbeddedTicketIndex):
        return 0
    stored: dict[str, dict[str, int]] = {}
    for ticket in DynamoTicketSource(ctx.container.tables).tickets():
        stored.setdefault(ticket.tenant_id, {})[ticket.id] = ticket.version
    changed = 0
    indexer = ctx.container.ticket_indexer
    for tenant in sorted(set(stored) | set(index.tenants())):
        indexed, wanted = index.versions(tenant), stored.get(tenant, {})
        stale = [i for i, v in wanted.items() if indexed.get(i) != v] + [i for i in indexed if i not in wanted]
        stale += sorted(set(index.outdated(tenant)) & set(wanted) - set(stale))
        if stale:
            changed += len(stale)
            indexer.refresh(tenant, stale)
    return changed


def start_ticket_search(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.local.streams import StreamSource, start_stream_poller, stop_all
    from helpdesk.search.events import process_stream_event

    changed = reconcile_index(ctx)
    if changed:
        print(f"helpdesk: ticket search index brought in line with the stored tickets ({changed} re-indexed)")
    container, tables = ctx.container, ctx.container.settings.tables

    def handler(event: dict[str, object], context: object) -> dict[str, object]:
        return process_stream_event(event, context, container.ticket_indexer, container.ticket_index)

    return stop_all([start_stream_poller(ctx, tables.tickets_table, handler, "ticket-search",
                                         StreamSource("TicketIndexerFunction", "TicketChanges")),
                     start_stream_poller(ctx, tables.ticket_events_table, handler, "ticket-search-events",
                                         StreamSource("TicketIndexerFunction", "TicketMessages"))])
