"""The tenant's card masking as the ticket repository and the chat store call it (`helpdesk.privacy.card_masking`):
in place, only for a tenant that masks, its setting read once a minute unless saved here."""

from datetime import UTC, datetime

from helpdesk.chat.model import ChatMessage
from helpdesk.kernel.principal import Principal, Role
from helpdesk.privacy.card_masking import CARDS_MASKED, CardMasking
from helpdesk.tickets.history import EventType
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import InMemoryTicketRepository

AGENT = Principal(user_id="agent-1", tenant_id="acme", role=Role.AGENT)
CARD, MASKED = "4111 1111 1111 1111", "XXXX XXXX XXXX 1111"


class Setting:
    def __init__(self) -> None:
        self.on, self.reads, self.now = {"acme"}, 0, 0.0

    def __call__(self, tenant_id: str) -> bool:
        self.reads += 1
        return tenant_id in self.on


def test_the_ticket_and_its_new_events_are_masked_in_place() -> None:
    repository = InMemoryTicketRepository()
    tickets = TicketService(repository)
    ticket = tickets.create(AGENT, CreateTicket(subject=f"Card {CARD}", description=f"Charged twice on {CARD}"))
    ticket, _ = tickets.add_message(AGENT, ticket.id, f"Refund to {CARD.replace(' ', '-')} done", public=True)
    ticket = tickets.update(AGENT, ticket.id, UpdateTicket(subject=f"Refund {CARD}"))
    events = repository.events("acme", ticket.id)
    masking = CardMasking(Setting())
    masking(ticket, events)
    assert (ticket.subject, ticket.description) == (f"Refund {MASKED}", f"Charged twice on {MASKED}")
    assert ticket.latest_message is not None
    assert ticket.latest_message.text == "Refund to XXXX-XXXX-XXXX-1111 done"
    by_type = {event.type: event.data for event in events}
    assert by_type[EventType.PUBLIC_MESSAGE]["body"] == "Refund to XXXX-XXXX-XXXX-1111 done"
    assert by_type[EventType.SUBJECT_CHANGED]["to"] == f"Refund {MASKED}"
    assert by_type[EventType.SUBJECT_CHANGED][CARDS_MASKED] == 2  # the old subject and the new
    assert by_type[EventType.CREATED]["subject"] == f"Card {MASKED}"


def test_a_tenant_that_does_not_mask_keeps_what_was_written() -> None:
    repository = InMemoryTicketRepository()
    ticket = TicketService(repository).create(AGENT, CreateTicket(subject="Card", description=CARD))
    events = repository.events("acme", ticket.id)
    setting = Setting()
    setting.on = set()
    CardMasking(setting)(ticket, events)
    assert ticket.description == CARD
    assert CARDS_MASKED not in events[0].data


def test_the_setting_is_read_once_a_minute_unless_saved_here() -> None:
    setting = Setting()
    masking = CardMasking(setting, ttl_s=60, now=lambda: setting.now)
    assert masking.masks("acme")
    assert masking.masks("acme")
    assert setting.reads == 1
    setting.on = set()
    setting.now = 30.0
    assert masking.masks("acme")  # still cached: up to a minute in another warm function
    masking.forget("acme")  # saved in this process: read again at once
    assert not masking.masks("acme")
    assert setting.reads == 2
    setting.on, setting.now = {"acme"}, 100.0
    assert masking.masks("acme")
    assert setting.reads == 3


def test_a_chat_message_is_masked() -> None:
    message = ChatMessage(id="", session_id="s1", seq=0, role="user", text=f"my card {CARD}", at=datetime.now(UTC))
    masked = CardMasking(Setting()).chat_text("acme", message)
    assert masked.text == f"my card {MASKED}"
    assert masked.meta[CARDS_MASKED] == 1
    assert CardMasking(Setting()).chat_text("zeta", message) is message
