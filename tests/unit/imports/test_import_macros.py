"""Zendesk macro texts as templates here: its placeholders translated, what has no counterpart shown as written
(never evaluated, never dropped), and nothing in the old text able to run as a template here."""

from helpdesk.imports.macros import zendesk_template
from helpdesk.macros.rendering import Record, render

CONTEXT = {"ticket": Record({"number": "T-000042", "subject": "VAT", "fields": Record({"order_number": "INV-7"})}),
           "requester": Record({"first_name": "Hank", "name": "Hank Scorpio"}),
           "agent": Record({"first_name": "Alice", "name": "Alice Agent"})}


def translated(text: str) -> tuple[str, list[str]]:
    template, kept = zendesk_template(text, {"360001": "order_number"})
    return render(template, CONTEXT), kept


def test_known_placeholders_and_fields_are_translated() -> None:
    text = ("Hi {{ticket.requester.first_name}}, #{{ ticket.id }} ({{ticket.title}}), order "
            "{{ticket.ticket_field_360001}} / {{ticket.ticket_field_option_title_360001}}. {{current_user.name}}")
    assert translated(text) == ("Hi Hank, #T-000042 (VAT), order INV-7 / INV-7. Alice Agent", [])


def test_what_has_no_counterpart_is_shown_as_written() -> None:
    text = "{% if ticket.tags contains 'vip' %}VIP{% endif %} {{ticket.organization.name}} {{ticket.ticket_field_9}}"
    rendered, kept = translated(text)
    assert rendered == text
    assert kept == ["{% if ticket.tags contains 'vip' %}", "{% endif %}", "{{ticket.organization.name}}",
                    "{{ticket.ticket_field_9}}"]


def test_nothing_in_the_old_text_runs_here() -> None:
    for text in ("{# a comment #} stays", "{{ ''.__class__ }}", "{% endraw %}{{ 7 * 7 }}", "{{ x", "100% {%"):
        rendered, _ = translated(text)
        assert "49" not in rendered
        assert rendered == text


def test_zammad_variables_are_translated_and_the_others_kept() -> None:
    from helpdesk.imports.macros import zammad_template

    template, kept = zammad_template("Hi #{ticket.customer.firstname}, #{ticket.number} ({ticket.title}) "
                                     "#{ticket.order_id} #{config.fqdn} {{ x }}", {"order_id": "order_number"})
    assert render(template, CONTEXT) == "Hi Hank, T-000042 ({ticket.title}) INV-7 #{config.fqdn} {{ x }}"
    assert kept == ["#{config.fqdn}"]
