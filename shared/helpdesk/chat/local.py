"""Chat in the local stack: the ticket_events stream polled from moto into the chat relay, as the
chat_relay Lambda runs it in AWS, so an agent's reply shows in the visitor's chat within a second."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_chat_relay(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.chat.events import handle_ticket_events
    from helpdesk.local.streams import start_stream_poller

    relay = ctx.container.chat_relay
    return start_stream_poller(ctx, ctx.container.settings.tables.ticket_events_table,
                               lambda event, context: handle_ticket_events(event, context, relay), "chat-relay")
