"""Visible-reply rules, ticket threading hints and automatic-mail detection."""
# Full-width punctuation below is what Chinese and Japanese mail clients write.
# ruff: noqa: RUF001

from datetime import UTC, datetime

import pytest

from helpdesk.mail.model import Address, ParsedMessage
from helpdesk.mail.relayed import list_address
from helpdesk.mail.reply import visible_reply
from helpdesk.mail.safety import automatic_reason, system_generated
from helpdesk.mail.service import sender_unverified
from helpdesk.mail.threading import (
    clean_subject,
    referenced_ids,
    tag_matches,
    tagged_subject,
    ticket_number_in,
    ticket_tag,
    ticket_tag_in,
)
from helpdesk.tickets.model import Requester, Ticket


@pytest.mark.parametrize("quote_header", [
    "On Mon, Nov 23, 2026 at 9:00 AM Support <support@acme.example> wrote:",
    "Am 23.11.2026 um 09:00 schrieb Support <support@acme.example>:",
    "Le lun. 23 nov. 2026 à 09:00, Support <support@acme.example> a écrit :",
    "El lun, 23 nov 2026 a las 9:00, Support (<support@acme.example>) escribió:",
    "Il giorno lun 23 nov 2026 alle ore 09:00 Support <support@acme.example> ha scritto:",
    "Op ma 23 nov. 2026 om 09:00 schreef Support <support@acme.example>:",
    "-----Original Message-----",
    "-----Ursprüngliche Nachricht-----",
    "---------- Forwarded message ---------",
    "Begin forwarded message:",
])
def test_quoted_history_is_cut(quote_header: str) -> None:
    text = f"Thanks, that fixed it.\n\n{quote_header}\n> Did the restart help?\n> Support\n"
    assert visible_reply(text) == "Thanks, that fixed it."


def test_outlook_header_block_and_wrapped_attribution() -> None:
    outlook = ("Works now.\n\n________________________________\nFrom: Support <s@acme.example>\n"
               "Sent: Monday, November 23, 2026 9:00 AM\nTo: Dana\nSubject: Printer\n\nDid it help?\n")
    assert visible_reply(outlook) == "Works now."
    wrapped = ("Works now.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Support Team <\nsupport@acme.example> wrote:\n\n"
               "> Did it?\n")
    assert visible_reply(wrapped) == "Works now."


def test_signatures_are_cut_but_prose_is_kept() -> None:
    assert visible_reply("Done.\n\n-- \nDana\nACME Corp") == "Done."
    assert visible_reply("Done.\n\nSent from my iPhone") == "Done."
    assert visible_reply("Done.\n\nBest regards,\nDana Smith\nACME Corp\n+1 555 0100") == "Done."
    prose = "I wanted to ask with regards to the invoice.\nOn the other hand it works."
    assert visible_reply(prose) == prose
    assert visible_reply("It works.\n\nThank you,\nNoam", sender_name="Noam") == "It works."


def test_bottom_posted_reply_is_kept() -> None:
    text = "On Mon, Support <s@acme.example> wrote:\n> Did it help?\n> Support\n\nYes, it did.\n"
    assert visible_reply(text) == "Yes, it did."


def test_ticket_tag_and_subject_cleaning() -> None:
    assert ticket_number_in("Re: AW: [T-000123] Printer") == 123
    assert ticket_number_in("Re: [t-42] x") == 42
    assert ticket_number_in("T-000123 without brackets") is None
    assert clean_subject("Re: Fwd: [T-000123] Printer") == "Printer"
    assert clean_subject("Re: [T-000123-k3f9q2] Printer") == "Printer"


def _ticket(number: int, ticket_id: str = "a" * 32, tenant_id: str = "acme") -> Ticket:
    at = datetime(2026, 11, 23, tzinfo=UTC)
    return Ticket.model_validate({"id": ticket_id, "tenant_id": tenant_id, "number": number, "subject": "Printer",
                                  "description": "x", "requester": Requester(id="r"), "created_at": at,
                                  "updated_at": at})


