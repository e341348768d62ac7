"""The HTML part of the mail the helpdesk sends: the same words as its plain text, shown as mail programs show HTML
mail (paragraphs, links, the quoted message as a quote, the signature set off), and nothing from the text ever read
as markup."""

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

from helpdesk.mail.html_part import html_part
from helpdesk.mail.local import plain_text
from helpdesk.mail.outbound import compose

REPLY = ("Hello Dana,\n\nthe fix is described at https://help.acme.example/kb/refunds.\nIt takes a day.\n\n"
         "Best regards,\nAlice\n\nOn Mon, 1 Dec 2026 10:00:00 +0000, Dana wrote:\n> My invoice is wrong.\n>\n"
         "> > an older quote\n> Thanks\n\n-- \nAcme Support\nhttps://acme.example")


def body_of(html: str) -> str:
    return html.split("<body", 1)[1].split(">", 1)[1].removesuffix("</body></html>")


def test_paragraphs_links_quotes_and_the_signature() -> None:
    body = body_of(html_part(REPLY))
    paragraphs = body.split("<blockquote")[0]
    assert paragraphs.count("<p ") == 4  # greeting, answer, sign-off, "On … wrote:"
    assert ('the fix is described at <a href="https://help.acme.example/kb/refunds">'
            "https://help.acme.example/kb/refunds</a>.<br>It takes a day.") in body  # the full stop is not the link's
    quote = body.split("<blockquote", 1)[1]
    assert "My invoice is wrong." in quote
    assert "Thanks" in quote
    assert quote.count("<blockquote") == 1  # the older quote nested in it
    assert "&gt;" not in body  # the quote marks became the quote
    signature = body.rsplit("<div", 1)[1]
    assert "Acme Support<br>" in signature
    assert '<a href="https://acme.example">' in signature
    assert "-- " not in body


def test_text_is_never_markup() -> None:
    html = html_part('Use <script>alert(1)</script> & "quotes"\njavascript:alert(1) https://x.example/"onmouseover=x')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; &#34;quotes&#34;" in html
    assert 'href="javascript' not in html  # http(s) only
    assert '<a href="https://x.example/">' in html  # a quote mark ends an address


def test_a_sent_mail_carries_both_parts_and_its_files() -> None:
    raw = compose(from_address="support@acme.example", from_name="Support", to=["dana@customer.example"],
                  subject="Re: Invoice", body=REPLY, message_id="t.1@acme.example", in_reply_to=None,
                  references=[], date=datetime(2026, 12, 6, tzinfo=UTC),
                  attachments=[("invoice.pdf", "application/pdf", b"%PDF-1.4\n")])
    read = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(read, EmailMessage)
    assert read.get_content_type() == "multipart/mixed"
    assert plain_text(read).replace("\r\n", "\n") == REPLY + "\n"
    html = read.get_body(("html",))
    assert html is not None
    assert "Hello Dana," in html.get_content()
    assert [part.get_filename() for part in read.iter_attachments()] == ["invoice.pdf"]


def test_the_teams_colour_marks_the_top_and_the_links_and_only_a_colour_is_taken() -> None:
    html = html_part("See https://acme.example/kb.", accent="#0B6E4F")
    assert "border-top:4px solid #0b6e4f" in html
    assert '<a href="https://acme.example/kb" style="color:#0b6e4f">' in html
    for odd in ("red", "#0b6e4f;background:url(x)", "", None):
        plain = html_part("See https://acme.example/kb.", accent=odd)
        assert "border-top" not in plain
        assert '<a href="https://acme.example/kb">' in plain
