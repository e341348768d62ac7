"""Chat in the local stack: the ticket_events stream polled from moto into the chat relay, as the
chat_relay Lambda runs it in AWS, so an agent's reply shows in the visitor's chat within a second; and the
assistant's models loaded on start, so the first question is not timed with their loading."""

from collections.abc import Callable

from helpdesk.local.extensions import LocalStackContext


def start_chat_relay(ctx: LocalStackContext) -> Callable[[], None]:
    from helpdesk.chat.events import handle_ticket_events
    from helpdesk.local.streams import StreamSource, start_stream_poller

    relay = ctx.container.chat_relay
    return start_stream_poller(ctx, ctx.container.settings.tables.ticket_events_table,
                               lambda event, context: handle_ticket_events(event, context, relay), "chat-relay",
                               StreamSource("ChatRelayFunction", "PublicMessages"))


def warm_assistant(ctx: LocalStackContext) -> None:
    """Build the chat assistant and load its models (the embedder and the answerability model's reader) before
    the stack serves: loading them inside the first turn's retrieval time limit could turn a busy machine's
    first question into "I can't search our help articles right now"."""
    ctx.container.assistant.warm_up()
