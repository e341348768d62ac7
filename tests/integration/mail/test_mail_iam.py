"""The mail functions' DynamoDB calls, recorded while they run on moto, checked against their policies in
template.yaml (`tests/iam_calls.py`).

moto grants everything, so a missing permission only shows in AWS: email_send once lacked UpdateItem on
the Meta table, so a failed send could never release its claim and every reply after an SES hiccup
ended in the dead-letter queue. Here the same failed send is replayed and every call it makes must be
allowed by the template.
"""

import re
from email.message import EmailMessage
from typing import Any

import boto3

from helpdesk import bootstrap
from helpdesk.directory.model import NewUser
from helpdesk.kernel.principal import Principal, Role, system_principal
from helpdesk.mail.local import plain_text
from helpdesk.mail.ports import MailSettings
from tests.conftest import claims, http_event
from tests.iam_calls import Call, denied


def test_email_send_may_release_its_claim_after_a_failed_send(mail: Any, recorded: list[Call]) -> None:
    created = mail.deliver(mail.compose(), "ses-1")
    bootstrap.container().mail_records.put_settings("acme", MailSettings(support_address="help@unverified.example"))
    bootstrap.container().ticket_service.add_message(system_principal("acme", "system"), created["ticket_id"],
                                                     "Try this.", public=True, as_customer=False)
    recorded.clear()
    assert len(mail.stream()["batchItemFailures"]) == 1  # SES refuses the sender: the claim must be released
    assert any(c.action == "UpdateItem" and (c.key or "").startswith("MAILDELIVERY#OUT#") for c in recorded)
    boto3.client("ses").verify_email_identity(EmailAddress="help@unverified.example")
    assert mail.stream(redeliver=True) == {"batchItemFailures": []}
    # the test's stand-in for the stream reads the events table with Scan; the function never scans
    assert denied("EmailSendFunction", [c for c in recorded if c.action != "Scan"]) == []


def test_email_ingest_calls_are_all_granted(mail: Any, recorded: list[Call]) -> None:
    mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-1")
    mail.deliver(mail.compose(subject=f"Re: [{mail.tag(1)}] Printer jammed", message_id="m2@customer.example"),
                 "ses-2")
    mail.deliver(mail.compose(message_id="m3@customer.example", in_reply_to="m1@customer.example"), "ses-3",
                 verdicts={"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"})
    mail.deliver(mail.compose(message_id="m1@customer.example"), "ses-4")  # the same mail again
    mail.deliver(mail.compose(message_id="v@x.example"), "ses-virus", verdicts={"virus": "FAIL"})
    mail.deliver(mail.compose(message_id="u@x.example"), "ses-unknown", recipients=["nobody@other.example"])
    assert {c.key.split("#")[0] for c in recorded if c.key} >= {"MAILDELIVERY", "MAILCLAIM", "MAILMSG", "INBOUND"}
    assert denied("EmailIngestFunction", recorded) == []


