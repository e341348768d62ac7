"""Courtesy formulae (greetings, thanks, sign-offs, "sorry to bother you") in the five languages the helpdesk
writes, and the message without them.

Politeness says nothing about what a customer asks nor how they feel: the support-mail sentiment
(`triage/sentiment.py`) takes these out before scoring, and the chat reads a message without them
(`without_courtesy`), so "Hi there, ... Thanks in advance, Maria" asks what the words between ask. Entries are
lower case, matched on word boundaries, longest first; a trailing `*` matches any ending.
"""

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from helpdesk.kernel.text import split_sentences

# Thanks apart from the other formulae: the chat answers thanks with "you're welcome", a greeting with its own.
THANKS: dict[str, tuple[str, ...]] = {
    "en": ("thank you very much", "thank you so much", "thanks a lot", "thanks in advance", "many thanks",
           "thank you", "thanks", "thx", "cheers"),
    "de": ("vielen dank im voraus", "vielen dank", "danke schön", "danke sehr", "danke im voraus", "danke"),
    "es": ("muchas gracias de antemano", "gracias de antemano", "muchas gracias", "mil gracias", "gracias"),
    "fr": ("merci beaucoup", "merci d'avance", "merci par avance", "merci"),
    "pt": ("muito obrigado", "muito obrigada", "desde já obrigado", "obrigado", "obrigada"),
}

COURTESY: dict[str, tuple[str, ...]] = {
    "en": (*THANKS["en"], "kind regards", "best regards", "warm regards", "regards", "best wishes",
           "sorry to bother you", "sorry for the trouble", "i hope you are well", "hope you are doing well",
           "please", "dear", "hello", "hi", "hey", "sincerely", "have a nice day",
           "hello there", "hi there", "hey there", "good morning", "good afternoon", "good evening",
           "hope you're well", "hope you're doing well", "hope all is well", "bye", "bye bye", "goodbye",
           # asking for help is the request, not a mood
           "please help", "need your help", "need help", "help us", "help me", "could you help", "can you help"),
    "de": (*THANKS["de"], "mit freundlichen grüßen", "freundliche grüße", "viele grüße", "liebe grüße",
           "beste grüße", "grüße", "entschuldigen sie die störung", "sehr geehrte damen und herren", "sehr geehrte",
           "sehr geehrter", "bitte", "hallo", "guten tag", "liebes team", "schönen tag", "guten morgen",
           "guten abend", "ich hoffe, es geht ihnen gut", "tschüss", "auf wiedersehen"),
    "es": (*THANKS["es"], "saludos cordiales", "un saludo", "saludos", "atentamente", "disculpe las molestias",
           "disculpen las molestias", "perdón por la molestia", "por favor", "hola", "buenos días", "buenas tardes",
           "estimado equipo", "estimados", "estimada", "estimado", "que tengan un buen día", "buenas noches",
           "espero que estén bien", "espero que estés bien", "adiós", "hasta luego"),
    "fr": (*THANKS["fr"], "cordialement", "bien à vous", "salutations", "désolé de vous déranger",
           "s'il vous plaît", "s'il vous plait", "bonjour", "bonsoir", "madame, monsieur", "chère équipe",
           "bonne journée", "j'espère que vous allez bien", "au revoir", "à bientôt"),
    "pt": (*THANKS["pt"], "atenciosamente", "cumprimentos", "um abraço", "desculpe o incómodo",
           "desculpe o incômodo", "por favor", "olá", "bom dia", "boa tarde", "prezados", "prezado", "prezada",
           "caro", "cara equipe", "boa noite", "espero que esteja bem", "espero que estejam bem", "tchau",
           "até logo", "adeus"),
}


