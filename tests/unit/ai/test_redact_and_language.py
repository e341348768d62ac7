"""Redaction before anything leaves a ticket; names and languages in what the offline writers compose."""

import pytest

from helpdesk.kernel.i18n import detect, given_name, greeting, phrase
from helpdesk.kernel.redact import redact
from helpdesk.triage import signals


@pytest.mark.parametrize(("text", "gone", "label"), [
    ("mail me at jana.mueller@example.de", "jana.mueller@example.de", "[email]"),
    ("call +49 30 1234567 tomorrow", "1234567", "[phone]"),
    ("or (555) 123-4567", "123-4567", "[phone]"),
    ("card 4111 1111 1111 1111 was charged twice", "4111", "[card number]"),
    ("Amex 3782 822463 10005 exp 12 27", "822463", "[card number]"),  # as Amex groups it, its expiry after it
    ("use sk-live-abcdefghijklmnop1234 for the API", "sk-live", "[secret]"),
    ("AWS AKIAIOSFODNN7EXAMPLE", "AKIA", "[secret]"),
    ("password: hunter22", "hunter22", "[secret]"),
    ("Authorization: Bearer abcdef1234567890abcdef", "abcdef1234567890", "[secret]"),
    ("IBAN DE89 3704 0044 0532 0130 00", "3704", "[iban]"),
])
def test_secrets_and_personal_data_are_replaced_by_their_label(text: str, gone: str, label: str) -> None:
    out = redact(text)
    assert gone not in out
    assert label in out


@pytest.mark.parametrize("text", [
    "Order 123456789012 arrived on 2024-05-01.",  # an order number (fails Luhn) and a date
    "Version 2.3.1 fixed error 0x80070005 in 3 steps.",
    "Ticket T-000123 costs 19.99 EUR.",
])
def test_ordinary_numbers_survive(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(("name", "first"), [
    ("Müller, Jana", "Jana"), ("Jana Müller", "Jana"), ("  jana  ", "jana"), ("\"Dana\" <d@x.com>", "Dana"),
    ("dana@example.com", None), ("", None), (None, None), ("Müller,", "Müller"),
])
def test_greeting_uses_the_given_name(name: str | None, first: str | None) -> None:
    assert given_name(name) == first


def test_greeting_never_doubles_punctuation() -> None:
    assert greeting("Müller, Jana") == "Hello Jana,"
    assert greeting("Müller, Jana", "de") == "Hallo Jana,"
    assert greeting(None, "es") == "Hola,"


@pytest.mark.parametrize(("text", "language"), [
    ("Ich habe mein Passwort vergessen, wie kann ich es zurücksetzen?", "de"),
    ("¿Cómo restablezco mi contraseña?", "es"), ("Comment télécharger une facture ?", "fr"),
    ("Como cancelo a minha assinatura?", "pt"), ("How do I reset my password?", "en"), ("hi", "en"),
])
def test_the_customer_language_is_detected(text: str, language: str) -> None:
    assert detect(text) == language


def test_phrases_fall_back_to_english() -> None:
    assert phrase("regards", "ja") == "Best regards"
    assert "Artikel" in phrase("answer_in", "de", title="X")


def test_summary_is_short_names_problem_tried_and_ask_and_drops_repeats() -> None:
    body = ("Hello,\n" + "I was charged twice for my order 1234 last week. " * 4
            + "I already contacted my bank and they said both charges come from you. "
              "My card statement shows two payments of 49.99 on the same day. "
              "The invoice page only lists one of them. "
              "Could you please refund the duplicate payment? Thanks, Jana")
    s = signals.summarize("Charged twice", body)
    assert len(s.value.split()) <= 40
    assert s.value.count("charged twice") == 1
    assert "I was charged twice" in s.value  # the problem
    assert "already contacted my bank" in s.value  # what was tried
    assert "refund the duplicate payment?" in s.value  # what is asked
    assert "Hello" not in s.value
    assert "Thanks" not in s.value


def test_summary_of_a_long_thread_stays_bounded() -> None:
    body = " ".join(f"Line {i} says the export to CSV fails with error E{i} on the reports page." for i in range(300))
    s = signals.summarize("Export fails", body)
    assert len(s.value.split()) <= 41  # 40 words and the ellipsis
    assert len(s.value) <= 400
