"""The chat's own sentences exist in every language it speaks, with the same blanks to fill."""

import string

from helpdesk.assistant import sentences
from helpdesk.kernel.i18n import SUPPORTED


def _blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_sentence_is_written_in_every_language_with_the_same_blanks() -> None:
    for key, texts in sentences._SENTENCES.items():
        assert set(texts) == set(SUPPORTED), key
        assert all(_blanks(texts[language]) == _blanks(texts["en"]) for language in SUPPORTED), key
    for status, names in sentences._STATUSES.items():
        assert set(names) == set(SUPPORTED), status


def test_a_language_without_sentences_gets_english() -> None:
    assert sentences.say("which_ticket", "it") == sentences.say("which_ticket", "en")
    assert sentences.say("ticket_not_found", "de", number="T-000007").startswith("Ich finde kein Ticket T-000007")
    assert sentences.status_name("on_hold", "de") == "on_hold"  # a status it has no name for reads as stored
