"""Word lists of the support-mail sentiment (`triage/sentiment.py`), written for this project.

Per language (the courtesy formulae taken out before scoring are `kernel/courtesy.py`'s): valence entries on
VADER's -4..+4 scale for German, Spanish, French and Portuguese (words and short phrases, matched on word
boundaries, lower case; a trailing `*` matches any ending), negators and boosters, and the anger/frustration
markers without which a text is at most "negative": a problem told calmly ("our production system is down,
please help urgently") is not a furious customer.
"""

# Anger and frustration, any language: what makes a text "very negative" rather than a problem report.
ANGER: dict[str, tuple[str, ...]] = {
    "en": ("unacceptable", "ridiculous", "furious", "angry", "outraged", "outrageous", "disgusted", "disgusting",
           "terrible", "horrible", "awful", "worst", "pathetic", "useless", "scam", "fraud", "fed up", "sick of",
           "third time", "again and again", "nobody answers", "no one answers", "never again", "shameful",
           "incompetent", "joke", "lawyer", "cancel everything"),
    "de": ("frechheit", "unverschämt*", "inakzeptabel", "verärgert", "wütend", "sauer", "katastroph*", "skandal*",
           "schlechteste*", "unmöglich*", "betrug", "abzocke", "zum dritten mal", "schon wieder", "niemand antwortet",
           "reicht mir", "enttäuscht", "lächerlich", "anwalt", "nie wieder", "inkompetent"),
    "es": ("inaceptable", "vergüenza", "vergonzoso", "enfadado", "enfadada", "furioso", "furiosa", "harto", "harta",
           "indignante", "indignado", "indignada", "pésimo", "pésima", "horrible", "estafa", "fraude", "ridículo",
           "por tercera vez", "otra vez", "nadie responde", "nadie contesta", "abogado", "nunca más", "decepcionado",
           "decepcionada", "incompetentes", "lamentable"),
    "fr": ("inacceptable", "scandaleu*", "furieu*", "honte", "honteu*", "nul", "nulle", "arnaque", "escroquerie",
           "en colère", "ridicule", "lamentable", "pour la troisième fois", "encore une fois", "personne ne répond",
           "avocat", "plus jamais", "déçu", "déçue", "incompétents", "inadmissible", "exaspéré*"),
    "pt": ("inaceitável", "absurdo", "furioso", "furiosa", "irritado", "irritada", "vergonha", "vergonhoso",
           "péssimo", "péssima", "horrível", "ridículo", "golpe", "fraude", "pela terceira vez", "de novo",
           "ninguém responde", "advogado", "nunca mais", "decepcionado", "decepcionada", "lamentável", "revoltado"),
}

