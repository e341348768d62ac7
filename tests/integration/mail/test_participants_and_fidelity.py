"""Cc'd people become participants, their replies thread in and replies copy them; a reply to a closed ticket
opens a linked follow-up; outbound mail carries the agent's files, Thread-Index and the quoted message."""

import base64
from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from helpdesk import bootstrap
from helpdesk.kernel.errors import Forbidden
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.mail.local import plain_text
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import UpdateTicket

ADMIN = system_principal("acme")
AGENT = Principal(user_id="alex", tenant_id="acme", role=Role.AGENT, name="Alex Agent")


def test_cc_becomes_a_participant_whose_reply_threads_and_who_is_copied(mail: Any) -> None:
    first = mail.compose(headers={"Cc": "Colleague <colleague@customer.example>, support@acme.example"})
    created = mail.deliver(first, "ses-1")
    ticket = bootstrap.container().ticket_service.get(ADMIN, created["ticket_id"])
    assert ticket.participants == ["dana@customer.example", "colleague@customer.example"]  # never our address

    reply = mail.compose(sender="colleague@customer.example", subject=f"Re: [{mail.tag(1)}] Printer jammed",
                         body="Same on floor 4.", message_id="c1@customer.example",
                         headers={"Cc": "boss@customer.example"})
    threaded = mail.deliver(reply, "ses-2")
    assert threaded["status"] == "appended"
    assert threaded["ticket_id"] == ticket.id
    ticket = bootstrap.container().ticket_service.get(ADMIN, ticket.id)
    assert "boss@customer.example" in ticket.participants

    bootstrap.container().ticket_service.add_message(AGENT, ticket.id, "A technician is on the way.", public=True)
    assert mail.stream() == {"batchItemFailures": []}
    [out] = [m for m in mail.sent() if "Auto-Submitted" not in m]
    assert out["To"] == "dana@customer.example"
    assert {a.addr_spec for a in out["Cc"].addresses} == {"colleague@customer.example", "boss@customer.example"}
    assert len(base64.b64decode(out["Thread-Index"])) == 27  # 22-byte header and one 5-byte reply block
    assert out["Thread-Topic"] == "Printer jammed"
    text = plain_text(out).replace("\r\n", "\n")
    assert text.startswith("A technician is on the way.")
    assert "colleague@customer.example wrote:\n> Same on floor 4." in text  # the previous public message, quoted


def test_reply_to_a_closed_ticket_opens_a_follow_up_that_links_to_it(mail: Any) -> None:
    first = mail.deliver(mail.compose(headers={"Cc": "colleague@customer.example"}), "ses-1")
    bootstrap.container().ticket_service.update(ADMIN, first["ticket_id"], UpdateTicket(status=Status.CLOSED))
    again = mail.deliver(mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", message_id="m9@customer.example"),
                         "ses-2")
    assert again["status"] == "created"
    follow_up = bootstrap.container().ticket_service.get(ADMIN, again["ticket_id"])
    assert [(link.type, link.ticket_id) for link in follow_up.links] == [("follow_up", first["ticket_id"])]
    assert "colleague@customer.example" in follow_up.participants


def test_agent_reply_carries_its_files(mail: Any) -> None:
    created = mail.deliver(mail.compose(), "ses-1")
    files = bootstrap.container().attachment_service
    grant = files.request_upload(AGENT, created["ticket_id"], "steps.pdf", "application/pdf", 9)
    boto3.client("s3").put_object(Bucket=mail.bucket, Key=grant.upload.fields["key"], Body=b"%PDF-1.4\n")
    files.post_message(AGENT, created["ticket_id"], "The steps are attached.", True, [grant.attachment_id])
    assert mail.stream() == {"batchItemFailures": []}
    [out] = [m for m in mail.sent() if "Auto-Submitted" not in m]
    [attached] = list(out.iter_attachments())
    assert attached.get_filename() == "steps.pdf"
    assert attached.get_content() == b"%PDF-1.4\n"


def test_agents_see_the_mails_html_with_inline_images(mail: Any) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = ("dana@customer.example", "support@acme.example",
                                                                 "Screenshot", "<html1@customer.example>")
    msg.set_content("See the screenshot.")
    msg.add_alternative('<p>See <img src="cid:shot1"> <script>steal()</script></p>', subtype="html")
    html_part = msg.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(b"\x89PNG\r\n\x1a\n0000", maintype="image", subtype="png", cid="<shot1>",
                          filename="shot.png")
    created = mail.deliver(msg.as_bytes(), "ses-html")
    [event] = bootstrap.container().ticket_service.events(ADMIN, created["ticket_id"])
    view = bootstrap.container().attachment_service.mail_html(AGENT, created["ticket_id"], event.seq)
    assert "cid:" not in view.html
    assert "script" not in view.html
    [image] = view.inline
    assert image.filename == "shot.png"
    assert image.url in view.html
    customer = Principal(user_id="email:dana@customer.example", tenant_id="acme", role=Role.CUSTOMER)
    with pytest.raises(Forbidden):
        bootstrap.container().attachment_service.mail_html(customer, created["ticket_id"], event.seq)
