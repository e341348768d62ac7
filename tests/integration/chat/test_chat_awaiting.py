"""The transcript says which question of the assistant is still open (`awaiting`), through the real chat_intake
lambda_handler on moto: a widget that reloads shows the yes/no buttons or the address form again from it, and not
after the visitor answered (yes, no, or anything typed), nor once a person has the conversation."""

from typing import Any

from tests.conftest import claims
from tests.integration.chat.conftest import TENANT, ChatClient
from tests.integration.chat.test_answer_feedback import rate


def awaiting(chat: ChatClient, session: dict[str, Any]) -> str | None:
    r = chat.transcript(session)
    assert r["statusCode"] == 200, r
    value = r["json"]["awaiting"]
    assert value is None or isinstance(value, str)
    return value


def test_an_offer_awaits_yes_then_the_address_then_nothing_once_the_ticket_is_open(chat: ChatClient) -> None:
    session = chat.start()
    assert awaiting(chat, session) is None  # a new conversation asked nothing
    assert chat.say(session, "What is the capital of France?")["actions"] == ["offer_ticket"]
    assert awaiting(chat, session) == "ticket_confirm"

    assert chat.say(session, "yes")["actions"] == ["ask_email"]
    assert awaiting(chat, session) == "email"
    assert chat.say(session, "why do you need that")["actions"] == ["ask_email"]  # asked again: still open
    assert awaiting(chat, session) == "email"

    done = chat.say(session, "visitor@example.org")
    assert done["actions"] == ["ticket_created"]
    assert awaiting(chat, session) is None
    # After the hand-over a plain "yes" goes to the ticket: the assistant's offer after `/ask` is no open question.
    asked = chat.say(session, "/ask What is the capital of France?")
    assert asked["actions"] == ["offer_ticket"]
    assert awaiting(chat, session) is None


def test_no_or_another_question_closes_the_offer(chat: ChatClient) -> None:
    session = chat.start()
    chat.say(session, "What is the capital of France?")
    assert chat.say(session, "no")["actions"] == []
    assert awaiting(chat, session) is None

    chat.say(session, "What is the capital of Spain?")
    assert awaiting(chat, session) == "ticket_confirm"
    assert chat.say(session, "How do I reset my password?")["actions"] == ["answered"]  # typed past the offer
    assert awaiting(chat, session) is None


def test_the_offer_after_an_unhelpful_answer_awaits_until_declined(chat: ChatClient) -> None:
    session = chat.start()
    answer = chat.say(session, "How do I reset my password?")
    assert awaiting(chat, session) is None  # an answer asks nothing back
    offer = rate(chat, session, answer["reply_id"], {"helpful": False})["json"]["offer"]
    assert offer["actions"] == ["offer_ticket"]
    assert offer["id"] == chat.transcript(session)["json"]["messages"][-1]["id"]
    assert awaiting(chat, session) == "ticket_confirm"

    chat.say(session, "no thanks")
    assert awaiting(chat, session) is None


def test_a_signed_in_customer_is_asked_to_confirm_and_never_for_an_address(chat: ChatClient) -> None:
    session = chat.start_customer(claims("user-dana", TENANT, "customer", email="dana@example.com"))
    assert chat.say(session, "Please open a ticket")["actions"] == ["confirm_ticket"]
    assert awaiting(chat, session) == "ticket_confirm"
    assert chat.say(session, "yes")["actions"] == ["ticket_created"]
    assert awaiting(chat, session) is None
