"""After the hand-over the chat and the ticket are one conversation: the real chat_intake and chat_relay
handlers, the ticket service and email_send on moto, the offline assistant."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.clock import FixedClock
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.mail.local import plain_text
from helpdesk.tickets.history import MARKDOWN, MESSAGE_FORMAT
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import claims, http_event, load_function
from tests.integration.chat.conftest import TENANT, ChatClient
from tests.integration.mail.conftest import mail  # noqa: F401  (the mail world: bucket, SES, email_send)

AGENT = Principal(user_id="alex", tenant_id=TENANT, role=Role.AGENT, name="Alex Agent")
VISITOR = "visitor@example.org"


@pytest.fixture
def relay(lambda_context: Any) -> Callable[[], dict[str, Any]]:
    """Run the chat_relay handler over ticket events appended since the last call, as the stream would."""
    seen: set[tuple[str, int]] = set()

    def run() -> dict[str, Any]:
        from helpdesk.platform.dynamo.models import TicketEventModel

        records = []
        for item in sorted(TicketEventModel.scan(), key=lambda i: (i.ticket_key, int(i.seq))):
            key = (item.ticket_key, int(item.seq))
            if key in seen:
                continue
            seen.add(key)
            records.append({"eventID": f"{key}", "eventName": "INSERT", "eventSource": "aws:dynamodb", "dynamodb": {
                "Keys": {"ticket_key": {"S": item.ticket_key}, "seq": {"N": str(item.seq)}},
                "NewImage": {"ticket_key": {"S": item.ticket_key}, "seq": {"N": str(item.seq)},
                             "type": {"S": item.type}, "actor": {"S": item.actor},
                             "data": {"S": json.dumps(item.data)}},
                "SequenceNumber": f"{len(seen):021d}", "StreamViewType": "NEW_IMAGE"}})
        result: dict[str, Any] = load_function("chat_relay").lambda_handler({"Records": records}, lambda_context)
        return result

    return run


def _hand_over(chat: ChatClient) -> tuple[dict[str, Any], str]:
    session = chat.start()
    chat.say(session, "I want to talk to a human")
    assert chat.say(session, "yes")["actions"] == ["ask_email"]
    done = chat.say(session, VISITOR)
    assert "ticket_created" in done["actions"]
    return session, str(done["ticket"]["id"])


def _sender_for(tenant: str) -> None:
    """Mail from the tenant's verified support address (the mail world verified it in moto's SES)."""
    from helpdesk.mail.ports import MailSettings
    from tests.integration.mail.conftest import SUPPORT

    bootstrap.container().mail_records.put_settings(tenant, MailSettings(support_address=SUPPORT))


def _page(chat: ChatClient, session: dict[str, Any], after: str | None = None) -> dict[str, Any]:
    r = chat.invoke("chat_intake", http_event(
        "GET", f"/chat/sessions/{session['id']}/messages", query={"after": after} if after else None,
        headers={"authorization": f"Bearer {session['token']}"}, template="chat_intake/list_messages.json"))
    assert r["statusCode"] == 200, r
    return dict(r["json"])


def test_agent_replies_reach_the_chat_and_the_visitors_answers_reach_the_ticket(
        chat: ChatClient, relay: Callable[[], dict[str, Any]]) -> None:
    session, ticket_id = _hand_over(chat)
    mark = _page(chat, session)["next_after"]
    tickets = bootstrap.container().ticket_service
    tickets.add_message(AGENT, ticket_id, "Hello, I am looking at it.", public=True)
    tickets.add_message(AGENT, ticket_id, "internal: check the router logs", public=False)
    assert relay() == {"batchItemFailures": []}
    assert relay() == {"batchItemFailures": []}  # nothing new, nothing twice

    page = _page(chat, session, after=mark)
    [reply] = page["messages"]
    assert (reply["role"], reply["author_name"], reply["text"]) == ("agent", "Alex Agent", "Hello, I am looking at it.")
    assert page["next_after"] == reply["id"]
    assert _page(chat, session, after=reply["id"])["messages"] == []

    answered = chat.say(session, "It is the red light again")
    assert answered["handed_over"] is True
    assert answered["reply"] is None
    assert "/ask" in answered["notice"]
    asked = chat.say(session, "/ask how do I reset my password?")
    assert asked["reply"] is not None  # the assistant answers an explicit command only
    assert relay() == {"batchItemFailures": []}

    events = tickets.events(system_principal(TENANT), ticket_id)
    public = [e.data["body"] for e in events if e.type == "public_message"]
    assert public == ["Hello, I am looking at it.", "It is the red light again"]
    transcript = chat.transcript(session)["json"]["messages"]
    assert [m["text"] for m in transcript if m["channel"]] == public  # the same messages, the same order
    assert not any("router logs" in m["text"] for m in transcript)


def test_an_agent_reply_written_in_markdown_reaches_the_chat_as_text(
        chat: ChatClient, relay: Callable[[], dict[str, Any]]) -> None:
    session, ticket_id = _hand_over(chat)
    mark = _page(chat, session)["next_after"]
    bootstrap.container().ticket_service.add_message(
        AGENT, ticket_id, "Please:\n\n1. Unplug the **router**\n2. Read [the guide](https://help.example/r)\n- `30 s`",
        public=True, meta={MESSAGE_FORMAT: MARKDOWN})
    assert relay() == {"batchItemFailures": []}
    [reply] = _page(chat, session, after=mark)["messages"]
    assert reply["text"] == "Please:\n\n1. Unplug the router\n2. Read the guide (https://help.example/r)\n• 30 s"


def test_a_resolved_ticket_reopens_and_a_closed_one_gets_a_follow_up(chat: ChatClient) -> None:
    session, ticket_id = _hand_over(chat)
    tickets = bootstrap.container().ticket_service
    tickets.update(AGENT, ticket_id, UpdateTicket(status=Status.RESOLVED))
    chat.say(session, "Not fixed after all")
    assert tickets.get(AGENT, ticket_id).status == Status.OPEN
    tickets.update(AGENT, ticket_id, UpdateTicket(status=Status.CLOSED))

    posted = chat.say(session, "It broke again")
    follow_up = tickets.get(AGENT, posted["ticket"]["id"])
    assert follow_up.id != ticket_id
    assert [(link.type, link.ticket_id) for link in follow_up.links] == [("follow_up", ticket_id)]
    assert follow_up.description == "It broke again"
    assert follow_up.ai.conversation_id == session["id"]


def test_chat_on_a_merged_ticket_goes_on_in_the_ticket_it_was_merged_into(chat: ChatClient) -> None:
    from helpdesk.tickets.links import merge
    from helpdesk.tickets.service import CreateTicket

    session, ticket_id = _hand_over(chat)
    tickets = bootstrap.container().ticket_service
    source = tickets.get(AGENT, ticket_id)
    target = tickets.create(AGENT, CreateTicket(subject="Same problem", description="by phone",
                                                requester=source.requester))
    merge(tickets, AGENT, ticket_id, target.id)

    posted = chat.say(session, "Any news?")
    assert posted["ticket"]["id"] == target.id
    bodies = [e.data.get("body") for e in tickets.events(AGENT, target.id) if e.type == "public_message"]
    assert bodies == ["Any news?"]


def test_the_reply_goes_by_mail_once_the_visitor_left(chat: ChatClient, mail: Any, clock: FixedClock,  # noqa: F811
                                                     relay: Callable[[], dict[str, Any]]) -> None:
    _sender_for(TENANT)
    session, ticket_id = _hand_over(chat)
    tickets = bootstrap.container().ticket_service
    code_mail = [m for m in mail.sent() if "confirmation code" in str(m["Subject"])]
    assert [str(m["To"]) for m in code_mail] == [VISITOR]

    tickets.add_message(AGENT, ticket_id, "Still here?", public=True)  # the visitor is reading: chat only
    mail.stream()
    assert [m for m in mail.sent() if "Still here" in m.as_string()] == []

    clock.advance(timedelta(minutes=10))  # the visitor stopped fetching the conversation
    tickets.add_message(AGENT, ticket_id, "Your router is replaced.", public=True)
    mail.stream()
    [out] = [m for m in mail.sent() if "router is replaced" in m.as_string()]
    assert out["To"] == VISITOR
    number = tickets.get(AGENT, ticket_id).key
    assert number in out["Subject"]  # the ticket tag, threading the visitor's answer

    ended = chat.invoke("chat_intake", http_event("DELETE", f"/chat/sessions/{session['id']}",
                                                  headers={"authorization": f"Bearer {session['token']}"},
                                                  template="chat_intake/end_session.json"))
    assert ended["statusCode"] == 200
    gone = chat.send_raw(session, {"text": "hello?"})
    assert gone["statusCode"] == 410
    assert gone["json"]["error"]["code"] == "gone"
    assert relay() == {"batchItemFailures": []}  # the ended session takes no copies and nothing fails


def test_the_mailed_code_makes_the_tickets_the_verified_customers(chat: ChatClient, mail: Any,  # noqa: F811
                                                                   invoke: Callable[..., dict[str, Any]]) -> None:
    _sender_for(TENANT)
    session, ticket_id = _hand_over(chat)
    customer = claims("vis", TENANT, "customer", email=VISITOR) | {"email_verified": "true"}

    def listed() -> list[str]:
        r = invoke("ticket_commands", http_event("GET", "/tickets", claims_=customer))
        return [t["id"] for t in r["json"]["items"]]

    assert listed() == []  # typed into a chat is not proven
    [code_mail] = [m for m in mail.sent() if "confirmation code" in str(m["Subject"])]
    code = str(code_mail["Subject"]).rsplit(" ", 1)[-1]
    path = f"/chat/sessions/{session['id']}/email-verification"
    auth = {"authorization": f"Bearer {session['token']}"}
    other = "000000" if code != "000000" else "111111"
    wrong = chat.invoke("chat_intake", http_event("POST", path, body={"code": other}, headers=auth,
                                                  template="chat_intake/verify_email.json"))
    assert wrong["statusCode"] == 400
    assert wrong["json"]["error"]["code"] == "invalid_code"
    right = chat.invoke("chat_intake", http_event("POST", path, body={"code": code}, headers=auth,
                                                  template="chat_intake/verify_email.json"))
    assert right["statusCode"] == 200, right
    assert listed() == [ticket_id]
    again = chat.say(session, "thanks")  # the visitor still writes on the ticket from the chat
    assert again["handed_over"] is True


def test_bad_after_id_is_a_clear_400(chat: ChatClient) -> None:
    session = chat.start()
    r = chat.invoke("chat_intake", http_event(
        "GET", f"/chat/sessions/{session['id']}/messages", query={"after": "00000009-deadbeef"},
        headers={"authorization": f"Bearer {session['token']}"}, template="chat_intake/list_messages.json"))
    assert r["statusCode"] == 400
    assert r["json"]["error"]["code"] == "invalid_input"


def test_the_sample_stream_event_runs_without_failures(chat: ChatClient, lambda_context: Any) -> None:
    from tests.conftest import EVENTS

    event = json.loads((EVENTS / "chat_relay" / "agent_reply.json").read_text())
    # a reply on a ticket that does not exist (or is no chat's): nothing to copy, nothing to retry
    assert load_function("chat_relay").lambda_handler(event, lambda_context) == {"batchItemFailures": []}


def test_codes_are_not_resent_within_a_minute(chat: ChatClient, mail: Any, clock: FixedClock) -> None:  # noqa: F811
    _sender_for(TENANT)
    session, _ = _hand_over(chat)
    path = f"/chat/sessions/{session['id']}/email-code"
    auth = {"authorization": f"Bearer {session['token']}"}

    def resend() -> dict[str, Any]:
        return chat.invoke("chat_intake", http_event("POST", path, headers=auth,
                                                     template="chat_intake/send_email_code.json"))

    assert resend()["statusCode"] == 429  # the code of the hand-over went out just now
    clock.advance(timedelta(seconds=61))
    assert resend()["statusCode"] == 202
    assert len([m for m in mail.sent() if "confirmation code" in str(m["Subject"])]) == 2


def test_a_german_visitor_is_handed_over_and_mailed_the_code_in_german(chat: ChatClient, mail: Any) -> None:  # noqa: F811
    """What the widget's "talk to a person" button sends on a German page, the yes of its German button, then the
    address: the hand-over, the mail with the code and the notice afterwards are German (they were English)."""
    _sender_for(TENANT)
    session = chat.start()
    offered = chat.say(session, "Ich möchte mit einem Menschen sprechen")
    assert offered["actions"] == ["confirm_ticket"], offered
    assert offered["reply"].startswith("Ich kann dieses Gespräch an eine Person aus unserem Team übergeben")
    assert chat.say(session, "Ja")["actions"] == ["ask_email"]
    done = chat.say(session, VISITOR)
    number = done["ticket"]["number"]
    assert done["reply"].startswith(f"Ich habe das Gespräch an unser Support-Team übergeben: Ihre Ticketnummer ist "
                                    f"{number}."), done["reply"]

    [code_mail] = [m for m in mail.sent() if str(m["To"]) == VISITOR]
    assert str(code_mail["Subject"]).startswith("Ihr Bestätigungscode: ")
    assert f"Ihr Bestätigungscode für Ticket {number} lautet " in plain_text(code_mail)
    forwarded = chat.say(session, "Hallo?")
    assert forwarded["notice"].startswith(f"An unser Team gesendet (Ticket {number})"), forwarded


def test_a_wrong_or_late_code_typed_in_the_chat_is_told_in_the_visitors_language(
        chat: ChatClient, mail: Any, clock: FixedClock) -> None:  # noqa: F811
    """A code typed into a German chat that does not confirm the address is answered in German (it was the API's
    English message), a wrong code with the tries left, then the end of the tries, then an expired code."""
    _sender_for(TENANT)
    session = chat.start()
    chat.say(session, "Ich möchte mit einem Menschen sprechen")
    chat.say(session, "Ja")
    chat.say(session, VISITOR)
    [code_mail] = [m for m in mail.sent() if str(m["To"]) == VISITOR]
    other = "000000" if not str(code_mail["Subject"]).endswith("000000") else "111111"

    first = chat.say(session, other)
    assert first["actions"] == ["verify_email"]
    assert first["notice"] == ("Dieser Code stimmt nicht: Prüfen Sie die E-Mail und geben Sie ihn erneut ein "
                               "(noch 4 Versuche)."), first
    for _ in range(4):
        chat.say(session, other)
    assert chat.say(session, other)["notice"].startswith("Zu viele falsche Codes: "), "the tries are used up"

    later = chat.start()
    chat.say(later, "Ich möchte mit einem Menschen sprechen")
    chat.say(later, "Ja")
    chat.say(later, "jana@example.org")
    clock.advance(timedelta(hours=2))
    late = chat.say(later, "123456")
    assert late["notice"] == ("Dieser Code ist abgelaufen: Senden Sie Ihre E-Mail-Adresse erneut, um einen neuen "
                              "zu erhalten."), late


def test_a_visitor_handed_over_after_hours_is_told_when_the_team_answers(chat: ChatClient, clock: FixedClock) -> None:
    """Friday 19:00 in Berlin, the team works 9-17 Monday to Friday with a 60-minute first response: the hand-over
    says Monday 10:00 (as a time; the widget writes it in the visitor's language and time zone), and so does
    the visitor's next message on the ticket (the next-response deadline)."""
    from datetime import UTC, datetime

    from helpdesk.sla.calendar import BusinessCalendar, OpeningSpan
    from helpdesk.sla.policy import PriorityTargets, SlaPolicy

    store = bootstrap.container().sla_settings_store
    office = [OpeningSpan(start="09:00", end="17:00")]
    store.put_calendar(TENANT, BusinessCalendar(id="berlin", name="Berlin office", timezone="Europe/Berlin",
                                                hours={day: office for day in ("mon", "tue", "wed", "thu", "fri")}))
    targets = PriorityTargets(first_response_minutes=60, next_response_minutes=60)
    store.put_policy(TENANT, SlaPolicy(id="office", name="Office hours", position=1, calendar_id="berlin",
                                       targets={p: targets for p in ("low", "normal", "high", "urgent")}))
    # Friday 19:00 in Berlin; in the past (the session token's issue time must not be in the future)
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=UTC))
    session = chat.start()
    chat.say(session, "I want to talk to a human")
    chat.say(session, "yes")
    done = chat.say(session, VISITOR)
    assert "ticket_created" in done["actions"]
    monday_ten = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    assert datetime.fromisoformat(done["answer_by"]) == monday_ten
    more = chat.say(session, "Also the invoice is missing.")
    assert more["handed_over"] is True
    assert datetime.fromisoformat(more["answer_by"]) == monday_ten


