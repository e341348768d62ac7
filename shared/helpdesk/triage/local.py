"""Triage in the local stack: the tickets-table stream polled from moto into the same stream handler
the intent_rag Lambda runs in AWS, so a ticket from any channel shows triage within seconds."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_triage(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.adapters.dynamo.models import TicketModel
    from helpdesk.local.streams import start_stream_poller
    from helpdesk.triage.stream import process_stream_event

    return start_stream_poller(ctx, TicketModel.Meta.table_name, process_stream_event, "ticket-triage")
