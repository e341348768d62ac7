"""Triage sentiment on support mail in five languages, beside the previous VADER-only scoring, in one run.

    python bench/sentiment.py

The labelled rows below were written for this project (support mails as customers write them: courteous
complaints, calm urgent reports, angry ones, questions, praise; English, German, Spanish, French,
Portuguese), labelled before the scores were looked at, and are not the unit tests' sentences. They are ours,
not a public set: the figure says the lexicons do what they were written for, not how they do on the world.
Printed: band accuracy and "polarity accuracy" (negative / neutral / positive, the two negative and the two
positive bands merged) per language, for `helpdesk.triage.sentiment` and for VADER's compound alone.
"""

from collections import defaultdict

ROWS: list[tuple[str, str, str]] = [
    ("en", "My card was billed twice for the annual plan. Could you refund one charge? Thank you", "negative"),
    ("en", "Good morning, our whole team cannot log in since the update, this blocks our work. Kind regards",
     "negative"),
    ("en", "Could you tell me where I can change the billing address? Cheers", "neutral"),
    ("en", "I have asked three times now and nobody answers. This is ridiculous!", "very_negative"),
    ("en", "The new reports are brilliant, exactly what we needed. Great work!", "very_positive"),
    ("en", "Dear support, the webhook stopped working yesterday. Please have a look when you can. Best regards",
     "negative"),
    ("de", "Guten Tag, ich wurde für die Bestellung doppelt berechnet. Mit freundlichen Grüßen", "negative"),
    ("de", "Liebes Team, seit heute früh geht nicht mehr der Export. Könnt ihr bitte schauen? Danke!", "negative"),
    ("de", "Wo finde ich meine Rechnungen? Viele Grüße", "neutral"),
    ("de", "Zum dritten Mal schreibe ich Ihnen, das ist unverschämt und ich bin wütend.", "very_negative"),
    ("de", "Super, das Problem ist gelöst und alles funktioniert wieder. Vielen Dank!", "very_positive"),
    ("de", "Die App ist abgestürzt und meine Daten sind verloren. Bitte um Hilfe.", "negative"),
    ("es", "Buenos días, me han hecho un doble cobro en la tarjeta. Saludos cordiales", "negative"),
    ("es", "Estimado equipo, la aplicación no funciona desde ayer. Gracias de antemano", "negative"),
    ("es", "¿Dónde puedo descargar mis facturas? Un saludo", "neutral"),
    ("es", "Es una vergüenza, llevo una semana sin respuesta y estoy harto.", "very_negative"),
    ("es", "Genial, el problema está resuelto, muy contento con el servicio.", "very_positive"),
    ("es", "No puedo entrar en mi cuenta, aparece un error. Por favor, ayuda.", "negative"),
    ("fr", "Bonjour, la facture a été facturé deux fois. Cordialement", "negative"),
    ("fr", "Bonjour, l'application ne marche pas depuis ce matin. Merci d'avance", "negative"),
    ("fr", "Où puis-je changer mon adresse e-mail ? Merci", "neutral"),
    ("fr", "C'est inadmissible, personne ne répond et je suis furieux !", "very_negative"),
    ("fr", "Parfait, tout fonctionne à nouveau, je suis ravi. Merci beaucoup !", "very_positive"),
    ("pt", "Olá, fui cobrado duas vezes este mês. Obrigado", "negative"),
    ("pt", "Bom dia, o sistema está fora do ar e não consigo trabalhar. Atenciosamente", "negative"),
    ("pt", "Como altero a minha senha? Obrigada", "neutral"),
    ("pt", "Isso é inaceitável, pela terceira vez ninguém responde!", "very_negative"),
    ("pt", "Excelente, o problema foi resolvido e estou muito feliz. Muito obrigado!", "very_positive"),
]


def _polarity(label: str) -> str:
    return label.split("_")[-1] if label != "neutral" else label


def vader_only(text: str) -> str:
    """The scoring before: VADER's compound on the whole text, in the same five bands."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

    compound = float(SentimentIntensityAnalyzer().polarity_scores(text)["compound"])
    for edge, label in ((-0.6, "very_negative"), (-0.2, "negative")):
        if compound <= edge:
            return label
    return "neutral" if compound < 0.2 else "positive" if compound < 0.6 else "very_positive"


def main() -> None:
    from helpdesk.triage.sentiment import score

    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # (system, lang) -> bands, polarity, n
    for language, text, gold in ROWS:
        for system, label in (("support lexicons", score(text, language)[0]), ("vader only", vader_only(text))):
            for key in ((system, language), (system, "all")):
                counts[key][0] += label == gold
                counts[key][1] += _polarity(label) == _polarity(gold)
                counts[key][2] += 1
    print(f"{'system':18} {'lang':5} {'rows':>4} {'band acc':>9} {'polarity acc':>13}")
    for (system, language), (bands, polarity, n) in sorted(counts.items()):
        print(f"{system:18} {language:5} {n:4d} {bands / n:9.2f} {polarity / n:13.2f}")


if __name__ == "__main__":
    main()
