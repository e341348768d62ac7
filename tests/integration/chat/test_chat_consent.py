"""Chat never acts without consent: a ticket is opened only after an explicit yes, and an address an
anonymous visitor typed is marked unverified on the ticket."""

from helpdesk import bootstrap
from helpdesk.kernel.principal import system_principal
from helpdesk.tickets.ports import TicketQuery
from tests.conftest import claims
from tests.integration.chat.conftest import TENANT, ChatClient


def _tickets() -> list[str]:
    admin = system_principal(TENANT)
    page = bootstrap.container().ticket_service.query(admin, TicketQuery(tenant_id=TENANT, limit=50))
    return [t.id for t in page.items]


def test_show_me_my_tickets_never_opens_one(chat: ChatClient) -> None:
    session = chat.start_customer(claims("user-dana", TENANT, "customer", email="dana@example.com"))
    for text in ("show me my tickets", "show me my tickets please", "list my tickets"):
        reply = chat.say(session, text)
        assert "ticket_created" not in reply["actions"], (text, reply)
    assert _tickets() == []


def test_a_hand_over_waits_for_an_explicit_yes(chat: ChatClient) -> None:
    session = chat.start_customer(claims("user-dana", TENANT, "customer", email="dana@example.com"))
    offered = chat.say(session, "I want to talk to a human")
    assert offered["actions"] == ["confirm_ticket"]
    assert "yes or no" in offered["reply"]
    assert _tickets() == []
    declined = chat.say(session, "no")
    assert "ticket_created" not in declined["actions"]
    chat.say(session, "I want to talk to a human")
    chat.say(session, "hmm, what are your opening hours?")  # not a yes: the offer lapses
    assert _tickets() == []
    # A word that can say yes counts only as a yes, not as a sentence's first word ("sim" is Portuguese for yes).
    for other in ("SIM card still dead after the update", "please tell me your opening hours first"):
        chat.say(session, "I want to talk to a human")
        chat.say(session, other)
        assert _tickets() == [], other
    chat.say(session, "I want to talk to a human")
    done = chat.say(session, "yes please")
    assert done["actions"] == ["ticket_created", "handoff"]
    assert _tickets() == [done["ticket"]["id"]]


def test_an_anonymous_visitors_address_is_asked_after_the_yes_and_marked_unverified(chat: ChatClient) -> None:
    session = chat.start()
    chat.say(session, "I want to talk to a human")
    typed_instead = chat.say(session, "dana@example.com")  # an address is not a yes
    assert "ticket_created" not in typed_instead["actions"]
    assert _tickets() == []

    chat.say(session, "I want to talk to a human")
    assert chat.say(session, "yes")["actions"] == ["ask_email"]
    done = chat.say(session, "it is dana@example.com")
    assert "ticket_created" in done["actions"]
    ticket = bootstrap.container().ticket_service.get(system_principal(TENANT), done["ticket"]["id"])
    assert ticket.requester.email == "dana@example.com"
    # Lists show the visitor's last words on the matter, not the transcript's heading nor their "yes" or address.
    assert ticket.latest_message is not None
    assert (ticket.latest_message.text, ticket.latest_message.from_customer) == ("I want to talk to a human", True)
    assert ticket.requester.email_verified is False