def test_tags_carry_a_code_only_the_tenants_key_makes() -> None:
    key = b"k" * 32
    ticket = _ticket(123)
    tag = ticket_tag(ticket, key)
    assert tag.startswith("T-000123-")
    assert len(tag.rsplit("-", 1)[1]) == 6
    subject = tagged_subject(ticket, key)
    assert subject == f"Re: [{tag}] Printer"
    parsed = ticket_tag_in(f"AW: {subject.upper()}")  # clients may change case
    assert parsed is not None
    assert tag_matches(parsed, ticket, key)
    assert not tag_matches(parsed, ticket, b"other key" * 4)  # another tenant's key
    assert not tag_matches(parsed, _ticket(123, ticket_id="b" * 32), key)  # another ticket, same number
    bare = ticket_tag_in("Re: [T-000123] Printer")
    assert bare is not None
    assert (bare.number, bare.code) == (123, None)
    assert not tag_matches(bare, ticket, key)
    guessed = ticket_tag_in("Re: [T-000123-aaaaaa] Printer")
    assert guessed is not None
    assert not tag_matches(guessed, ticket, key)


@pytest.mark.parametrize(("verdicts", "unverified"), [
    ({"spf": "FAIL", "dkim": "FAIL", "dmarc": "FAIL"}, True),
    ({"spf": "fail", "dkim": "FAIL", "dmarc": "FAIL", "dmarc_policy": "none"}, True),
    ({"spf": "PASS", "dkim": "FAIL", "dmarc": "FAIL"}, False),
    ({"spf": "PASS", "dkim": "FAIL", "dmarc": "FAIL", "dmarc_policy": "reject"}, True),
    ({"spf": "PASS", "dkim": "FAIL", "dmarc": "FAIL", "dmarc_policy": "REJECT"}, True),
    ({"spf": "PASS", "dkim": "PASS", "dmarc": "PASS", "dmarc_policy": "reject"}, False),
    ({"spf": "GRAY", "dkim": "GRAY", "dmarc": "GRAY"}, False),  # nothing published: nothing proven either way
    ({"spf": "DISABLED", "dkim": "DISABLED", "dmarc": "DISABLED"}, False),  # not checked (the local stack)
    ({}, False),
])
def test_sender_authentication_fails_only_on_clear_verdicts(verdicts: dict[str, str], unverified: bool) -> None:
    assert sender_unverified(verdicts) is unverified


def test_referenced_ids_most_specific_first() -> None:
    parsed = ParsedMessage(in_reply_to="c@x", references=["a@x", "b@x", "c@x"])
    assert referenced_ids(parsed) == ["c@x", "b@x", "a@x"]


@pytest.mark.parametrize(("headers", "sender", "automatic"), [
    ({}, "dana@customer.example", False),
    ({"auto-submitted": "no"}, "dana@customer.example", False),
    ({"auto-submitted": "auto-replied"}, "dana@customer.example", True),
    ({"precedence": "bulk"}, "dana@customer.example", True),
    ({"precedence": "list"}, "dana@customer.example", True),
    ({"x-autoreply": "yes"}, "dana@customer.example", True),
    ({"list-id": "<x.example>"}, "dana@customer.example", True),
    ({"return-path": "<>"}, "dana@customer.example", True),
    ({}, "MAILER-DAEMON@mx.example", True),
])
def test_automatic_mail(headers: dict[str, str], sender: str, automatic: bool) -> None:
    parsed = ParsedMessage(from_=Address(email=sender), headers=headers)
    assert (automatic_reason(parsed) is not None) is automatic


GROUP = {"precedence": "list", "list-id": "<support.acme.example>",
         "list-post": "<https://groups.google.com/a/acme.example/group/support/post>, <mailto:Support@acme.example>",
         "list-unsubscribe": "<mailto:googlegroups-manage+1+unsubscribe@googlegroups.com>"}


@pytest.mark.parametrize(("headers", "automatic"), [
    (GROUP, False),  # the team's own group passing a person's mail on: its list headers say how it travelled
    ({**GROUP, "auto-submitted": "auto-replied"}, True),  # an out-of-office reply through it is still one
    ({**GROUP, "precedence": "junk"}, True),
    ({**GROUP, "x-failed-recipients": "dana@customer.example"}, True),
])
def test_mail_through_the_teams_own_list(headers: dict[str, str], automatic: bool) -> None:
    parsed = ParsedMessage(from_=Address(email="dana@customer.example"), headers=headers)
    assert (automatic_reason(parsed, team_list=True) is not None) is automatic
    assert automatic_reason(parsed) is not None  # anyone else's list is a list


