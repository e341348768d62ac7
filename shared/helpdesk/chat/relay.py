"""The chat and its ticket are one conversation: the ticket's public messages are copied into the session.

Every public message of a ticket that a chat became (an agent's reply, the visitor's own chat message, a
mail reply) reaches the transcript through `ChatRelay.sync`, in the ticket's order: the ticket-events
stream calls it for each new message (functions/chat_relay; the local stream poller), and a visitor's
post calls it right after writing to the ticket. Each copy is written only if no later event of that
ticket was copied (one transaction with the message), so the two callers never duplicate or reorder:
the transcript shows the ticket's public messages in the ticket's order. Internal notes never come.
"""

from datetime import datetime
from typing import Any

from helpdesk.attachments.model import mail_attachment_id
from helpdesk.chat.model import ChatMessage, ChatSession
from helpdesk.chat.ports import ChatStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import NotFound
from helpdesk.kernel.principal import system_principal
from helpdesk.kernel.text import markdown_lines
from helpdesk.settings import ChatSection
from helpdesk.tickets.history import EventType, TicketEvent, written_in_markdown
from helpdesk.tickets.model import Channel, Ticket
from helpdesk.tickets.service import TicketService

AGENT_FALLBACK_NAME = "Support team"


def conversation_of(ticket: Ticket) -> str | None:
    """The chat session a ticket continues, if a chat made it."""
    return ticket.ai.conversation_id if ticket.channel == Channel.CHAT else None


def attachment_links(session_id: str, entries: Any) -> list[dict[str, Any]]:
    """What a visitor sees of a message's files: name, type, size, hash and where to fetch each."""
    links: list[dict[str, Any]] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            continue
        attachment_id = str(entry.get("id") or mail_attachment_id(entry["key"]))
        links.append({"id": attachment_id, "filename": entry.get("filename"), "content_type": entry.get("content_type"),
                      "size": entry.get("size"), "sha256": entry.get("sha256"), "scan": entry.get("scan", "unscanned"),
                      "url": f"/chat/sessions/{session_id}/attachments/{attachment_id}"})
    return links


class ChatRelay:
    def __init__(self, store: ChatStore, tickets: TicketService) -> None:
        self._store = store
        self._tickets = tickets

    def on_ticket_event(self, tenant_id: str, ticket_id: str, seq: int, event_type: str) -> list[ChatMessage]:
        """A new ticket event (from the stream): copy it, and anything before it not yet copied, to the chat."""
        if event_type != EventType.PUBLIC_MESSAGE.value:
            return []
        try:
            ticket = self._tickets.get(system_principal(tenant_id), ticket_id)
        except NotFound:
            return []
        session_id = conversation_of(ticket)
        session = self._store.get_session(tenant_id, session_id) if session_id else None
        if session is None or ticket.id not in session.state.ticket_ids:
            return []  # no chat, or it expired (TTL): the reply reached the visitor by mail
        return self.sync(session, ticket.id, through=seq)

    def sync(self, session: ChatSession, ticket_id: str, *, through: int | None = None) -> list[ChatMessage]:
        done = self._store.relayed_through(session.tenant_id, session.id, ticket_id)
        written: list[ChatMessage] = []
        for event in self._tickets.events(system_principal(session.tenant_id), ticket_id):
            if event.seq <= done or event.type != EventType.PUBLIC_MESSAGE or (through and event.seq > through):
                continue
            copied = self._store.append(session, _copy(session, event), relay=(ticket_id, event.seq))
            if copied is not None:
                written.append(copied)
        return written


def _copy(session: ChatSession, event: TicketEvent) -> ChatMessage:
    data = event.data
    body = str(data.get("body") or "")
    from_customer = bool(data.get("from_customer"))
    meta: dict[str, Any] = {"ticket_id": event.ticket_id, "ticket_seq": event.seq,
                            "channel": data.get("channel") or "web"}
    if not from_customer:
        meta["author_name"] = data.get("author_name") or AGENT_FALLBACK_NAME
    links = attachment_links(session.id, data.get("attachments"))
    if links:
        meta["attachments"] = links
    return ChatMessage(id="", session_id=session.id, seq=0, role="user" if from_customer else "agent",
                       text=markdown_lines(body) if written_in_markdown(data) else body, at=event.at, meta=meta)


class ChatPresence:
    """Implements the mail capability's `LiveConversations`: is the customer reading this ticket in a chat
    right now? Then an agent's reply reaches them there; otherwise (session over, or not fetched for
    `mail_after_idle_s`) it goes out by mail as well."""

    def __init__(self, store: ChatStore, settings: ChatSection, *, clock: Clock = system_clock) -> None:
        self._store, self._settings, self._clock = store, settings, clock

    def reading_live(self, ticket: Ticket) -> bool:
        session_id = conversation_of(ticket)
        if session_id is None:
            return False
        session = self._store.get_session(ticket.tenant_id, session_id)
        now = self._clock()
        if session is None or session.ended_at is not None or session.expires_at <= now:
            return False
        seen: datetime | None = self._store.last_seen(ticket.tenant_id, session_id)
        return seen is not None and (now - seen).total_seconds() < self._settings.mail_after_idle_s
