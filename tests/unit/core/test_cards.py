"""Card numbers found and masked (`helpdesk.kernel.cards`): the brands' published test numbers, as people write
them, and the numbers of a support mail that are not cards."""

import pytest

from helpdesk.kernel.cards import holds_card, is_card, luhn_valid, mask_cards

TEST_CARDS = [  # the payment processors' test numbers, one or two per brand
    "4111111111111111", "4012888888881881", "4222222222222",  # Visa, 16 and 13 digits
    "5555555555554444", "5105105105105100", "2223003122003222",  # Mastercard, 5- and 2-series
    "378282246310005", "371449635398431",  # American Express
    "6011111111111117", "6011000990139424",  # Discover
    "3530111333300000", "3566002020360505",  # JCB
    "30569309025904", "38520000023237", "36227206271667",  # Diners Club
    "6200000000000005",  # UnionPay
]


@pytest.mark.parametrize("number", TEST_CARDS)
def test_each_brands_test_number_is_a_card(number: str) -> None:
    assert is_card(number)
    assert mask_cards(f"card {number} please") == (f"card {'X' * (len(number) - 4)}{number[-4:]} please", 1)


@pytest.mark.parametrize("number", [
    "4111111111111112",  # Luhn fails: an order number of a card's shape
    "9999999999999995",  # Luhn holds, no brand begins with 9
    "41111111111111",  # a Visa prefix, but 14 digits
    "3782822463100050",  # an Amex prefix at 16 digits
    "12345678903",  # too short
])
def test_numbers_that_are_not_cards(number: str) -> None:
    assert not is_card(number)
    assert mask_cards(number) == (number, 0)


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


@pytest.mark.parametrize(("written", "masked"), [
    ("4111 1111 1111 1111", "XXXX XXXX XXXX 1111"),
    ("4111-1111-1111-1111", "XXXX-XXXX-XXXX-1111"),
    ("3782 822463 10005", "XXXX XXXXXX X0005"),  # Amex's own grouping
    ("(4111111111111111)", "(XXXXXXXXXXXX1111)"),
])
def test_the_grouping_as_written_stays(written: str, masked: str) -> None:
    assert mask_cards(written) == (masked, 1)


def test_a_card_among_other_numbers() -> None:
    text = "Order 1234 5678, card 4111 1111 1111 1111 exp 12 27, call +1 415 555 0100 on 2026-12-07."
    assert mask_cards(text) == (
        "Order 1234 5678, card XXXX XXXX XXXX 1111 exp 12 27, call +1 415 555 0100 on 2026-12-07.", 1)


def test_two_cards_in_one_text_and_a_card_glued_to_an_id() -> None:
    assert mask_cards("4111111111111111 or 5105 1051 0510 5100") == ("XXXXXXXXXXXX1111 or XXXX XXXX XXXX 5100", 2)
    # a longer run of digits is not a card (an id, a tracking number); a card glued to a word or a dash still is
    assert mask_cards("ref 99941111111111111111 and cc-4111111111111111, Visa4111111111111111") == (
        "ref 99941111111111111111 and cc-XXXXXXXXXXXX1111, VisaXXXXXXXXXXXX1111", 2)


def test_masking_twice_changes_nothing() -> None:
    once = mask_cards("card 4111 1111 1111 1111")[0]
    assert mask_cards(once) == (once, 0)


@pytest.mark.parametrize("text", [
    "IBAN DE89 3704 0044 0532 0130 00", "ISBN 978-3-16-148410-0", "tracking 7489 2343 2342 5531",
    "invoice 2026120700001", "version 4.111.1111.1111",
])
def test_other_numbers_of_a_support_mail_stay(text: str) -> None:
    assert mask_cards(text) == (text, 0)
    assert not holds_card(text)


def test_holds_card() -> None:
    assert holds_card("<p>My card <b>4111 1111 1111 1111</b></p>")
    assert not holds_card("no card here")