@pytest.mark.parametrize(("headers", "sender", "system"), [
    ({"auto-submitted": "auto-generated"}, "alerts@monitor.example", True),
    ({"auto-submitted": "Auto-Generated; type=alert"}, "noreply@grafana.example", True),  # alerts come from no-reply
    ({"auto-submitted": "auto-replied"}, "dana@customer.example", False),  # an out-of-office reply
    ({"auto-submitted": "auto-generated", "precedence": "bulk"}, "news@shop.example", False),
    ({"auto-submitted": "auto-generated", "list-id": "<news.example>"}, "news@shop.example", False),
    ({"auto-submitted": "auto-generated", "x-failed-recipients": "dana@customer.example"}, "x@y.example", False),
    ({"auto-submitted": "auto-generated"}, "mailer-daemon@mx.example", False),
    ({}, "alerts@monitor.example", False),  # nothing says a system sent it
])
def test_mail_a_system_generated(headers: dict[str, str], sender: str, system: bool) -> None:
    assert system_generated(ParsedMessage(from_=Address(email=sender), headers=headers)) is system


def test_a_system_mail_through_the_teams_own_list_is_still_a_systems() -> None:
    parsed = ParsedMessage(from_=Address(email="alerts@monitor.example"),
                           headers={"auto-submitted": "auto-generated", **GROUP})
    assert system_generated(parsed, team_list=True)
    assert not system_generated(parsed)


@pytest.mark.parametrize(("headers", "posted_to"), [
    (GROUP, "support@acme.example"),
    ({"mailing-list": "list help@acme.example; contact help+owners@acme.example"}, "help@acme.example"),
    ({"list-post": "NO", "list-id": "<news.example>"}, None),  # an announcement list takes no posts
    ({}, None),
])
def test_the_address_a_lists_mail_was_posted_to(headers: dict[str, str], posted_to: str | None) -> None:
    assert list_address(ParsedMessage(from_=Address(email="dana@customer.example"), headers=headers)) == posted_to


@pytest.mark.parametrize(("text", "reply"), [
    ("Gracias.\n\nDe: Soporte <s@acme.example>\nEnviado el: lunes, 23 de noviembre de 2026 9:00\nPara: Dana\n"
     "Asunto: Impresora\n\nHola", "Gracias."),
    ("好的，谢谢。\n\n在 2026年11月23日 09:00，Support <s@acme.example> 写道：\n> 你好", "好的，谢谢。"),
    ("了解しました。\n\n2026年11月23日(月) 9:00 Support <s@acme.example>:\n\n> こんにちは", "了解しました。"),
    ("收到\n\n发件人: Support <s@acme.example>\n发送时间: 2026年11月23日 9:00\n收件人: Dana\n主题: 打印机\n\n你好",
     "收到"),
    ("Danke!\n\nVon: Support <s@acme.example>\nGesendet: Montag, 23. November 2026 09:00\nAn: Dana\nBetreff: Drucker\n",
     "Danke!"),
    ("Merci.\n\nDe : Support <s@acme.example>\nEnvoyé : lundi 23 novembre 2026 09:00\nÀ : Dana\nObjet : Imprimante\n",
     "Merci."),
])
def test_outlook_and_client_headers_in_other_languages(text: str, reply: str) -> None:
    assert visible_reply(text) == reply


def test_inline_answers_keep_their_questions() -> None:
    text = ("On Mon, Jane <jane@example.com> wrote:\n> Option A?\n\nYes, A.\n\n> Option B?\n\nNo, B has drawbacks.\n")
    assert visible_reply(text) == "> Option A?\n\nYes, A.\n\n> Option B?\n\nNo, B has drawbacks."


def test_tables_and_prose_that_look_like_signatures_stay() -> None:
    table = "Service  Date\n--------------------------\nDomain   Jun 27\n\nPlease renew before the date above, thanks."
    assert visible_reply(table) == table
    prose = "Here it is.\n\nSent from my desk, which is much easier than my phone."
    assert visible_reply(prose) == prose
