"""The team's mails to a customer in the language their profile sets (`/customers/{key}/profile`), through the real
email_ingest and email_send handlers on moto: the receipt, the reply's quoted line and the rating mail follow it where
otherwise each follows the words of the ticket; a language the mails are not written in (nl) leaves them to the
ticket's words, and so does a profile that cannot be read."""

import re
from typing import Any

import pytest

from helpdesk import bootstrap
from helpdesk.kernel.i18n import phrase
from helpdesk.kernel.principal import system_principal
from helpdesk.mail.local import plain_text
from helpdesk.tickets.model import Status
from helpdesk.tickets.service import UpdateTicket
from tests.conftest import claims, http_event, rebuild
from tests.iam_calls import Call, denied

AGENT = claims("a1", "acme", "agent")
DANA = "/customers/email%3Adana%40customer.example/profile"
ENGLISH = "Hello, since this morning the printer in our office prints only blank pages. What can we do?\n"


def set_language(invoke: Any, language: str | None) -> None:
    changed = invoke("directory_api", http_event("PATCH", DANA, claims_=AGENT, body={"language": language}))
    assert changed["statusCode"] == 200, changed["json"]


def receipts(mail: Any) -> list[str]:
    return [plain_text(m).replace("\r\n", "\n") for m in mail.sent() if "Auto-Submitted" in m]


def test_the_receipt_and_the_reply_follow_the_language_the_profile_sets(mail: Any, invoke: Any,
                                                                        recorded: list[Call]) -> None:
    set_language(invoke, "de")
    recorded.clear()
    created = mail.deliver(mail.compose(subject="Printer prints blank pages", body=ENGLISH,
                                        message_id="en1@customer.example"), "ses-en1")
    [receipt] = receipts(mail)
    assert receipt.startswith(phrase("received", "de", number="T-000001")), receipt
    assert denied("EmailIngestFunction", recorded) == []

    agent = system_principal("acme", "system")
    bootstrap.container().ticket_service.add_message(agent, created["ticket_id"], "Bitte prüfen Sie den Toner.",
                                                     public=True, as_customer=False)
    recorded.clear()
    assert mail.stream() == {"batchItemFailures": []}
    [reply] = [plain_text(m).replace("\r\n", "\n") for m in mail.sent() if "Auto-Submitted" not in m]
    assert re.search(r"^Am \d\d\.\d\d\.\d{4} um \d\d:\d\d UTC schrieb Dana Example:$", reply, re.MULTILINE), reply
    # (the Scan is the test's own stream, reading the events appended)
    assert [c for c in denied("EmailSendFunction", recorded) if c.action != "Scan"] == []

    set_language(invoke, None)  # cleared: the mails follow the ticket's words again
    mail.deliver(mail.compose(subject="Printer again", body=ENGLISH, message_id="en2@customer.example"), "ses-en2")
    assert receipts(mail)[-1].startswith(phrase("received", "en", number="T-000002"))


@pytest.mark.parametrize("language", ["nl", "pt-BR"])
def test_a_language_the_mails_are_not_written_in_leaves_them_to_the_ticket(mail: Any, invoke: Any,
                                                                          language: str) -> None:
    set_language(invoke, language)
    mail.deliver(mail.compose(subject="Printer prints blank pages", body=ENGLISH), "ses-en")
    expected = "pt" if language == "pt-BR" else "en"  # Brazilian Portuguese is written as Portuguese
    assert receipts(mail)[-1].startswith(phrase("received", expected, number="T-000001"))


def test_the_rating_mail_and_its_page_follow_the_profile(mail: Any, invoke: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_REPORTS_CSAT_SECRET", "test-csat-secret-of-32-characters!")  # rating links
    rebuild()
    set_language(invoke, "fr")
    created = mail.deliver(mail.compose(subject="Printer prints blank pages", body=ENGLISH), "ses-en")
    bootstrap.container().ticket_service.update(system_principal("acme", "system"), created["ticket_id"],
                                                UpdateTicket(status=Status.RESOLVED))
    assert mail.stream() == {"batchItemFailures": []}
    [rating] = [plain_text(m) for m in mail.sent() if "rating=good" in plain_text(m)]
    assert "lang=fr" in rating
    assert rating.startswith(phrase("rate_us", "fr", number="T-000001", subject="", good="", bad="")[:20])


def test_a_profile_that_cannot_be_read_leaves_the_mail_to_the_ticket(mail: Any, invoke: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    set_language(invoke, "de")

    def unreadable(*_: Any) -> None:
        raise RuntimeError("throttled")

    monkeypatch.setattr(type(bootstrap.container().customer_profile_store), "get", unreadable)
    assert mail.deliver(mail.compose(subject="Printer prints blank pages", body=ENGLISH), "ses-en")["status"] == \
        "created"
    assert receipts(mail)[-1].startswith(phrase("received", "en", number="T-000001"))
