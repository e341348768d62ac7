"""Payment card numbers found in text, and masked to their last four digits (PCI DSS: a stored card number is
unreadable; the last four may show). What Zendesk and Freshdesk call automatic credit card redaction.

A number is a card when its digits (written together or grouped by single spaces or dashes, as people type them)
have a card brand's prefix and length and pass the Luhn check. That keeps order numbers, phone numbers and dates
out: of random 16-digit numbers with a brand's prefix, one in ten passes Luhn. A run of groups longer than a card
(a card with its expiry after it, an id before it) is searched for the longest card in it.
"""

import re
from collections.abc import Callable

MASK = "X"
KEPT_DIGITS = 4  # the last four stay: "XXXX XXXX XXXX 1111" tells the team which card the customer meant
MIN_DIGITS, MAX_DIGITS = 12, 19

# Digits in groups of one or more, each group after a single space or dash: a candidate run, never part of a longer
# number. Letters around it do not stop it ("cc-4111…", "Visa4111…"): a card glued to a word is still a card.
RUN = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
GROUP = re.compile(r"\d+")

# (first digits from, to, lengths): the brands' number ranges (ISO/IEC 7812 issuer numbers as the brands publish them)
BRANDS: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard's 2-series
    (34, 34, frozenset({15})), (37, 37, frozenset({15})),  # American Express
    (6011, 6011, frozenset(range(16, 20))), (644, 649, frozenset(range(16, 20))), (65, 65, frozenset(range(16, 20))),
    (3528, 3589, frozenset(range(16, 20))),  # JCB
    (62, 62, frozenset(range(16, 20))),  # UnionPay
    (36, 36, frozenset(range(14, 20))), (300, 305, frozenset(range(14, 20))),  # Diners Club
    (38, 39, frozenset(range(14, 20))),
    (5018, 5018, frozenset(range(12, 20))), (5020, 5020, frozenset(range(12, 20))),  # Maestro
    (5038, 5038, frozenset(range(12, 20))), (5893, 5893, frozenset(range(12, 20))),
    (6304, 6304, frozenset(range(12, 20))), (6759, 6763, frozenset(range(12, 20))),
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_card(digits: str) -> bool:
    """Whether `digits` (digits only) is a card number: a brand's prefix and length, and the Luhn check."""
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return False
    for low, high, lengths in BRANDS:
        if len(digits) in lengths and low <= int(digits[:len(str(low))]) <= high:
            return luhn_valid(digits)
    return False


def masked_card(written: str) -> str:
    """The card as written, each digit but the last four an `X`, its spaces and dashes kept."""
    digits = sum(char.isdigit() for char in written)
    out, seen = [], 0
    for char in written:
        if char.isdigit():
            seen += 1
            out.append(char if seen > digits - KEPT_DIGITS else MASK)
        else:
            out.append(char)
    return "".join(out)


def run_replaced(run: str, replace: Callable[[str], str]) -> tuple[str, int]:
    """A run of digit groups (`RUN`) with each card in it replaced: from each group on, the longest card its groups
    make; and how many there were."""
    groups = list(GROUP.finditer(run))
    pieces, done, cards, i = [], 0, 0, 0
    while i < len(groups):
        digits, found = "", -1
        for j in range(i, len(groups)):
            digits += groups[j].group()
            if len(digits) > MAX_DIGITS:
                break
            if is_card(digits):
                found = j
        if found < 0:
            i += 1
            continue
        start, end = groups[i].start(), groups[found].end()
        pieces += [run[done:start], replace(run[start:end])]
        done, cards, i = end, cards + 1, found + 1
    return "".join(pieces) + run[done:], cards


def mask_cards(text: str) -> tuple[str, int]:
    """`text` with every card number in it masked, and how many were."""
    count = 0

    def mask(match: re.Match[str]) -> str:
        nonlocal count
        masked, cards = run_replaced(match.group(), masked_card)
        count += cards
        return masked
    return RUN.sub(mask, text), count


def holds_card(text: str) -> bool:
    return any(run_replaced(match.group(), masked_card)[1] for match in RUN.finditer(text))
