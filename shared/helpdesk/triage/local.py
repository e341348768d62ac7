"""Triage in the local stack: the tickets-table and ticket-events streams polled from moto into the same
stream handler the intent_rag Lambda runs in AWS, so a ticket from any channel shows triage within seconds
and its summary follows the thread."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_triage(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.local.streams import StreamSource, start_stream_poller, stop_all
    from helpdesk.triage.events import process_stream_event

    services = ctx.container.ticket_stream
    tables = ctx.container.settings.tables
    def handler(event: dict[str, object], context: object) -> dict[str, object]:
        return process_stream_event(event, context, services)

    # Summaries wait for nobody (AWS batches them 5 s too); polling them less often leaves moto and the GIL to the
    # pollers people wait on (the chat relay, mail out), which read the same stream.
    return stop_all([start_stream_poller(ctx, table, handler, name, StreamSource("IntentRagFunction", event),
                                         interval=interval)
                     for table, name, event, interval in (
                         (tables.tickets_table, "ticket-triage", "TicketsStream", 0.5),
                         (tables.ticket_events_table, "ticket-summaries", "TicketMessages", 2.0))])