# Valence of words and phrases (VADER's scale) for the languages VADER does not know.
VALENCE: dict[str, dict[str, float]] = {
    "de": {
        "gut": 1.9, "sehr gut": 2.6, "super": 2.9, "toll": 2.8, "prima": 2.5, "perfekt": 3.0, "hervorragend": 3.2,
        "ausgezeichnet": 3.2, "zufrieden": 2.0, "begeistert": 3.0, "freue": 2.2, "froh": 2.1, "hilfreich": 1.9,
        "schnell": 1.0, "funktioniert wieder": 2.0, "klappt": 1.5, "gelöst": 1.8, "danke für die schnelle": 2.0,
        "schlecht": -2.5, "schrecklich": -3.0, "furchtbar": -3.0, "ärgerlich": -2.2, "problem": -1.2,
        "probleme": -1.2, "fehler": -1.4, "fehlermeldung": -1.2, "kaputt": -2.0, "defekt": -1.9, "ausgefallen": -1.8,
        "funktioniert nicht": -1.8, "geht nicht": -1.6, "klappt nicht": -1.6, "abgestürzt": -2.0, "stürzt ab": -2.0,
        "zweimal abgebucht": -2.0, "doppelt abgebucht": -2.0, "doppelt berechnet": -2.0, "falsch": -1.3,
        "verloren": -2.0, "gesperrt": -1.6, "dringend": -0.5, "leider": -1.0, "nervig": -2.0, "langsam": -1.2,
        "frechheit": -3.2, "unverschämt*": -3.2, "inakzeptabel": -3.0, "verärgert": -2.8, "wütend": -3.2,
        "sauer": -2.5, "katastroph*": -3.2, "enttäuscht": -2.4, "lächerlich": -2.6, "betrug": -3.0,
        "abzocke": -3.0,
    },
    "es": {
        "bien": 1.9, "muy bien": 2.6, "genial": 3.0, "excelente": 3.2, "perfecto": 3.0, "estupendo": 3.0,
        "fantástico": 3.2, "contento": 2.2, "contenta": 2.2, "satisfecho": 2.0, "satisfecha": 2.0, "útil": 1.8,
        "rápido": 1.0, "funciona de nuevo": 2.0, "resuelto": 1.8, "encantado": 2.8, "encantada": 2.8,
        "mal": -2.2, "malo": -2.4, "terrible": -3.0, "horrible": -3.0, "problema": -1.2, "problemas": -1.2,
        "error": -1.4, "errores": -1.4, "roto": -2.0, "no funciona": -1.8, "no puedo": -1.3, "caído": -1.8,
        "cobraron dos veces": -2.0, "cobrado dos veces": -2.0, "doble cobro": -2.0, "cobro doble": -2.0,
        "incorrecto": -1.3, "perdido": -1.8, "bloqueado": -1.6, "bloqueada": -1.6, "urgente": -0.5,
        "lamentablemente": -1.2, "desafortunadamente": -1.2, "lento": -1.2, "molesto": -2.2, "molesta": -2.2,
        "inaceptable": -3.0, "vergüenza": -2.8, "enfadado": -2.8, "enfadada": -2.8, "furioso": -3.2,
        "furiosa": -3.2, "harto": -2.8, "harta": -2.8, "indignante": -3.0, "pésimo": -3.2, "pésima": -3.2,
        "estafa": -3.2, "decepcionado": -2.4, "decepcionada": -2.4, "ridículo": -2.6, "lamentable": -2.6,
    },
    "fr": {
        "bien": 1.9, "très bien": 2.6, "super": 2.9, "génial": 3.0, "excellent": 3.2, "parfait": 3.0,
        "content": 2.2, "contente": 2.2, "satisfait": 2.0, "satisfaite": 2.0, "utile": 1.8, "rapide": 1.0,
        "fonctionne à nouveau": 2.0, "résolu": 1.8, "ravi": 2.8, "ravie": 2.8,
        "mauvais": -2.4, "terrible": -3.0, "horrible": -3.0, "problème": -1.2, "problèmes": -1.2, "erreur": -1.4,
        "cassé": -2.0, "en panne": -1.8, "ne fonctionne pas": -1.8, "ne marche pas": -1.8, "impossible": -1.4,
        "débité deux fois": -2.0, "prélevé deux fois": -2.0, "facturé deux fois": -2.0, "incorrect": -1.3,
        "perdu": -1.8, "bloqué": -1.6, "urgent": -0.5, "malheureusement": -1.2, "lent": -1.2, "agaçant": -2.2,
        "inacceptable": -3.0, "scandaleu*": -3.0, "furieu*": -3.2, "honte": -2.8, "nul": -2.6, "arnaque": -3.2,
        "déçu": -2.4, "déçue": -2.4, "ridicule": -2.6, "inadmissible": -3.0, "en colère": -2.8,
    },
    "pt": {
        "bem": 1.6, "muito bem": 2.6, "ótimo": 3.0, "excelente": 3.2, "perfeito": 3.0, "maravilhoso": 3.2,
        "contente": 2.2, "satisfeito": 2.0, "satisfeita": 2.0, "útil": 1.8, "rápido": 1.0,
        "funciona novamente": 2.0, "resolvido": 1.8, "feliz": 2.4,
        "mal": -2.2, "mau": -2.4, "ruim": -2.4, "terrível": -3.0, "horrível": -3.0, "problema": -1.2,
        "problemas": -1.2, "erro": -1.4, "erros": -1.4, "quebrado": -2.0, "não funciona": -1.8,
        "não consigo": -1.3, "fora do ar": -1.8, "cobrado duas vezes": -2.0, "cobraram duas vezes": -2.0,
        "cobrança duplicada": -2.0, "incorreto": -1.3, "perdido": -1.8, "bloqueado": -1.6, "bloqueada": -1.6,
        "urgente": -0.5, "infelizmente": -1.2, "lento": -1.2, "chato": -2.0,
        "inaceitável": -3.0, "absurdo": -2.8, "furioso": -3.2, "furiosa": -3.2, "irritado": -2.6,
        "irritada": -2.6, "vergonha": -2.8, "péssimo": -3.2, "péssima": -3.2, "golpe": -3.0,
        "decepcionado": -2.4, "decepcionada": -2.4, "ridículo": -2.6, "lamentável": -2.6, "revoltado": -3.0,
    },
}

NEGATORS: dict[str, tuple[str, ...]] = {
    "de": ("nicht", "kein", "keine", "keinen", "nie", "niemals"),
    "es": ("no", "nunca", "ni", "tampoco", "nada"),
    "fr": ("pas", "jamais", "plus", "aucun", "aucune"),
    "pt": ("não", "nunca", "nem", "nada"),
}

BOOSTERS: dict[str, tuple[str, ...]] = {
    "de": ("sehr", "extrem", "total", "völlig", "absolut", "wirklich", "echt", "so"),
    "es": ("muy", "muchísimo", "totalmente", "absolutamente", "realmente", "tan", "súper"),
    "fr": ("très", "vraiment", "totalement", "absolument", "tellement", "trop", "si"),
    "pt": ("muito", "totalmente", "absolutamente", "realmente", "tão", "super"),
}
