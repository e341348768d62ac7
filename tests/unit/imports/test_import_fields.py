"""How the old helpdesk's custom fields become this one's: keys from titles, kinds this helpdesk has, and the
tenant's limits."""

from helpdesk.imports.fields import field_key, field_value, plan_fields
from helpdesk.imports.model import SourceField
from helpdesk.tickets.fields import MAX_FIELDS, TicketField, TicketFields


def test_a_key_is_made_from_the_title() -> None:
    assert field_key("Order number", "1") == "order_number"
    assert field_key("Rückruf gewünscht?", "2") == "ruckruf_gewunscht"
    assert field_key("Время", "360001") == "field_360001"  # no letter of a key left
    assert len(field_key("x" * 80, "3")) == 40


def test_a_dropdown_that_does_not_fit_one_here_keeps_the_chosen_name_as_text() -> None:
    many = SourceField(id="1", title="Country", kind="dropdown", options={f"c{n}": f"Country {n}" for n in range(60)})
    twice = SourceField(id="2", title="Size", kind="dropdown", options={"s": "Small", "s2": "Small"})
    plan = plan_fields(TicketFields(), [many, twice], "zendesk")
    assert [(f.key, f.type) for f in plan.fields.fields] == [("country", "text"), ("size", "text")]
    assert plan.fields.fields[0].description == "Imported from Zendesk (a dropdown there)"
    assert field_value(plan.mappings["1"], "c42") == "Country 42"


def test_a_dropdown_here_that_offers_the_options_takes_the_values() -> None:
    ours = TicketField(key="plan", label="Plan", type="dropdown", options=["Free", "Pro", "Team"])
    plan = plan_fields(TicketFields(fields=[ours]), [SourceField(id="9", title="Plan", kind="dropdown",
                                                                 options={"p": "Pro"})], "zammad")
    assert (plan.created, plan.matched) == ([], ["plan"])


def test_the_tenants_field_limit_is_kept() -> None:
    full = TicketFields(fields=[TicketField(key=f"f{n}", label=f"F{n}", type="text") for n in range(MAX_FIELDS)])
    plan = plan_fields(full, [SourceField(id="1", title="One more")], "zendesk")
    assert plan.skipped == {"One more": f"the tenant has {MAX_FIELDS} fields, the most it may"}
    assert plan.mappings == {}


def test_values_are_read_as_the_field_here_takes_them() -> None:
    plan = plan_fields(TicketFields(), [SourceField(id="1", title="Seats", kind="number"),
                                        SourceField(id="2", title="Urgent", kind="checkbox")], "zendesk")
    seats, urgent = plan.mappings["1"], plan.mappings["2"]
    assert [field_value(seats, raw) for raw in (40, "40", "2.5", "-3", None, "")] == [40, 40, 2.5, -3, None, None]
    assert [field_value(urgent, raw) for raw in (True, "false", "TRUE")] == [True, False, True]
