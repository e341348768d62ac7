"""The receipt of a new mail ticket in the team's own words: admins write it per language through the real
mail_admin handler (placeholders checked when saved), and the email_ingest handler sends it in the customer's
language, English where the team wrote none, the built-in text where it wrote nothing; the line on how to add to
the ticket and the signature always follow."""

from collections.abc import Callable
from typing import Any

from helpdesk.kernel.i18n import phrase
from helpdesk.mail.local import plain_text
from tests.conftest import claims, http_event

ADMIN = claims("root", "acme", "admin")
RECEIPTS = {"en": "Hi {name}, thanks for writing to Acme! Ticket {number} ({subject}) is with us; we answer "
                  "within a working day. Urgent? Call {{0800 123}}.",
            "de": "Hallo {name}, danke! Ihr Ticket {number} ist bei uns."}


def put(invoke: Callable[..., dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    return invoke("mail_admin", http_event("PUT", "/mail/settings", claims_=ADMIN, body=body))


def test_the_team_writes_the_receipt(mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:
    saved = put(invoke, {"receipts": {**RECEIPTS, "fr": "   "}})
    assert saved["statusCode"] == 200, saved["json"]
    assert saved["json"]["receipts"] == RECEIPTS  # trimmed; an emptied language is gone

    mail.deliver(mail.compose(subject="Rechnung doppelt abgebucht", sender="Dana Müller <dana@customer.example>",
                              body="Guten Tag, uns wurde die Rechnung für November zweimal abgebucht.\n"), "ses-de")
    mail.deliver(mail.compose(subject="No puedo iniciar sesión", message_id="es@customer.example",
                              body="Hola, desde ayer no puedo entrar en mi cuenta aunque la contraseña es correcta.\n"),
                 "ses-es")
    german, spanish = (plain_text(ack).replace("\r\n", "\n") for ack in mail.sent())
    assert german.startswith("Hallo Dana Müller, danke! Ihr Ticket T-000001 ist bei uns.\n"
                             + phrase("reply_to_add", "de", tag=mail.tag(1)))  # how to add to it: always there
    assert german.endswith("-- \nSupport\n")
    # no Spanish text: the team's English one, then the line on adding to the ticket in Spanish
    assert spanish.startswith("Hi Dana Example, thanks for writing to Acme! Ticket T-000002 (No puedo "
                              "iniciar sesión) is with us; we answer within a working day. Urgent? Call {0800 123}.\n"
                              + phrase("reply_to_add", "es", tag=mail.tag(2)))


def test_placeholders_other_than_the_ticket_s_are_refused(mail: Any, invoke: Callable[..., dict[str, Any]]) -> None:
    for text in ("Ticket {number.__class__}", "Ticket {ticket}", "Ticket {number:>20}", "Ticket {number!r}",
                 "Unclosed {number", "x" * 2001):
        refused = put(invoke, {"receipts": {"en": text}})
        assert refused["statusCode"] == 422, (text, refused["json"])
        assert refused["json"]["error"]["code"] == "validation_error"
    assert put(invoke, {"receipts": {"xx": "Ticket {number}"}})["statusCode"] == 422  # a language we write in
    assert put(invoke, {"receipts": {}})["statusCode"] == 200  # back to the built-in text

    mail.deliver(mail.compose(), "ses-built-in")
    [ack] = mail.sent()
    assert plain_text(ack).startswith("We received your request and opened ticket T-000001.")
