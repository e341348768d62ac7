"""What an answer may show a customer, whatever the passages it came from said.

Articles are untrusted text: anyone who can edit one, an import, or a ticket thread turned into a draft
may have planted a phishing link or a request for a secret in it, and both the model and the extractive
offline adapter quote articles. Every answer is screened before it is shown: links outside the tenant's
allowed domains are removed, and sentences asking the reader to hand over a secret (a PIN, card or bank
details, a one-time code, a password, a recovery phrase) are dropped.
"""

import re
from collections.abc import Collection

from helpdesk.kernel.links import Screened, restrict_links
from helpdesk.kernel.text import split_sentences

# Hand-over verbs, then a secret within a few words: "confirm with your bank PIN", "send us your card number".
# Typing a secret into our own sign-in or 2FA form ("enter the one-time code") is normal help text, so only
# verbs that give the secret to someone count.
_HAND_OVER = (r"\b(send|give|provide|tell|share|reply\s+with|e-?mail|text|confirm\s+with|verify\s+with|"
              r"read\s+out|call\s+us\s+with)\b")
_SENSITIVE = (r"\b(bank\s+pin|pin(\s+code|\s+number)?|cvv|cvc|security\s+code|card\s+(number|details)|"
           r"bank\s+(details|account|login)|account\s+number|iban|seed\s+phrase|recovery\s+phrase|"
           r"social\s+security(\s+number)?|one[-\s]time\s+(code|password)|otp|verification\s+code|"
           r"passwords?|passcode)\b")
_SECRET_REQUEST = re.compile(_HAND_OVER + r"[^.!?\n]{0,60}?" + _SENSITIVE, re.IGNORECASE)
# "Never share your PIN": a warning, not a request.
_NEGATED = re.compile(r"\b(never|don't|do\s+not|won't|will\s+not|no\s+one|nobody|not)\b", re.IGNORECASE)


def asks_for_secret(sentence: str) -> bool:
    return bool(_SECRET_REQUEST.search(sentence)) and not _NEGATED.search(sentence)


def screen_answer(text: str, allowed_domains: Collection[str]) -> Screened:
    """`text` with outside links removed and secret-asking sentences dropped; what was removed, for the
    turn's recorded decision."""
    kept: list[str] = []
    dropped = 0
    for sentence in split_sentences(text):
        if asks_for_secret(sentence):
            dropped += 1
        else:
            kept.append(sentence)
    screened = restrict_links(" ".join(kept) if dropped else text, allowed_domains)
    if dropped:
        screened.removed_hosts.append(f"{dropped} sentence(s) asking for a secret")
    return screened
