"""A customer's mail forwarded by an agent, as the common mail clients write a forward (in several languages): the
original sender, subject and text are read out of it; a mail that merely mentions "From:" is no forward."""

import pytest

from helpdesk.mail.forwarded import forwarded_mail, looks_forwarded

GMAIL = ("Fwd: Printer jammed", "Can you take this one?\n\n---------- Forwarded message ---------\n"
         "From: Dana Example <dana@Customer.Example>\nDate: Mon, 30 Nov 2026 at 10:00\nSubject: Printer jammed\n"
         "To: Alice <alice@acme.example>\n\nThe printer on floor 3 jams.\nThanks, Dana\n")
OUTLOOK = ("FW: Printer jammed", "Please handle.\n\n________________________________\n"
           "From: Dana Example <dana@customer.example>\nSent: Monday, November 30, 2026 10:00 AM\n"
           "To: Alice <alice@acme.example>;\n Bob <bob@acme.example>\nSubject: Printer jammed\n\n"
           "The printer on floor 3 jams.\n")
OUTLOOK_MAILTO = ("FW: Printer jammed", "Please handle.\n\nFrom: Dana Example [mailto:dana@customer.example]\n"
                  "Sent: Monday, November 30, 2026 10:00 AM\nTo: Alice\nSubject: Printer jammed\n\nThe printer jams.\n")
APPLE = ("Fwd: Printer jammed", "\n\nBegin forwarded message:\n\nFrom: Dana Example <dana@customer.example>\n"
         "Subject: Printer jammed\nDate: 30 November 2026 at 10:00:00 CET\nTo: Alice <alice@acme.example>\n\n"
         "The printer on floor 3 jams.\n")
GERMAN = ("WG: Drucker", "Bitte übernehmen.\n\nVon: Dana Beispiel <dana@kunde.example>\n"
          "Gesendet: Montag, 30. November 2026 10:00\nAn: Alice <alice@acme.example>\nBetreff: Drucker\n\n"
          "Der Drucker klemmt.\n")
FRENCH = ("TR: Imprimante", "Merci de traiter.\n\n-------- Message transféré --------\nSujet : Imprimante\n"
          "De : Dana <dana@client.example>\nDate : lun. 30 nov. 2026\nÀ : support\n\nL'imprimante bloque.\n")


@pytest.mark.parametrize(("mail", "sender", "name", "subject", "body", "note"), [
    (GMAIL, "dana@customer.example", "Dana Example", "Printer jammed", "The printer on floor 3 jams.\nThanks, Dana",
     "Can you take this one?"),
    (OUTLOOK, "dana@customer.example", "Dana Example", "Printer jammed", "The printer on floor 3 jams.",
     "Please handle."),
    (OUTLOOK_MAILTO, "dana@customer.example", "Dana Example", "Printer jammed", "The printer jams.", "Please handle."),
    (APPLE, "dana@customer.example", "Dana Example", "Printer jammed", "The printer on floor 3 jams.", ""),
    (GERMAN, "dana@kunde.example", "Dana Beispiel", "Drucker", "Der Drucker klemmt.", "Bitte übernehmen."),
    (FRENCH, "dana@client.example", "Dana", "Imprimante", "L'imprimante bloque.", "Merci de traiter."),
])
def test_the_forwarded_message_is_read_out_of_each_clients_forward(
        mail: tuple[str, str], sender: str, name: str, subject: str, body: str, note: str) -> None:
    assert looks_forwarded(*mail)
    found = forwarded_mail(*mail)
    assert found is not None
    assert (found.sender.email, found.sender.name, found.subject, found.body, found.note) == (
        sender, name, subject, body, note)


@pytest.mark.parametrize("mail", [
    ("Printer", "The printer jams.\nFrom: me, Dana\nThanks"),
    ("Question", "Hi,\nFrom: the billing team we heard nothing.\nSent: yesterday\nSubject: none\n"),  # no forward
    ("Fwd: x", "---------- Forwarded message ---------\nFrom: somebody without an address\n\ntext"),
    ("Fwd: x", "---------- Forwarded message ---------\n\n" + "x" * 5000),
])
def test_a_mail_that_is_no_readable_forward_is_none(mail: tuple[str, str]) -> None:
    assert forwarded_mail(*mail) is None


def test_hostile_text_is_read_in_bounded_lines() -> None:
    """Long lines and many lines are skipped or cut short, never fed whole to a pattern (bench/forward_parsing.py
    times the worst cases against the packaged parser)."""
    assert forwarded_mail("Fwd: x", "From: " + "a" * 200_000) is None
    assert forwarded_mail("Fwd: x", " \n" * 100_000) is None
    late = "\n" * 500 + GMAIL[1]  # past the lines a forward's header is looked for in
    assert forwarded_mail(GMAIL[0], late) is None


def test_one_attached_mail_is_a_forward_and_two_are_not() -> None:
    from email.message import EmailMessage

    from helpdesk.mail.forwarded import attached_forward
    from helpdesk.mail.parser import parse_message

    def customer_mail(sender: str) -> EmailMessage:
        inner = EmailMessage()
        inner["From"], inner["Subject"] = sender, "Invoice twice"
        inner.set_content("Charged twice.\n")
        return inner

    outer = EmailMessage()
    outer["From"], outer["Subject"] = "jana@acme.example", "FW: Invoice twice"
    outer.set_content("Please take it.\n")
    outer.add_attachment(customer_mail("Karl <karl@kunde.example>"))
    found = attached_forward(parse_message(outer.as_bytes()), parse_message)
    assert found is not None
    assert (found.sender.email, found.subject, found.body, found.note) == (
        "karl@kunde.example", "Invoice twice", "Charged twice.", "Please take it.")
    outer.add_attachment(customer_mail("Ida <ida@kunde.example>"))
    assert attached_forward(parse_message(outer.as_bytes()), parse_message) is None  # whose request would it be?
