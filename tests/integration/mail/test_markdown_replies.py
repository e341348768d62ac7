"""Replies written in Markdown (`format: "markdown"` on `POST /tickets/{id}/messages`, what the console sends): the
customer's mail shows the formatting in its HTML part and the Markdown as written in its text part, the queue's
latest line has no marks, a live chat gets the reply as text, and nothing else is ever read as markup (all through
the real ticket_commands and email_send handlers on moto)."""

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from helpdesk import bootstrap
from helpdesk.kernel.principal import Principal, Role
from helpdesk.mail.local import plain_text
from tests.conftest import claims, http_event
from tests.integration.mail.conftest import mail  # noqa: F401 (the fixture)

ADMIN = Principal(user_id="root", tenant_id="acme", role=Role.ADMIN)
AGENT = claims("alex", "acme", "agent", email="alex@acme.example")
CUSTOMER = claims("email:dana@customer.example", "acme", "customer", email="dana@customer.example")
REPLY = ("Hello Dana,\nplease try this:\n\n1. Open **Settings**\n2. Choose *Printers* and [the guide](https://help.acme"
         ".example/printers)\n\n- `tray 2` only\n- <b>not bold</b> ![pixel](https://tracker.example/p.gif)")


def _html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def _to_customer(world: Any) -> EmailMessage:
    sent: list[EmailMessage] = world.sent()
    [out] = [m for m in sent if "Auto-Submitted" not in m and "dana@customer.example" in str(m["To"])]
    return out


def test_a_markdown_reply_is_formatted_in_the_mail_and_written_as_is_in_its_text(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    ticket_id = mail.deliver(mail.compose(), "ses-1")["ticket_id"]
    posted = invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/messages",
                                                  body={"body": REPLY, "format": "markdown"}, claims_=AGENT))
    assert posted["statusCode"] == 201, posted["json"]
    assert posted["json"]["data"]["format"] == "markdown"
    assert mail.stream() == {"batchItemFailures": []}

    out = _to_customer(mail)
    assert plain_text(out).replace("\r\n", "\n").startswith(REPLY)  # the text part: the Markdown as written
    html = _html(out)
    assert "<ol " in html
    assert "<li>Open <strong>Settings</strong></li>" in html
    assert '<a href="https://help.acme.example/printers"' in html
    assert ">the guide</a>" in html
    assert "<code " in html
    assert ">tray 2</code>" in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html  # raw HTML is text
    assert "<img" not in html
    assert 'href="https://tracker.example/p.gif"' in html
    assert "Dana Example wrote:" in html  # the quote under it stays what it was
    assert "**" not in html

    # The customer sees the format on their event (the portal shows it); the queue's line has no marks.
    seen = invoke("ticket_commands", http_event("GET", f"/tickets/{ticket_id}/events", claims_=CUSTOMER))
    assert [e["data"].get("format") for e in seen["json"] if e["type"] == "public_message"] == ["markdown"]
    ticket = bootstrap.container().ticket_service.get(ADMIN, ticket_id)
    assert ticket.latest_message is not None
    assert ticket.latest_message.text.startswith("Hello Dana, please try this: Open Settings Choose Printers and "
                                                 "the guide (https://help.acme.example/printers)")


def test_text_stays_text_unless_the_writer_chose_markdown(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    ticket_id = mail.deliver(mail.compose(), "ses-1")["ticket_id"]
    sent = invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/messages",
                                                body={"body": "Use *.log files, not **temp**"}, claims_=AGENT))
    assert sent["statusCode"] == 201, sent["json"]
    assert "format" not in sent["json"]["data"]
    assert mail.stream() == {"batchItemFailures": []}
    html = _html(_to_customer(mail))
    assert "Use *.log files, not **temp**" in html
    assert "<strong>" not in html

    refused = invoke("ticket_commands", http_event("POST", f"/tickets/{ticket_id}/messages",
                                                   body={"body": "<b>hi</b>", "format": "html"}, claims_=AGENT))
    assert refused["statusCode"] == 422
    assert refused["json"]["error"]["code"] == "validation_error"


def test_a_markdown_note_mailed_to_a_supplier_is_formatted_too(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    ticket_id = mail.deliver(mail.compose(), "ses-1")["ticket_id"]
    posted = invoke("ticket_commands", http_event(
        "POST", f"/tickets/{ticket_id}/messages", claims_=AGENT,
        body={"body": "Do you have:\n\n- **tray 2** rollers\n- fusers", "public": False, "format": "markdown",
              "mail_to": ["orders@supplier.example"]}))
    assert posted["statusCode"] == 201, posted["json"]
    assert mail.stream() == {"batchItemFailures": []}
    [side] = [m for m in mail.sent() if "orders@supplier.example" in str(m["To"])]
    assert "<li><strong>tray 2</strong> rollers</li>" in _html(side)


def test_a_markdown_reply_to_a_problems_incidents_is_markdown_on_each(
        mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:  # noqa: F811
    incident = mail.deliver(mail.compose(), "ses-1")["ticket_id"]
    problem = invoke("ticket_commands", http_event("POST", "/tickets", claims_=AGENT, body={
        "subject": "Sync outage", "description": "Many report it.",
        "requester": {"name": "Alex Agent", "email": "alex@acme.example"}}))["json"]["id"]
    linked = invoke("ticket_commands", http_event("POST", f"/tickets/{problem}/links", claims_=AGENT,
                                                  body={"type": "child", "ticket_id": incident}))
    assert linked["statusCode"] == 200, linked["json"]
    sent = invoke("ticket_commands", http_event("POST", f"/tickets/{problem}/messages", claims_=AGENT, body={
        "body": "Hello {{ requester.first_name }},\n\nsync is **back**.", "format": "markdown", "children": True}))
    assert sent["statusCode"] == 201, sent["json"]
    assert [r["outcome"] for r in sent["json"]["children"]] == ["updated"]
    [child_reply] = [e for e in bootstrap.container().ticket_service.events(ADMIN, incident)
                     if e.type == "public_message"]
    assert (child_reply.data["body"], child_reply.data["format"]) == ("Hello Dana,\n\nsync is **back**.", "markdown")
    assert mail.stream() == {"batchItemFailures": []}
    assert "sync is <strong>back</strong>." in _html(_to_customer(mail))
