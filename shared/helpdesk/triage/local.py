"""Triage in the local stack: the tickets-table stream polled from moto into the same stream handler
the intent_rag Lambda runs in AWS, so a ticket from any channel shows triage within seconds."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_triage(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.local.streams import start_stream_poller
    from helpdesk.triage.events import process_stream_event

    services = ctx.container.ticket_stream
    return start_stream_poller(ctx, ctx.container.settings.tables.tickets_table,
                               lambda event, context: process_stream_event(event, context, services), "ticket-triage")
