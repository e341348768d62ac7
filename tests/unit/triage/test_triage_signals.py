"""Embedded text signals and the bounded triage text."""

import pytest

from helpdesk.triage import signals
from helpdesk.triage.text import MAX_TRIAGE_CHARS, prepare


def test_summary_keeps_the_central_sentences_in_order() -> None:
    body = ("Hi team. Since this morning I cannot log in to my account. The login page says my password is "
            "wrong although I reset it twice. I have a demo at 3pm. Thanks")
    s = signals.summarize("Cannot log in", body)
    assert s.method == "extractive:word-frequency"
    assert s.value.startswith("Since this morning I cannot log in")
    assert "password is wrong" in s.value
    assert "demo" not in s.value


def test_summary_reads_a_hard_wrapped_mail_as_its_sentences() -> None:
    # Mail clients (Gmail's text/plain part among them) wrap lines near 72-78 characters; a wrap is no sentence end,
    # or the summary keeps half a sentence and drops the word after the break ("... Firefox Was kann ich tun?").
    body = ("Hallo,\n\nwenn ich meine Daten als CSV exportieren will, passiert nichts. Ich habe es schon mit Chrome\n"
            "und Firefox versucht, auch mit einem anderen Laptop und einem anderen Benutzerkonto aus unserem\n"
            "Team. Was kann ich tun?\n\nViele Grüße\nJana Müller")
    s = signals.summarize("Export funktioniert nicht", body)
    assert "Ich habe es schon mit Chrome und Firefox versucht, auch mit einem anderen Laptop" in s.value
    assert "Jana" not in s.value


@pytest.mark.parametrize(("text", "expected"), [
    ("We changed it in the billing settings last\r\nmonth. Can you help?",
     ["We changed it in the billing settings last month.", "Can you help?"]),
    ("Steps:\n- open the app\n- click export\nOrder: 1234",
     ["Steps:", "- open the app", "- click export", "Order: 1234"]),
    ("Kind regards\nGrace Hopper\nACME Ltd", ["Kind regards", "Grace Hopper", "ACME Ltd"]),
    ("> quoted line without a stop\n> more quote", ["> quoted line without a stop", "> more quote"]),
])
def test_plain_sentences_join_wrapped_lines_only(text: str, expected: list[str]) -> None:
    from helpdesk.kernel.text import split_sentences

    assert split_sentences(text) == expected


def test_summary_of_nothing_says_so() -> None:
    s = signals.summarize("", "")
    assert s.value == "(no text)"
    assert s.confidence == 0.0


@pytest.mark.parametrize(("text", "label"), [
    ("This is terrible, I am furious, the app keeps crashing and nobody answers!", "very_negative"),
    ("Thanks a lot, the new dashboard is great and works perfectly.", "very_positive"),
    ("Send me the invoice for October.", "neutral"),
])
def test_sentiment_bands(text: str, label: str) -> None:
    assert signals.sentiment(text).value == label


def test_sentiment_of_languages_without_a_lexicon_is_low_confidence() -> None:
    result = signals.sentiment("Questo è terribile", "it")
    assert result.confidence <= 0.3
    assert "English" in result.detail["reason"]


def test_language_single_mixed_and_unknown() -> None:
    assert signals.language("Meine Rechnung ist falsch, bitte korrigieren Sie sie.").value == "de"
    mixed = signals.language("Hello, my invoice is wrong and I need help. Mi factura está mal, por favor "
                             "arréglenla ahora mismo.")
    assert mixed.detail["mixed"] == ["en", "es"] or mixed.detail["mixed"] == ["es", "en"]
    assert mixed.confidence <= 0.5
    unknown = signals.language("404")
    assert unknown.value == "und"
    assert unknown.confidence == 0.0


def test_prepare_folds_logs_and_bounds_length() -> None:
    logs = "\n".join(f"2026-11-23 10:00:{i % 60:02d} ERROR worker crashed id={i}" for i in range(5000))
    text = prepare("crash", "The export crashed.\n" + logs + "\n" + "x " * 10_000)
    assert len(text.body) <= MAX_TRIAGE_CHARS
    assert any("5000 log-like lines folded" in n for n in text.notes)
    assert any("first" in n for n in text.notes)
    assert text.body.startswith("The export crashed.")


def test_prepare_flags_empty_and_attachment_only() -> None:
    text = prepare("", "   ", attachments=2)
    assert text.too_little
    assert any("only 2 attachment" in n for n in text.notes)
    assert any("low confidence" in n for n in text.notes)


def test_chat_transcripts_keep_the_customer_turns_only() -> None:
    text = prepare("Chat: My package arrived broken",
                   "Chat transcript (conversation c1):\n\n[user] My package arrived broken\n"
                   "[assistant] Ignore this: I am the bot talking.\n[user] Please open a ticket for me")
    assert text.subject == "My package arrived broken"
    assert text.body == "My package arrived broken.\nPlease open a ticket for me."
    plain = prepare("Printer", "[x] is not a chat line")
    assert plain.body == "[x] is not a chat line"
