"""Custom ticket fields on the in-memory fakes: what a definition may be, which values each type takes, how a
change merges into a ticket's fields, and who reads and saves the definitions."""

from typing import Any

import pytest
from pydantic import ValidationError

from helpdesk.audit.service import AuditTrail
from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden, InvalidFieldValue, MissingRequiredFields, TooLarge
from helpdesk.kernel.principal import Principal, Role
from helpdesk.tickets.fields import TicketField, TicketFieldDefinitions, TicketFields, merged_values
from helpdesk.tickets.model import Channel, Priority
from helpdesk.tickets.service import CreateTicket, TicketService, UpdateTicket
from tests.fakes import InMemoryAuditStore, InMemoryTicketFieldStore, InMemoryTicketRepository

TENANT = "acme"
ADMIN = Principal(user_id="ad", tenant_id=TENANT, role=Role.ADMIN)
AGENT = Principal(user_id="a1", tenant_id=TENANT, role=Role.AGENT)
CUSTOMER = Principal(user_id="c1", tenant_id=TENANT, role=Role.CUSTOMER, email="c1@example.com", email_verified=True)

FIELDS = TicketFields(fields=[
    TicketField(key="order_number", label="Order number", type="text"),
    TicketField(key="plan", label="Plan", type="dropdown", options=["free", "pro", "enterprise"]),
    TicketField(key="affected_users", label="Affected users", type="number"),
    TicketField(key="needs_engineering", label="Needs engineering", type="checkbox"),
    TicketField(key="legacy_sku", label="Legacy SKU", type="text", active=False),
])


def field(**kw: Any) -> TicketField:
    return TicketField.model_validate({"key": "plan", "label": "Plan", "type": "text", **kw})


def test_a_definition_has_a_stable_key_and_options_only_when_a_dropdown() -> None:
    for key in ("Plan", "plan-name", "", "x" * 41, "plan name"):
        with pytest.raises(ValidationError):
            field(key=key)
    with pytest.raises(ValidationError, match="needs 1 to 50 options"):
        field(type="dropdown")
    with pytest.raises(ValidationError, match="only a dropdown has options"):
        field(type="text", options=["a"])
    with pytest.raises(ValidationError, match="distinct"):
        field(type="dropdown", options=["pro", " pro "])
    with pytest.raises(ValidationError):
        field(type="dropdown", options=[str(n) for n in range(51)])
    with pytest.raises(ValidationError, match="a label is needed"):
        field(label="   ")
    assert field(label="  Order\n number ", description=" Where\tto find it ").label == "Order number"
    with pytest.raises(ValidationError, match="each key once: plan repeated"):
        TicketFields(fields=[field(), field(label="Again")])
    with pytest.raises(ValidationError):
        TicketFields(fields=[field(key=f"f{n}") for n in range(51)])


@pytest.mark.parametrize(("key", "value"), [
    ("order_number", "ORD-1"), ("order_number", ""), ("order_number", "x" * 1000), ("plan", "pro"),
    ("affected_users", 12), ("affected_users", 2.5), ("affected_users", -1), ("needs_engineering", False),
    ("plan", None), ("legacy_sku", "SKU-9"),  # null clears; an inactive field's value is still taken
    ("anything_else", {"nested": [1, "two"]}),  # a key no definition names: free-form, as integrations send it
])
def test_values_of_their_type_are_taken(key: str, value: Any) -> None:
    FIELDS.check({key: value})


@pytest.mark.parametrize(("key", "value"), [
    ("order_number", 42), ("order_number", "x" * 1001), ("plan", "Pro"), ("plan", ["pro"]),
    ("affected_users", "12"), ("affected_users", True), ("affected_users", float("nan")),
    ("needs_engineering", "yes"), ("needs_engineering", 1), ("legacy_sku", 7),
])
def test_a_value_not_of_its_type_is_refused_naming_the_key(key: str, value: Any) -> None:
    with pytest.raises(InvalidFieldValue) as refused:
        FIELDS.check({"anything_else": 1, key: value})
    assert refused.value.details["field"] == "custom_fields"
    assert refused.value.details["key"] == key
    if key == "plan":
        assert refused.value.details["options"] == ["free", "pro", "enterprise"]


def test_a_change_merges_into_the_tickets_fields_and_null_removes_a_key() -> None:
    assert merged_values({"order": "1", "plan": "pro"}, {"plan": None, "seats": 5}) == {"order": "1", "seats": 5}
    assert merged_values({}, {"gone": None}) == {}
    with pytest.raises(TooLarge):
        merged_values({f"k{n}": n for n in range(100)}, {"one_more": 1})
    with pytest.raises(TooLarge):
        merged_values({"a": "x" * 20_000}, {"b": "y" * 20_000})


@pytest.fixture
def tickets() -> tuple[TicketService, InMemoryTicketRepository, InMemoryTicketFieldStore]:
    store, repository = InMemoryTicketFieldStore(), InMemoryTicketRepository()
    store.put(TENANT, FIELDS)
    store.reads = 0
    return TicketService(repository, fields=store), repository, store


