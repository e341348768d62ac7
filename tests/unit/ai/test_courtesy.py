"""What the chat reads of a message: `kernel.courtesy.without_courtesy` takes greetings, thanks and sign-offs (and
the name after them) out, keeps what is asked, and leaves a message of nothing but courtesy as it is; and
`only_thanks`, which keeps a solved ticket solved, errs on "more than thanks"."""

import pytest

from helpdesk.assistant.answerability import asked
from helpdesk.kernel.courtesy import courtesy_language, only_thanks, without_courtesy
from helpdesk.kernel.i18n import identify


@pytest.mark.parametrize(("message", "question"), [
    ("Hi, how do I reset my password?", "how do I reset my password?"),
    ("Hi Maria, how do I reset my password?", "how do I reset my password?"),
    ("Hi team, I cannot log in since this morning.", "I cannot log in since this morning."),
    ("Hi, all my projects are gone", "all my projects are gone"),
    ("Hello there, I hope you are doing well. How do I export? Thanks in advance, Maria", "How do I export?"),
    ("how do i find the area of a circle thanks in advance, Maria", "how do i find the area of a circle"),
    ("Good morning! Can I pay by invoice? Cheers", "Can I pay by invoice?"),
    ("Can you please tell me how to reset my password?", "Can you tell me how to reset my password?"),
    ("Our export fails since Monday.\nWhat can I do?\n\nKind regards,\nJana Müller",
     "Our export fails since Monday. What can I do?"),
    ("How do I export? Thanks, Élodie Durand", "How do I export?"),
    # Only a capitalised name goes with a formula: the words after "please help" here are the question.
    ("I forgot my password, please help me reset it", "I forgot my password, me reset it"),
])
def test_greetings_thanks_and_sign_offs_are_taken_out(message: str, question: str) -> None:
    assert without_courtesy(message) == question


@pytest.mark.parametrize("message", ["Thanks!", "Hello", "Pricing?", "invoice"])
def test_a_message_of_courtesy_alone_or_one_word_is_kept(message: str) -> None:
    assert without_courtesy(message) == message


def test_the_customers_language_decides_which_formulae_go() -> None:
    message = "Hallo, wie setze ich mein Passwort zurück? Vielen Dank im Voraus"
    assert without_courtesy(message, "de") == "wie setze ich mein Passwort zurück?"
    assert asked(message) == "wie setze ich mein Passwort zurück?"
    assert asked("¡Hola! ¿Cómo elimino mi cuenta? Muchas gracias") == "¿Cómo elimino mi cuenta?"


@pytest.mark.parametrize(("message", "language"), [
    ("Danke!", "de"), ("Hola", "es"), ("Merci beaucoup !", "fr"), ("Olá!", "pt"), ("Thanks a lot", "en"),
    ("Tschüss", "de"), ("Au revoir", "fr"),
    # Formulae of two languages, or words that are none: too little to tell.
    ("por favor", None), ("ok", None), ("Danke, das Passwort geht wieder", None),
])
def test_a_message_of_one_languages_formulae_tells_its_language(message: str, language: str | None) -> None:
    assert courtesy_language(message) == language


@pytest.mark.parametrize(("message", "language"), [
    ("Wie setze ich mein Passwort zurück?", "de"), ("Gracias, eso me ayudó", "es"), ("that works", "en"),
    # One word, or two the identifier is not sure of, are no language: the conversation keeps its own.
    ("ja", None), ("oui merci", None), ("yes do it", None),
])
def test_the_language_identifier_says_when_it_is_unsure(message: str, language: str | None) -> None:
    assert identify(message) == language


@pytest.mark.parametrize("text", [
    "Thanks!", "Thank you so much, that fixed it!", "Vielen Dank für die Hilfe", "👍", "👍🏽🙏", "ok thanks",
    "Thanks a lot,\nMaria", "Great, thanks. Cheers,\n\nTom Baker", "Merci beaucoup, ça marche !",
    "Muchas gracias, ya funciona", "Muito obrigado, funcionou", "Much appreciated!",
    "You\u2019re the best, thanks so much!", "Thanks again 😊",  # a phone's apostrophe
])
def test_a_message_that_only_thanks(text: str) -> None:
    assert only_thanks(text)


@pytest.mark.parametrize("text", [
    "Thanks, but it still fails", "Thanks. Can you also check my invoice?", "thanks for nothing", "thanks 🙄",
    "Thank you, I want to cancel my subscription", "Thanks! Also, the export is empty", "😡", "???", "ok",
    "Thanks, the invoice is wrong again", "Danke, aber es geht immer noch nicht", "Gracias, pero sigue sin funcionar",
    "Perfect", "Hi, thanks for the reply. " + "The sync still breaks every night at 2am. " * 10,
    "Thanks, Not Fixed", "Thanks, NOT FIXED", "No thanks", "Thanks\nStill Broken", "Thanks\nNOT FIXED",
    "Thanks, Maria",  # a name inline the ticket does not know is not told from a shouted word: the safe side
])
def test_more_than_thanks(text: str) -> None:
    assert not only_thanks(text)


@pytest.mark.parametrize(("text", "thanks"), [
    ("Thanks, Maria", True), ("thanks maria!", True), ("Thank you Maria Lopez, that fixed it\n\nDana", True),
    ("Thanks Maria, but it still fails", False), ("Thanks, Paul", False), ("Maria", False),
    ("Thanks, Noel", True), ("Thanks, Not", False),  # a name's word that says it is not over is never taken out
])
def test_the_names_of_the_tickets_people_may_stand_anywhere(text: str, thanks: bool) -> None:
    assert only_thanks(text, lambda: ["Maria Lopez", "Dana Example", "Noel Not"]) is thanks


def test_the_names_are_read_only_when_the_thanks_alone_do_not_decide() -> None:
    asked: list[str] = []

    def names() -> list[str]:
        asked.append("read")
        return ["Maria Lopez"]

    assert only_thanks("Thanks!", names)
    assert asked == []
    assert not only_thanks("The export is broken again.", names)
    assert asked == []
    assert only_thanks("Thanks, Maria!", names)
    assert asked == ["read"]
