"""Sentiment of support mail in five languages: courtesy is no praise, a calm problem is no outburst."""

import pytest

from helpdesk.triage import signals

CASES = [
    # the reported cases: thanks under a complaint, a polite urgent mail
    ("en", "I was charged twice for my order this month… Thanks", "negative"),
    ("en", "Hello, sorry to bother you, but our production system is down and we urgently need help. "
           "Thank you very much for your quick support!", "negative"),
    ("en", "Hi, how do I export my invoices as CSV? Thanks!", "neutral"),
    ("en", "Thank you for the quick fix, great job!", "very_positive"),
    ("en", "This is the third time I write. Your service is terrible and I am furious. Unacceptable!", "very_negative"),
    ("de", "Mir wurde zweimal abgebucht. Danke", "negative"),
    ("de", "Hallo, unser Server ist ausgefallen und der Login funktioniert nicht. Bitte helfen Sie uns dringend. "
           "Vielen Dank!", "negative"),
    ("de", "Hallo, wie ändere ich mein Passwort? Danke", "neutral"),
    ("de", "Das ist eine Frechheit, ich bin sehr verärgert!", "very_negative"),
    ("de", "Vielen Dank, die neue Version funktioniert wieder und ist super schnell.", "very_positive"),
    ("es", "Me cobraron dos veces. Gracias", "negative"),
    ("es", "Hola, el sistema no funciona y necesitamos ayuda urgente, por favor. Muchas gracias", "negative"),
    ("es", "Hola, ¿cómo cambio mi contraseña? Gracias", "neutral"),
    ("es", "Estoy muy enfadado, es inaceptable", "very_negative"),
    ("es", "Muchas gracias, todo funciona de nuevo, excelente servicio.", "very_positive"),
    ("fr", "Bonjour, le paiement a été débité deux fois. Merci de corriger.", "negative"),
    ("pt", "Olá, o aplicativo não funciona desde ontem. Obrigado", "negative"),
]


@pytest.mark.parametrize(("language", "text", "label"), CASES)
def test_sentiment_of_support_mail(language: str, text: str, label: str) -> None:
    assert signals.sentiment(text, language).value == label


def test_courtesy_and_calm_problems_are_explained() -> None:
    calm = signals.sentiment("Our checkout is down, customers cannot pay, orders are lost, everything fails, "
                             "the worst possible error.", "en")
    assert calm.value == "very_negative"  # "worst" is frustration
    told_calmly = signals.sentiment("Der Server ist ausgefallen, der Login funktioniert nicht, die Daten sind "
                                    "verloren und alles ist kaputt.", "de")
    assert told_calmly.value == "negative"
    assert "calmly" in told_calmly.detail["reason"]
    thanked = signals.sentiment("Me cobraron dos veces. Gracias", "es")
    assert thanked.detail["courtesy_ignored"] == ["gracias"]
    assert thanked.method == "lexicon:support-es"
    assert signals.sentiment("No es un problema, todo bien.", "es").value == "positive"  # negation flips
