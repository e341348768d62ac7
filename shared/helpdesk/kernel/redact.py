"""Remove secrets and personal data from text that leaves its ticket (draft articles, shared summaries).

Patterns, not a model: e-mail addresses, phone numbers, payment card numbers (`kernel.cards`: a brand's prefix and
length, Luhn-checked, so order numbers survive), IBANs, credentials (well-known key formats, `password: ...`-style
assignments, bearer tokens, long random-looking strings) and IPv4 addresses. Each is replaced by a bracketed label
saying what was there.
Presidio or scrubadub would add spaCy/NLTK models for names, which a draft for an agent to review does not
need; the formats above are what a regular expression finds reliably.
"""

import re
from collections.abc import Callable

from helpdesk.kernel.cards import RUN as CARD_RUN
from helpdesk.kernel.cards import run_replaced

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")
# Well-known credential formats: AWS access keys, Stripe/OpenAI/Anthropic-style `sk-`/`pk_`/`rk_` keys,
# GitHub and Slack tokens, JWTs, PEM private keys.
_KNOWN_KEYS = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----"
    r"|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"
    r"|\b(?:sk|pk|rk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}\b"
    r"|\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bxox[abpors]-[A-Za-z0-9-]{10,}\b"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b",
    re.DOTALL)
# `password: hunter2`, `api_key = abc...`, `token=...`, `Authorization: Bearer ...`: keep the name, drop the value.
_ASSIGNED = re.compile(
    r"(?i)\b(pass(?:word|wd|code)?|pwd|secret|api[ _-]?key|access[ _-]?key|token|auth(?:orization)?|"
    r"client[ _-]?secret|private[ _-]?key|pin)\b(\s*(?:is|[:=])\s*)(?:bearer\s+)?(\S{4,})")
# A long run of letters and digits mixing both (and often case): a key nobody meant to publish.
_RANDOM = re.compile(r"\b(?=[A-Za-z0-9_\-+/]*\d)(?=[A-Za-z0-9_\-+/]*[A-Za-z])[A-Za-z0-9_\-+/]{24,}={0,2}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
# International or national phone numbers: an optional +country code, then 7-15 digits in groups.
_PHONE = re.compile(r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){1,4}(?![\w/-])")
_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_IPV4 = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")

EMAIL, PHONE, CARD, SECRET, IBAN, IP = "[email]", "[phone]", "[card number]", "[secret]", "[iban]", "[ip address]"


def _cards(match: re.Match[str]) -> str:
    return run_replaced(match.group(0), lambda _: CARD)[0]


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if _DATE.fullmatch(text):
        return text
    # 7-15 digits (E.164), written with a + or separators: plain runs of digits are usually ids or amounts.
    if 7 <= len(digits) <= 15 and (text.startswith("+") or re.search(r"[\s().-]", text)):
        return PHONE
    return text


def _assigned(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{SECRET}"


_STEPS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (_KNOWN_KEYS, SECRET),
    (_ASSIGNED, _assigned),
    (_EMAIL, EMAIL),
    (_IBAN, IBAN),
    (CARD_RUN, _cards),
    (_RANDOM, SECRET),
    (_IPV4, IP),
    (_PHONE, _phone),
]


def redact(text: str) -> str:
    """`text` with every secret and personal datum above replaced by its label."""
    for pattern, replacement in _STEPS:
        text = pattern.sub(replacement, text)
    return text
