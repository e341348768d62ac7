""""Did this answer your question?" through the real chat_intake handler on moto: a rating is kept once, counted
for the AI report, and "no" offers a person whose "yes" opens the ticket with the unhelpful answer in it."""

from datetime import UTC, datetime, timedelta
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role, system_principal
from tests.conftest import claims, http_event
from tests.integration.chat.conftest import TENANT, ChatClient


def rate(chat: ChatClient, session: dict[str, Any], message_id: str, body: Any) -> dict[str, Any]:
    return chat.invoke("chat_intake", http_event(
        "POST", f"/chat/sessions/{session['id']}/messages/{message_id}/feedback", body=body,
        headers={"authorization": f"Bearer {session['token']}"}, template="chat_intake/rate_answer.json"))


def ai_report() -> dict[str, Any]:
    today = datetime.now(UTC).date()
    report: dict[str, Any] = bootstrap.container().reports.ai(
        Principal(user_id="ada", tenant_id=TENANT, role=Role.ADMIN), datetime.combine(today, datetime.min.time(), UTC),
        datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)).model_dump(mode="json")
    return report


def test_a_helpful_answer_is_counted_once_and_the_transcript_remembers_it(chat: ChatClient) -> None:
    session = chat.start()
    answer = chat.say(session, "How do I reset my password?")
    assert answer["citations"]

    rated = rate(chat, session, answer["reply_id"], {"helpful": True})
    assert rated["statusCode"] == 200, rated["json"]
    assert rated["json"] == {"message_id": answer["reply_id"], "helpful": True, "offer": None}
    again = rate(chat, session, answer["reply_id"], {"helpful": False})
    assert (again["statusCode"], again["json"]["error"]["code"]) == (409, "already_rated")
    messages = chat.transcript(session)["json"]["messages"]
    assert [(m["role"], m["helpful"]) for m in messages] == [("user", None), ("assistant", True)]
    chat_figures = ai_report()["chat"]
    assert (chat_figures["rated_helpful"], chat_figures["rated_not_helpful"], chat_figures["share_helpful"]) \
        == (1, 0, 1.0)


def test_an_unhelpful_answer_offers_a_person_and_yes_opens_the_ticket(chat: ChatClient) -> None:
    session = chat.start()
    answer = chat.say(session, "How do I reset my password?")

    rated = rate(chat, session, answer["reply_id"], {"helpful": False})
    assert rated["statusCode"] == 200, rated["json"]
    offer = rated["json"]["offer"]
    assert offer["role"] == "assistant"
    assert offer["actions"] == ["offer_ticket"]
    assert "did not answer your question" in offer["text"]
    assert chat.transcript(session)["json"]["messages"][-1]["id"] == offer["id"]  # the widget's next poll sees it

    assert chat.say(session, "yes please")["actions"] == ["ask_email"]
    done = chat.say(session, "dana@example.org")
    assert done["actions"] == ["ticket_created"]
    ticket = bootstrap.container().ticket_service.get(system_principal(TENANT), done["ticket"]["id"])
    assert "reset my password" in ticket.subject
    assert "did not answer your question" in ticket.description  # the agent reads what did not help
    assert ticket.ai.trigger_message_id == answer["message_id"]  # the question, not the "yes"
    figures = ai_report()["chat"]
    assert (figures["rated_helpful"], figures["rated_not_helpful"], figures["share_helpful"]) == (0, 1, 0.0)


def test_only_answers_that_cite_articles_are_rated_and_bad_input_is_refused(chat: ChatClient) -> None:
    session = chat.start()
    unknown = chat.say(session, "What is the capital of France?")  # "I don't know": nothing to judge
    refused = rate(chat, session, unknown["reply_id"], {"helpful": True})
    assert (refused["statusCode"], refused["json"]["error"]["code"]) == (400, "not_an_answer")
    question = rate(chat, session, unknown["message_id"], {"helpful": True})  # the visitor's own message
    assert question["json"]["error"]["code"] == "not_an_answer"
    assert rate(chat, session, "00000099-abcdef", {"helpful": True})["statusCode"] == 404
    assert rate(chat, session, "nonsense", {"helpful": True})["statusCode"] == 404
    answer = chat.say(session, "How do I reset my password?")
    for body in ({"helpful": "yes"}, {"helpful": 1}, {}, {"helpful": True, "why": "x"}):
        assert rate(chat, session, answer["reply_id"], body)["statusCode"] == 422, body
    other = chat.start()
    assert rate(chat, {**other, "id": session["id"]}, answer["reply_id"], {"helpful": True})["statusCode"] == 404
    assert rate(chat, session, answer["reply_id"], {"helpful": True})["statusCode"] == 200  # nothing was kept


def test_no_offer_once_a_person_has_the_conversation(chat: ChatClient) -> None:
    customer = claims("c-77", TENANT, "customer", email="lee@example.com")
    session = chat.start_customer(customer)
    answer = chat.say(session, "How do I reset my password?")
    chat.say(session, "I want to talk to a human")
    assert chat.say(session, "yes")["actions"][0] == "ticket_created"
    rated = rate(chat, session, answer["reply_id"], {"helpful": False})
    assert rated["statusCode"] == 200, rated["json"]
    assert rated["json"]["offer"] is None
