"""Messages with no word in them: "👍", "😡😡", "???". The chat's intent classifier has nothing to read in such a
message (it called "👍" after an answer a greeting, and answered "Hello! How can I help you?"), and nothing in it
can be searched, so the chat (`assistant.service`) reads the emoji instead: a thumbs-up says thanks (or yes, to the
chat's own question), an angry or sad face says the answer did not help, and anything else asks the visitor to say
more. A customer's thumbs-up on a solved ticket is thanks too (`kernel.courtesy.only_thanks`).

Only a message without any letter or digit is read this way: "thanks 👍" and "2FA 😡" have words, and go the
usual way. The sets name the common emoji of chat apps' reactions; skin tones, variation selectors and joiners
around them do not matter (each character is looked up on its own)."""

import unicodedata
from typing import Literal

Mood = Literal["pleased", "unhappy", "unclear"]

_PLEASED = frozenset("👍👌🙏❤♥💖💕💙💚💛💜🧡🤍😀😃😄😁😊🙂☺😉😍🥰🤩😎🤗🥳🎉👏🙌💪💯✅✔☑⭐🌟")
_UNHAPPY = frozenset("👎😡😠🤬😤😞😟😔😢😭☹🙁😕😒🙄💔😩😫😖😣😓🤦💩❌✖😾😿🤯")
# A yes or no to the chat's own question ("Shall I open a ticket?"): a reaction that can only mean that.
_YES = frozenset("👍👌✅✔☑🆗🙏")
_NO = frozenset("👎❌✖🙅")


def is_wordless(text: str) -> bool:
    """No letter and no digit in `text`: emoji, punctuation, symbols only (a blank text never reaches here)."""
    return not any(unicodedata.category(c)[0] in "LN" for c in text)


def mood(text: str) -> Mood:
    """What a wordless message says: pleased (any pleased emoji and no unhappy one), unhappy (the reverse), else
    unclear ("???", "…", "🤔", or both kinds at once)."""
    pleased, unhappy = _PLEASED.intersection(text), _UNHAPPY.intersection(text)
    if pleased and not unhappy:
        return "pleased"
    if unhappy and not pleased:
        return "unhappy"
    return "unclear"


def says_yes(text: str) -> bool:
    """A wordless answer that can only be a yes: a thumbs-up, an OK hand, a tick (and no no-sign)."""
    return is_wordless(text) and bool(_YES.intersection(text)) and not _NO.intersection(text)


def says_no(text: str) -> bool:
    """A wordless answer that can only be a no: a thumbs-down, a cross (and no yes-sign)."""
    return is_wordless(text) and bool(_NO.intersection(text)) and not _YES.intersection(text)


def has_unhappy_emoji(text: str) -> bool:
    """An angry, sad or thumbs-down emoji anywhere in `text` ("thanks 🙄" is no thanks)."""
    return bool(_UNHAPPY.intersection(text))
