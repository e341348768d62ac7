""""Did this answer your question?" through the real chat_intake handler on moto: a rating is kept once, counted
for the AI report (per day, and per article cited: through the real reports_api handler), and "no" offers a person
whose "yes" opens the ticket with the unhelpful answer in it, marked for the team."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.tickets.model import RatedTurn
from tests.conftest import FakeLambdaContext, claims, ensure_event_loop, http_event, load_function
from tests.integration.chat.conftest import TENANT, ChatClient


def rate(chat: ChatClient, session: dict[str, Any], message_id: str, body: Any) -> dict[str, Any]:
    return chat.invoke("chat_intake", http_event(
        "POST", f"/chat/sessions/{session['id']}/messages/{message_id}/feedback", body=body,
        headers={"authorization": f"Bearer {session['token']}"}, template="chat_intake/rate_answer.json"))


def reports(path: str, who: dict[str, Any], query: dict[str, str] | None = None) -> dict[str, Any]:
    """reports_api's real lambda_handler; `json` is the parsed body when it is JSON (a CSV stays text)."""
    ensure_event_loop()
    response: dict[str, Any] = load_function("reports_api").lambda_handler(
        http_event("GET", path, claims_=who, query=query, template="reports_api/article_chat_ratings.json"),
        FakeLambdaContext())
    is_json = response.get("headers", {}).get("content-type", "").startswith("application/json")
    response["json"] = json.loads(response["body"]) if is_json else None
    return response


def day_range(first: date, days: int = 1) -> dict[str, str]:
    return {"from": f"{first.isoformat()}T00:00:00Z", "to": f"{(first + timedelta(days=days)).isoformat()}T00:00:00Z"}


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
    # The team sees which answer did not help: its place in the transcript, from the end (the address is 1)
    assert ticket.ai.rated_turns == [RatedTurn(turn=5, helpful=False)]
    turns = [line for line in ticket.description.splitlines() if line.startswith(("[user]", "[assistant]"))]
    assert turns[-5] == f"[assistant] {answer['reply']}"
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


def test_a_rating_counts_for_each_article_the_answer_cited_once_per_tenant_and_day(chat: ChatClient) -> None:
    admin, today = claims("ada", TENANT, "admin"), datetime.now(UTC).date()
    session = chat.start()
    both = chat.say(session, "I forgot my password and want to turn on two-factor authentication")
    assert [c["article_id"] for c in both["citations"]] == ["kb-two-factor", "kb-reset-password"]
    assert rate(chat, session, both["reply_id"], {"helpful": False})["statusCode"] == 200
    assert rate(chat, session, both["reply_id"], {"helpful": True})["statusCode"] == 409  # and counts nothing
    other = chat.start()
    one = chat.say(other, "How do I reset my password?")
    assert [c["article_id"] for c in one["citations"]] == ["kb-reset-password"]
    assert rate(chat, other, one["reply_id"], {"helpful": True})["statusCode"] == 200

    report = reports("/reports/ai", admin, day_range(today))
    assert report["statusCode"] == 200, report["json"]
    # Most rated not helpful first; of as many, the fewer helpful first: the article that never helped leads
    assert report["json"]["rated_articles"] == [
        {"article_id": "kb-two-factor", "title": "Turn on two-factor authentication", "helpful": 0, "not_helpful": 1},
        {"article_id": "kb-reset-password", "title": "Reset your password", "helpful": 1, "not_helpful": 1}]
    assert (report["json"]["rated_articles_count"], report["json"]["rated_articles_truncated"]) == (2, False)
    assert (report["json"]["chat"]["rated_helpful"], report["json"]["chat"]["rated_not_helpful"]) == (1, 1)
    as_csv = reports("/reports/ai", admin, {**day_range(today), "format": "csv"})["body"]
    assert ",rated_article,kb-two-factor,not_helpful,1\r\n" in as_csv
    assert ",chat,,rated_articles,2\r\n" in as_csv
    # the range applies: yesterday's report has none of today's ratings
    assert reports("/reports/ai", admin, day_range(today - timedelta(days=1)))["json"]["rated_articles"] == []
    # a read of more day counts than allowed says so (the adapter, on moto)
    read, more = bootstrap.container().chat_activity.articles_rated(TENANT, today, today, 2)
    # three day counts in key order (reset yes, reset no, two-factor no): the third is left out
    assert ([(a.article_id, a.helpful, a.not_helpful) for a in read], more) == ([("kb-reset-password", 1, 1)], True)

    # The article's page: its counts in all
    page = reports("/reports/ai/articles/kb-reset-password", claims("alex", TENANT, "agent"))
    assert page["statusCode"] == 200, page["json"]
    assert page["json"] == {"article_id": "kb-reset-password", "helpful": 1, "not_helpful": 1}
    never = reports("/reports/ai/articles/kb-shipping", admin)["json"]
    assert (never["helpful"], never["not_helpful"]) == (0, 0)
    assert reports("/reports/ai/articles/-nope", admin)["statusCode"] == 422
    customer = claims("c-1", TENANT, "customer", email="cy@example.com")
    assert reports("/reports/ai/articles/kb-reset-password", customer)["statusCode"] == 403

    # Tenants apart: another tenant's team sees none of it
    globex = claims("gus", "globex", "admin")
    assert reports("/reports/ai", globex, day_range(today))["json"]["rated_articles"] == []
    theirs = reports("/reports/ai/articles/kb-reset-password", globex)["json"]
    assert (theirs["helpful"], theirs["not_helpful"]) == (0, 0)