def test_the_ticket_a_hand_over_opens_names_the_pages_the_visitor_wrote_from(chat: ChatClient,
                                                                            invoke: Callable[..., Any]) -> None:
    """"They were on the pricing page": the widget sends the page with each message; the ticket keeps the addresses
    without query or fragment (a token, the visitor's address) for the team (`ai`, which customers never get)."""
    session = chat.start()
    pricing = {"url": "https://www.acme.example/pricing?email=visitor%40example.org&utm_source=ad#plans",
               "title": "  Pricing\n — Acme "}
    checkout = {"url": "https://www.acme.example/checkout", "title": "Checkout"}
    for text, page in (("How much is the team plan?", pricing), ("And yearly?", pricing),
                       ("I want to talk to a human", checkout)):
        assert chat.send_raw(session, {"text": text, "page": page})["statusCode"] == 200
    assert chat.say(session, "yes")["actions"] == ["ask_email"]  # (a message without a page: the pages stay)
    done = chat.say(session, VISITOR)
    ticket = bootstrap.container().ticket_service.get(AGENT, str(done["ticket"]["id"]))
    assert [(p.url, p.title) for p in ticket.ai.pages] == [("https://www.acme.example/pricing", "Pricing — Acme"),
                                                           ("https://www.acme.example/checkout", "Checkout")]
    as_agent = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket.id}",
                                                    claims_=claims("alex", TENANT, "agent")))
    assert as_agent["json"]["ai"]["pages"][0]["url"] == "https://www.acme.example/pricing"

    for bad in ({"url": "javascript:alert(1)"}, {"url": "ftp://files.example/x"}, {"url": "/pricing"},
                {"url": "https://www.acme.example/" + "a" * 2000}, {"url": "https://x.example", "title": "t" * 301},
                {"url": "https://x.example", "extra": 1}):
        refused = chat.send_raw(session, {"text": "hello", "page": bad})
        assert refused["statusCode"] == 422, bad