def phrase_pattern(entries: Iterable[str]) -> re.Pattern[str]:
    """Entries on word boundaries, longest first; `*` at the end of an entry matches any word ending."""
    parts = [re.escape(e.rstrip("*")) + (r"\w*" if e.endswith("*") else "")
             for e in sorted(entries, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=16)
def courtesy_pattern(language: str) -> re.Pattern[str]:
    """English formulae and those of `language` (customers mix them: "Hallo, ... Thanks")."""
    return phrase_pattern([*COURTESY["en"], *COURTESY.get(language, ())])


_CAPITAL = "[A-Z\u00c0-\u00d6\u00d8-\u00de]"  # Latin-1 capitals included
_NAME = _CAPITAL + "[\\w'-]*"  # a capitalised word
# Whom a greeting addresses when it is no name: "Hi team,", "Hallo zusammen,", "Bonjour à tous,".
_ADDRESSEE = ("(?i:team|support|support team|all|everyone|folks|guys|zusammen|allerseits|equipo|a todos|todos|"
              "à tous|l'équipe|equipe|pessoal)")


@lru_cache(maxsize=16)
def _around(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A greeting opening a sentence with a name of up to two capitalised words ("Hi Maria, ") or whom it
    addresses ("Hi team, "), and a formula
    ending one with such a name after it ("... thanks in advance, Maria"): the names go with the formulae. Only
    capitalised words: in "please help me reset it" the words after the formula are the question."""
    formula = f"(?i:{courtesy_pattern(language).pattern})"
    return (re.compile(rf"^\s*{formula}(?:\s+(?:{_ADDRESSEE}|{_NAME})){{0,2}}\s*[,!:]\s*"),
            re.compile(rf"\s*{formula}[\s,.!]*(?:{_NAME}(?:\s+{_NAME})?[\s.!]*)?$"))


SIGNATURE_WORDS = 3  # "Jana Müller", "Head of Finance, Acme"
_EDGES = re.compile("^[\\s,.;:!\u00a1\\-\u2013\u2014]+|[\\s,;:\\-\u2013\u2014]+$")  # ¡, en and em dash
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?])")


def without_courtesy(text: str, language: str = "en") -> str:
    """The message's sentences with the courtesy formulae taken out. A sentence the formulae leave at one word
    goes too (the name after "Thanks in advance. Maria"), and so do short lines after a sign-off line (the
    signature); a message of nothing but courtesy is given back as written, so a plain "Thanks!" still reads as
    thanks."""
    return " ".join(said_sentences(text, language)) or text.strip()


def said_sentences(text: str, language: str = "en") -> list[str]:
    """The message's sentences with the courtesy formulae taken out (see `without_courtesy`); none for a
    message of nothing but courtesy."""
    pattern = courtesy_pattern(language)
    opening, closing = _around(language)
    kept = []
    signed_off = False  # a sign-off line ended what was said: short lines after it are the signature
    for sentence in split_sentences(text):
        if signed_off and len(sentence.split()) <= SIGNATURE_WORDS and not sentence.endswith("?"):
            continue
        left = pattern.sub(" ", opening.sub("", closing.sub("", sentence)))
        if left == sentence:
            kept.append(sentence)
            continue
        left = _EDGES.sub("", _SPACE_BEFORE_MARK.sub(r"\1", " ".join(left.split())))
        if len(left.split()) > 1 or (left and left[-1] == "?"):
            kept.append(left)
        elif kept:
            signed_off = True
    return kept


@lru_cache(maxsize=8)
def _formulae(language: str) -> re.Pattern[str]:
    return phrase_pattern(COURTESY[language])


_LEFT_OVER = re.compile(r"[\W_]*")  # what a message of nothing but formulae leaves: spaces and punctuation


def courtesy_language(text: str) -> str | None:
    """The language of a message made of nothing but one language's formulae ("Danke!", "Hola", "Merci
    beaucoup"), which is too short for a language identifier; None when no language's formulae, or several
    languages' ("por favor"), make up the whole message."""
    found = [language for language in COURTESY
             if _LEFT_OVER.fullmatch(_formulae(language).sub(" ", text)) is not None]
    return found[0] if len(found) == 1 else None


# What may stand beside thanks in a message that says nothing else: what the thanks are for, how much, that it
# works now, a goodbye. Only whole phrases: "thanks, but it still fails" leaves "but it still fails".
_THANKED_FOR: dict[str, tuple[str, ...]] = {
    "en": ("for the help", "for your help", "for all your help", "for all the help", "for helping", "for helping me",
           "for helping me out", "for the quick reply", "for the quick response", "for your quick reply",
           "for your quick response", "for your time", "for the info", "for the information", "for the answer",
           "for the assist", "for the assistance", "for your assistance", "for your support", "for the support",
           "for sorting it", "for sorting it out", "for fixing it", "for fixing this", "so much", "very much",
           "a lot", "again", "that fixed it", "that solved it", "that did it", "that did the trick", "that worked",
           "it works now", "works now", "it's working now", "it is working now", "all good", "all sorted",
           "problem solved", "issue resolved", "that helped", "that was helpful", "that was really helpful",
           "very helpful", "great", "perfect", "awesome", "excellent", "brilliant", "ok", "okay", "got it",
           "i appreciate it", "i appreciate your help", "i appreciate the help", "you are the best", "you rock",
           "see you", "have a great day", "have a good day", "have a nice weekend", "have a great weekend",
           "ever so much", "so", "really", "for letting me know", "for that", "for that answer", "for answering",
           "for answering my question", "for answering that", "for your response", "for the response",
           "for your cooperation", "for helping out", "that's all i need", "that's all i needed", "that's helpful",
           "that is helpful", "oh", "sweet", "your help", "the help", "the assistance", "your assistance",
           "you've helped me", "the answer", "that answer", "what you did", "you helping me", "you doing that",
           "good job", "take care", "see ya", "talk to you later", "have a good one", "good night", "goodnight",
           "i am", "i'm", "very", "i really", "for giving me assistance", "for the help you gave", "for everything",
           "today", "i want to", "i would like to", "you have my", "sincere", "special", "your help is"),
    "de": ("für die hilfe", "für ihre hilfe", "für deine hilfe", "für die schnelle antwort", "für die schnelle hilfe",
           "für ihre zeit", "das hat geholfen", "hat geholfen", "es funktioniert jetzt", "funktioniert jetzt",
           "funktioniert wieder", "hat funktioniert", "alles klar", "problem gelöst", "super", "perfekt", "prima",
           "toll", "ok", "okay", "schönes wochenende", "nochmals", "noch mal", "nochmal"),
    "es": ("por la ayuda", "por su ayuda", "por tu ayuda", "por la respuesta", "por la rápida respuesta",
           "por su tiempo", "ya funciona", "funciona ahora", "ahora funciona", "funcionó", "problema resuelto",
           "todo bien", "perfecto", "genial", "excelente", "vale", "ok", "buen fin de semana", "de nuevo"),
    "fr": ("pour l'aide", "pour votre aide", "pour ton aide", "pour la réponse", "pour votre réponse",
           "pour la réponse rapide", "pour votre temps", "ça marche", "ça marche maintenant", "ça fonctionne",
           "ça fonctionne maintenant", "ça a marché", "c'est bon", "c'est réglé", "problème résolu", "parfait",
           "super", "génial", "ok", "bon week-end", "encore"),
    "pt": ("pela ajuda", "pela sua ajuda", "pela resposta", "pela resposta rápida", "pelo seu tempo", "funcionou",
           "já funciona", "agora funciona", "está funcionando", "está a funcionar", "problema resolvido",
           "tudo certo", "perfeito", "ótimo", "excelente", "ok", "bom fim de semana", "mais uma vez"),
}
# What says the message closes the matter: thanks, appreciation, a goodbye (one is needed beside the company above).
_CLOSING: dict[str, tuple[str, ...]] = {
    "en": (*THANKS["en"], "appreciate it", "appreciated", "much appreciated", "i appreciate", "appreciate the help",
           "much obliged", "grateful", "thankful", "thank ya", "thank you kindly", "bye", "bye bye", "goodbye",
           "gratitude", "thanks to you", "i owe you one", "you're the best", "you've been a big help",
           "you've been a great help", "you have been a big help", "you have been a great help"),
    "de": (*THANKS["de"], "tschüss", "auf wiedersehen"),
    "es": (*THANKS["es"], "adiós", "hasta luego"),
    "fr": (*THANKS["fr"], "au revoir", "à bientôt"),
    "pt": (*THANKS["pt"], "tchau", "até logo", "adeus"),
}
# A name signing the thanks on a line of its own ("...\n\nDana", "Jana Müller"): capitalised words, not shouted
# ("Thanks, NOT FIXED"), and none of the words that say it is not over ("Thanks\nStill Broken").
_TITLE_WORD = _CAPITAL + "[a-z\u00df-\u00f6\u00f8-\u00ff'-]+"  # "Jana", "Müller": not "NOT"
_SIGNATURE_LINE = re.compile(rf"{_TITLE_WORD}(?:\s+{_TITLE_WORD})?[.!]?")
_NOT_A_NAME = frozenset({"not", "no", "nope", "still", "but", "broken", "again", "wrong", "nicht", "noch", "kaputt",
                         "pas", "toujours", "mais", "pero", "sigue", "todavía", "não", "ainda", "mas"})


_WORD = re.compile(r"[^\W\d_]{2,}")  # a name's words: letters, two or more ("Jana", "Müller"; not "J.")


@lru_cache(maxsize=256)
def _names_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The words of the ticket's people as whole words, any case ("thanks maria")."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=8)
def _thanks_and_company(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (phrase_pattern([*_CLOSING["en"], *_CLOSING[language]]),
            phrase_pattern([*COURTESY["en"], *COURTESY[language], *_CLOSING["en"], *_CLOSING[language],
                            *_THANKED_FOR["en"], *_THANKED_FOR[language]]))


def only_thanks(text: str, names: Callable[[], Iterable[str]] = tuple) -> bool:
    """A message that thanks and says nothing else: "Thanks!", "Thank you so much, that fixed it", "Vielen Dank
    für die Hilfe", "👍" (a pleased emoji alone). Thanks with a question, another sentence, a "but" or an unhappy
    emoji is more than thanks. Read in English and each language the helpdesk writes; a name of up to two words may
    sign it on a line of its own, and the words of `names()` (the people of the ticket: "Thanks, Maria!" to the agent
    who answered) anywhere; they are asked for only when the thanks alone do not decide (a ticket's log is a read).
    What keeps a solved ticket solved (`tickets.thanks`), so it errs on "more than thanks": a capitalised word inline
    is no name unless the ticket knows it ("Thanks, Not Fixed")."""
    from helpdesk.kernel.wordless import has_unhappy_emoji, is_wordless, mood

    if is_wordless(text):
        return mood(text) == "pleased"
    text = text.replace("\u2019", "'")  # a phone's apostrophe (U+2019) in "you are"
    if "?" in text or has_unhappy_emoji(text) or len(text) > 300:
        return False
    if _only_closing(text):
        return True
    if not any(_thanks_and_company(language)[0].search(text) for language in _CLOSING):
        return False  # no thanks in it: no name makes it thanks
    # a name's word that says the matter is not over ("Still", "Not") is never taken out
    known = _names_pattern(tuple(sorted({w for n in names() for w in _WORD.findall(n)
                                         if w.lower() not in _NOT_A_NAME})))
    return known is not None and _only_closing(known.sub(" ", text))


def _only_closing(text: str) -> bool:
    """Thanks and company only, a name signing it on a line of its own taken off."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and _SIGNATURE_LINE.fullmatch(lines[-1]) \
            and not _NOT_A_NAME.intersection(lines[-1].lower().rstrip(".!").split()):
        text = "\n".join(lines[:-1])
    for language in _CLOSING:
        thanks, company = _thanks_and_company(language)
        if thanks.search(text) and _LEFT_OVER.fullmatch(company.sub(" ", text)):
            return True
    return False