def test_mail_admin_calls_are_all_granted(mail: Any, recorded: list[Call], invoke: Any) -> None:
    admin = claims("ada", "acme", "admin")
    bootstrap.container().mail_records.register_domain("acme.example", "acme")  # the operator's CLI
    recorded.clear()

    def call(method: str, path: str, body: Any = None) -> dict[str, Any]:
        response: dict[str, Any] = invoke("mail_admin", http_event(method, path, body=body, claims_=admin,
                                                                   template="mail_admin/put_inbound.json"))
        assert response["statusCode"] < 500, (path, response["json"])
        return response

    assert call("PUT", "/mail/inbound/help@partner.example")["statusCode"] == 202
    [code] = re.findall(r"verification code is (\d{8})", plain_text(mail.sent()[-1]))
    assert call("POST", "/mail/inbound/help@partner.example/verify",
                {"code": "00000000" if code != "00000000" else "11111111"})["statusCode"] == 400
    assert call("POST", "/mail/inbound/help@partner.example/verify", {"code": code})["statusCode"] == 200
    assert call("PUT", "/mail/inbound/x@acme.example")["statusCode"] == 200  # its domain is acme's
    assert call("PUT", "/mail/settings", {"support_address": "help@partner.example"})["statusCode"] == 200
    call("GET", "/mail/settings")
    call("GET", "/mail/quarantine")
    assert call("PUT", "/mail/settings", {"address_groups": {"x@acme.example": "billing"}})["statusCode"] == 422
    assert call("PUT", "/mail/inbound/later@partner.example")["statusCode"] == 202  # waiting for its code
    assert len(call("GET", "/mail/inbound")["json"]["items"]) == 5  # @acme.example, three addresses, one waiting
    assert call("DELETE", "/mail/inbound/x@acme.example")["statusCode"] == 204
    assert call("DELETE", "/mail/inbound/later@partner.example")["statusCode"] == 204
    assert {c.action for c in recorded} >= {"GetItem", "PutItem", "DeleteItem", "Query"}
    assert denied("MailAdminFunction", recorded) == []


def test_a_reply_carries_the_teams_colour_in_its_html(mail: Any, recorded: list[Call]) -> None:
    """The widget's accent (the team's colour, set with the AI settings) marks the reply's HTML: the band at its top
    and its links; the plain text is as always, and reading the colour is within email_send's grants."""
    from helpdesk.chat.widget import WidgetLook
    from helpdesk.triage.settings import TriageSettings

    created = mail.deliver(mail.compose(), "ses-1")
    c = bootstrap.container()
    c.triage_settings.put("acme", TriageSettings(widget=WidgetLook(accent_color="#0B6E4F")))
    c.ticket_service.add_message(system_principal("acme", "system"), created["ticket_id"],
                                 "See https://help.acme.example/kb/1 for the steps.", public=True, as_customer=False)
    recorded.clear()
    assert mail.stream() == {"batchItemFailures": []}
    assert denied("EmailSendFunction", [c for c in recorded if c.action != "Scan"]) == []
    reply = next(m for m in mail.sent() if "See https://help.acme.example/kb/1" in plain_text(m))
    html = reply.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "border-top:4px solid #0b6e4f" in content
    assert '<a href="https://help.acme.example/kb/1" style="color:#0b6e4f">' in content


def test_email_ingest_may_open_a_ticket_for_the_customer_a_teammate_wrote_to(mail: Any, recorded: list[Call]) -> None:
    """A teammate's mail to a customer with the support address copied (`MailIngest._written_by_agent`): the
    directory read, the ticket opened in the teammate's name and set pending are all within email_ingest's grants."""
    bootstrap.container().directory.create_user(Principal(user_id="root", tenant_id="acme", role=Role.ADMIN),
                                                NewUser(email="alice@acme.example", name="Alice", role=Role.AGENT))
    written = EmailMessage()
    written["From"], written["To"], written["Cc"] = "alice@acme.example", "bob@buyer.example", "support@acme.example"
    written["Subject"], written["Message-ID"] = "Your quote", "<alice-q@acme.example>"
    written.set_content("40 licences come to 4,800 EUR a year.\n")
    recorded.clear()
    result = mail.deliver(written.as_bytes(), "ses-quote", verdicts={"spf": "PASS", "dkim": "PASS", "dmarc": "PASS"})
    assert bootstrap.container().ticket_service.get(system_principal("acme"), result["ticket_id"]).status.value \
        == "pending"
    # a customer's mail copying the teammate and someone else: who is a teammate is asked of the directory
    copying = mail.compose(message_id="bob-c@buyer.example",
                           headers={"Cc": "alice@acme.example, carol@buyer.example"})
    copied = mail.deliver(copying, "ses-copying")
    assert bootstrap.container().ticket_service.get(system_principal("acme"), copied["ticket_id"]).participants == [
        "dana@customer.example", "carol@buyer.example"]
    assert denied("EmailIngestFunction", recorded) == []