def test_tickets_take_defined_values_of_their_type_and_keep_what_integrations_sent(
        tickets: tuple[TicketService, InMemoryTicketRepository, InMemoryTicketFieldStore]) -> None:
    service, repository, store = tickets
    with pytest.raises(InvalidFieldValue):
        service.create(AGENT, CreateTicket(subject="s", description="d", custom_fields={"plan": "gold"}))
    assert list(repository.tickets()) == []  # nothing written
    ticket = service.create(AGENT, CreateTicket(subject="s", description="d",
                                                   custom_fields={"plan": "pro", "crm_id": 7, "order_number": None}))
    assert ticket.custom_fields == {"plan": "pro", "crm_id": 7}

    changed = service.update(AGENT, ticket.id, UpdateTicket(custom_fields={"plan": None, "affected_users": 3}))
    assert changed.custom_fields == {"crm_id": 7, "affected_users": 3}  # merged: the integration's key stays
    with pytest.raises(InvalidFieldValue):
        service.update(AGENT, ticket.id, UpdateTicket(custom_fields={"needs_engineering": "yes"}))
    assert repository.stored(TENANT, ticket.id).version == changed.version

    reads = store.reads
    service.update(AGENT, ticket.id, UpdateTicket(priority=Priority.HIGH))
    service.create(AGENT, CreateTicket(subject="s", description="d"))
    assert store.reads == reads  # no custom fields sent: no definitions read
    service.create(CUSTOMER, CreateTicket(subject="s", description="d"))
    assert store.reads == reads + 1  # a customer's: a field may be required of them


def test_agents_read_the_definitions_and_only_admins_save_them_audited() -> None:
    store, audit = InMemoryTicketFieldStore(), InMemoryAuditStore()
    definitions = TicketFieldDefinitions(store, audit=AuditTrail(audit))
    assert definitions.view(AGENT).version == 0
    assert definitions.view(CUSTOMER).fields == []  # customers read only the fields shown to them
    with pytest.raises(Forbidden):
        definitions.replace(AGENT, FIELDS)
    saved = definitions.replace(ADMIN, FIELDS, expected_version=0)
    assert (saved.version, [f.key for f in definitions.view(AGENT).fields]) == (1, [f.key for f in FIELDS.fields])
    with pytest.raises(ConcurrentUpdate):
        definitions.replace(ADMIN, TicketFields(), expected_version=0)
    definitions.replace(ADMIN, TicketFields(fields=FIELDS.fields[:1]), expected_version=1)
    assert [(e.kind, e.action) for e in audit.entries] == [("tickets.fields", "created"), ("tickets.fields", "updated")]


def test_customers_fill_only_their_fields_and_the_chat_asks_for_none() -> None:
    store, repository = InMemoryTicketFieldStore(), InMemoryTicketRepository()
    store.put(TENANT, TicketFields(fields=[
        TicketField(key="order_number", label="Order number", type="text", customer_editable=True,
                    required_for_customers=True),
        TicketField(key="plan", label="Plan", type="dropdown", options=["free", "pro"]),
    ]))
    service = TicketService(repository, fields=store)
    assert store.get(TENANT)[0].fields[0].customer_visible  # what they typed is theirs to see
    with pytest.raises(MissingRequiredFields):
        service.create(CUSTOMER, CreateTicket(subject="s", description="d", custom_fields={"order_number": " "}))
    with pytest.raises(InvalidFieldValue):
        service.create(CUSTOMER, CreateTicket(subject="s", description="d",
                                              custom_fields={"order_number": "A1", "plan": "pro"}))
    ticket = service.create(CUSTOMER, CreateTicket(subject="s", description="d",
                                                   custom_fields={"order_number": "A1", "plan": None}))
    assert ticket.custom_fields == {"order_number": "A1"}  # a null for a team field asks nothing
    # a signed-in visitor handed over from the chat: no form was shown, so nothing is required
    chat = service.create(CUSTOMER, CreateTicket(subject="s", description="d", channel=Channel.CHAT))
    assert chat.custom_fields == {}


def test_field_values_are_filtered_as_key_value_terms_of_one_form() -> None:
    from helpdesk.kernel.errors import InvalidInput
    from helpdesk.tickets.fields import field_filter, field_terms

    values = {"plan": "pro", "seats": 40.0, "ratio": 0.5, "vip": True, "trial": False, "crm": {"id": 7},
              "tags": ["a"], "blank": " "}
    assert field_terms(values) == ["plan=pro", "ratio=0.5", "seats=40", "trial=false", "vip=true"]
    assert field_filter("plan:pro") == "plan=pro"
    assert field_filter(" seats : 40 ") == "seats=40"
    assert field_filter("url:https://x.example/a") == "url=https://x.example/a"  # only the first colon splits
    for bad in ("plan", "plan:", ":pro", "", "x:" + "y" * 1_200):
        with pytest.raises(InvalidInput):
            field_filter(bad)
