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


MARKDOWN = ("Hi **Dana**,\nsee [the guide](https://help.acme.example/g) or https://status.acme.example\n\n"
            "- [run this](javascript:alert(1))\n- [ours](/kb/1) and [mail us](mailto:help@acme.example)\n\n"
            "```\nx < 1\n```\n<script>alert(1)</script> ![pixel](https://tracker.example/p.gif)")


def test_a_message_written_in_markdown_is_formatted_and_what_follows_it_is_text() -> None:
    text = MARKDOWN + "\n\n-- \nAcme *Support*\n"
    body = body_of(html_part(text, "#0055AA", MARKDOWN))
    lead, signature = body.rsplit("<div", 1)
    assert "Hi <strong>Dana</strong>,<br />" in lead  # a line break the writer typed stays one
    assert '<a href="https://help.acme.example/g" style="color:#0055aa">the guide</a>' in lead
    assert '<a href="https://status.acme.example" style="color:#0055aa">https://status.acme.example</a>' in lead
    assert 'href="javascript' not in lead
    assert 'href="/kb/1"' not in lead
    assert "<li>ours and " in lead  # a link's text stays when its target may not be linked
    assert '<a href="mailto:help@acme.example" style="color:#0055aa">mail us</a>' in lead
    assert ">x &lt; 1</code></pre>" in lead
    assert "&lt;script&gt;" in lead
    assert "<script" not in lead
    assert "<img" not in lead
    assert "Acme *Support*" in signature  # the signature is text, as before


def test_markdown_is_only_read_where_it_begins_the_mail() -> None:
    assert "<strong>" not in html_part("**hi**", None, None)
    assert "<strong>" not in html_part("**hi** and more", None, "**other**")  # not its beginning: text
    assert "<strong>" not in html_part("**hi**", None, "   ")


def test_the_plain_text_part_of_a_markdown_reply_is_the_markdown_as_written() -> None:
    raw = compose(from_address="support@acme.example", from_name="Support", to=["dana@customer.example"],
                  subject="Re: Invoice", body=MARKDOWN + "\n", message_id="t.2@acme.example", in_reply_to=None,
                  references=[], date=datetime(2026, 12, 7, tzinfo=UTC), markdown_lead=MARKDOWN)
    read = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(read, EmailMessage)
    assert plain_text(read).replace("\r\n", "\n") == MARKDOWN + "\n"
    html = read.get_body(("html",))
    assert html is not None
    assert "<strong>Dana</strong>" in html.get_content()
