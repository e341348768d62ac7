"""Triage in the local stack: the tickets-table and ticket-events streams polled from moto into the same
stream handler the intent_rag Lambda runs in AWS, so a ticket from any channel shows triage within seconds
and its summary follows the thread."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_triage(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.local.streams import start_stream_poller
    from helpdesk.triage.events import process_stream_event

    services = ctx.container.ticket_stream
    tables = ctx.container.settings.tables
    stops = [start_stream_poller(ctx, table, lambda event, context: process_stream_event(event, context, services),
                                 name)
             for table, name in ((tables.tickets_table, "ticket-triage"),
                                 (tables.ticket_events_table, "ticket-summaries"))]

    def stop() -> None:
        for each in stops:
            each()

    return stop
