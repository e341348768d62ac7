"""Custom ticket fields through the real ticket commands handler on moto: admins define them (versioned, audited),
agents read them, and tickets take values of the defined types while keeping the keys no definition names."""

from collections.abc import Callable
from typing import Any

from tests.conftest import claims, http_event

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]

CUSTOMER = claims("c1", "acme", "customer", email="dana@example.com")
AGENT = claims("a1", "acme", "agent")
ADMIN = claims("root", "acme", "admin")
OTHER_ADMIN = claims("root2", "acme", "admin")
FOREIGN_AGENT = claims("z1", "zeta", "agent")

PLAN: dict[str, Any] = {"key": "plan", "label": "Plan", "type": "dropdown", "options": ["free", "pro", "enterprise"]}
FIELDS: list[dict[str, Any]] = [
    {"key": "order_number", "label": "Order number", "type": "text", "description": "From the order mail"},
    PLAN,
    {"key": "affected_users", "label": "Affected users", "type": "number"},
    {"key": "needs_engineering", "label": "Needs engineering", "type": "checkbox"},
    {"key": "legacy_sku", "label": "Legacy SKU", "type": "text", "active": False},
]


def call(invoke: Invoke, method: str, path: str, who: dict[str, Any], body: Any = None,
         headers: dict[str, str] | None = None) -> dict[str, Any]:
    return invoke("ticket_commands", http_event(method, path, body=body, claims_=who, headers=headers))


def define(invoke: Invoke, fields: list[dict[str, Any]] = FIELDS) -> None:
    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": fields})
    assert saved["statusCode"] == 200, saved["json"]


def test_admins_define_the_fields_versioned_agents_read_them_and_customers_do_neither(
        aws: None, invoke: Invoke) -> None:
    first = call(invoke, "GET", "/ticket-fields", AGENT)
    assert (first["statusCode"], first["json"], first["headers"]["etag"]) == (
        200, {"fields": [], "forms": [], "version": 0}, '"0"')

    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": FIELDS}, headers={"if-match": '"0"'})
    assert (saved["statusCode"], saved["headers"]["etag"], saved["json"]["version"]) == (200, '"1"', 1)
    read = call(invoke, "GET", "/ticket-fields", AGENT)["json"]
    assert [f["key"] for f in read["fields"]] == [f["key"] for f in FIELDS]  # in the admin's order
    assert read["fields"][0] == {**FIELDS[0], "options": [], "active": True, "required_to_resolve": False,
                                 "customer_visible": False, "customer_editable": False,
                                 "required_for_customers": False}
    assert read["fields"][4]["active"] is False

    # another admin saves over the version both read: refused, and what was saved stands
    stale = call(invoke, "PUT", "/ticket-fields", OTHER_ADMIN, {"fields": FIELDS[:1]}, headers={"if-match": '"0"'})
    assert (stale["statusCode"], stale["json"]["error"]["code"]) == (409, "concurrent_update")
    assert len(call(invoke, "GET", "/ticket-fields", ADMIN)["json"]["fields"]) == len(FIELDS)
    again = call(invoke, "PUT", "/ticket-fields", OTHER_ADMIN, {"fields": FIELDS[:1]}, headers={"if-match": '"1"'})
    assert again["headers"]["etag"] == '"2"'

    assert call(invoke, "GET", "/ticket-fields", CUSTOMER)["json"]["fields"] == []  # none is shown to customers
    for who, method, status in ((CUSTOMER, "PUT", 403), (AGENT, "PUT", 403)):
        refused = call(invoke, method, "/ticket-fields", who, {"fields": []} if method == "PUT" else None)
        assert refused["statusCode"] == status, (who, method, refused["json"])
    assert call(invoke, "GET", "/ticket-fields", FOREIGN_AGENT)["json"]["fields"] == []  # tenants apart

    bad = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [{**PLAN, "options": []}]})
    assert (bad["statusCode"], bad["json"]["error"]["code"]) == (422, "validation_error")

    audited = invoke("audit_api", http_event("GET", "/audit", claims_=ADMIN, query={"kind": "tickets.fields"}))
    entries = audited["json"]["items"]
    assert [(e["action"], e["actor"]) for e in entries] == [("updated", "root2"), ("created", "root")]
    assert len(entries[0]["before"]["fields"]) == len(FIELDS)


def test_tickets_take_values_of_the_defined_types_and_keep_keys_no_definition_names(
        aws: None, invoke: Invoke) -> None:
    define(invoke)
    created = call(invoke, "POST", "/tickets", AGENT, {
        "subject": "Export fails", "description": "since the upgrade",
        "custom_fields": {"plan": "pro", "crm": {"id": 7}, "legacy_sku": "SKU-9"}})  # inactive: still taken
    assert created["statusCode"] == 201, created["json"]
    ticket = created["json"]
    assert ticket["custom_fields"] == {"plan": "pro", "crm": {"id": 7}, "legacy_sku": "SKU-9"}
    assert call(invoke, "GET", f"/tickets/{ticket['id']}", AGENT)["json"]["custom_fields"] == ticket["custom_fields"]

    # an agent fills two fields: merged into the ticket's own, the integration's keys stay
    patched = call(invoke, "PATCH", f"/tickets/{ticket['id']}", AGENT,
                   {"custom_fields": {"affected_users": 40, "needs_engineering": True, "order_number": "ORD-7"}},
                   headers={"if-match": created["headers"]["etag"]})
    assert patched["statusCode"] == 200, patched["json"]
    assert patched["json"]["custom_fields"] == {"plan": "pro", "crm": {"id": 7}, "legacy_sku": "SKU-9",
                                                "affected_users": 40, "needs_engineering": True,
                                                "order_number": "ORD-7"}

    cleared = call(invoke, "PATCH", f"/tickets/{ticket['id']}", AGENT, {"custom_fields": {"plan": None, "crm": None}})
    assert cleared["statusCode"] == 200, cleared["json"]
    assert cleared["json"]["custom_fields"].keys() == {"order_number", "affected_users", "needs_engineering",
                                                       "legacy_sku"}
    events = call(invoke, "GET", f"/tickets/{ticket['id']}/events", AGENT)["json"]
    changes = [e["data"] for e in events if e["type"] == "fields_changed"]
    assert [("plan" in c["from"], "plan" in c["to"]) for c in changes] == [(True, True), (True, False)]


def test_a_value_not_of_its_fields_type_is_422_naming_the_key_and_nothing_is_written(
        aws: None, invoke: Invoke) -> None:
    define(invoke)
    for key, value in (("plan", "gold"), ("plan", "Pro"), ("affected_users", "12"), ("affected_users", True),
                       ("needs_engineering", "yes"), ("order_number", "x" * 1001), ("legacy_sku", 5)):
        refused = call(invoke, "POST", "/tickets", AGENT,
                       {"subject": "s", "description": "d", "custom_fields": {"crm": 1, key: value}})
        assert refused["statusCode"] == 422, (key, value, refused["json"])
        error = refused["json"]["error"]
        assert error["code"] == "invalid_field_value"
        assert (error["details"]["field"], error["details"]["key"]) == ("custom_fields", key)
        if key == "plan":
            assert error["details"]["options"] == ["free", "pro", "enterprise"]
    assert call(invoke, "GET", "/tickets", AGENT)["json"]["items"] == []  # none was opened

    created = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "s", "description": "d"})
    ticket_id, version = created["json"]["id"], created["json"]["version"]
    refused = call(invoke, "PATCH", f"/tickets/{ticket_id}", AGENT,
                   {"priority": "high", "custom_fields": {"order_number": "ORD-1", "plan": "platinum"}})
    assert (refused["statusCode"], refused["json"]["error"]["details"]["key"]) == (422, "plan")
    after = call(invoke, "GET", f"/tickets/{ticket_id}", AGENT)["json"]
    assert (after["version"], after["priority"], after["custom_fields"]) == (version, "normal", {})

    customer_patch = call(invoke, "PATCH", f"/tickets/{ticket_id}", CUSTOMER, {"custom_fields": {"plan": "pro"}})
    assert customer_patch["statusCode"] == 403  # customers only say their ticket is solved
    assert call(invoke, "PATCH", f"/tickets/{ticket_id}", AGENT, {"custom_fields": {"plan": "pro"}})[
        "statusCode"] == 200
    assert call(invoke, "GET", f"/tickets/{ticket_id}", CUSTOMER)["json"]["custom_fields"] == {}  # the team's
    assert "fields_changed" not in [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket_id}/events",
                                                            CUSTOMER)["json"]]
    assert "fields_changed" in [e["type"] for e in call(invoke, "GET", f"/tickets/{ticket_id}/events",
                                                        AGENT)["json"]]
    whole_null = call(invoke, "PATCH", f"/tickets/{ticket_id}", AGENT, {"custom_fields": None})
    assert whole_null["statusCode"] == 422


def test_without_definitions_custom_fields_stay_free_form(aws: None, invoke: Invoke) -> None:
    created = call(invoke, "POST", "/tickets", AGENT, {"subject": "s", "description": "d",
                                                       "custom_fields": {"plan": 5, "order": {"lines": [1]}}})
    assert created["statusCode"] == 201, created["json"]
    patched = call(invoke, "PATCH", f"/tickets/{created['json']['id']}", AGENT, {"custom_fields": {"plan": "x"}})
    assert patched["json"]["custom_fields"] == {"plan": "x", "order": {"lines": [1]}}


def test_an_agent_fills_the_fields_required_to_solve_a_ticket_first(aws: None, invoke: Invoke) -> None:
    """"Plan" and "Needs engineering" required to resolve: an agent's resolve (one ticket, bulk) names what is
    missing and changes nothing; the customer's "solved", a merge and closing as spam are not solving by an agent."""
    define(invoke, [{**PLAN, "required_to_resolve": True},
                    {"key": "needs_engineering", "label": "Needs engineering", "type": "checkbox",
                     "required_to_resolve": True},
                    {"key": "legacy_sku", "label": "Legacy SKU", "type": "text", "active": False,
                     "required_to_resolve": True}])  # inactive: not asked for
    ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Export fails", "description": "d"})["json"]
    path = f"/tickets/{ticket['id']}"
    refused = call(invoke, "PATCH", path, AGENT, {"status": "resolved", "custom_fields": {"needs_engineering": False}})
    assert refused["statusCode"] == 422, refused["json"]
    assert (refused["json"]["error"]["code"], refused["json"]["error"]["details"]["keys"]) == (
        "required_fields", ["plan", "needs_engineering"])  # an unticked checkbox is not filled
    assert call(invoke, "GET", path, AGENT)["json"]["status"] == "new"
    bulk = invoke("agent_tools", http_event("POST", "/tickets/bulk", claims_=AGENT,
                                            body={"ids": [ticket["id"]], "changes": {"status": "closed"}}))
    assert [(r["outcome"], r["code"]) for r in bulk["json"]["results"]] == [("forbidden", "required_fields")]
    solved = call(invoke, "PATCH", path, AGENT, {"status": "resolved",
                                                 "custom_fields": {"plan": "pro", "needs_engineering": True}})
    assert (solved["statusCode"], solved["json"]["status"]) == (200, "resolved")

    by_customer = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Other", "description": "d"})["json"]
    assert call(invoke, "PATCH", f"/tickets/{by_customer['id']}", CUSTOMER, {"status": "resolved"})[
        "statusCode"] == 200
    duplicate = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Again", "description": "d"})["json"]
    target = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "First", "description": "d"})["json"]
    merged = call(invoke, "POST", f"/tickets/{duplicate['id']}/merge", AGENT, {"into": target["id"]})
    assert merged["statusCode"] == 200, merged["json"]
    junk = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Win!", "description": "d"})["json"]
    assert call(invoke, "POST", f"/tickets/{junk['id']}/spam", AGENT, {"block_sender": False})["statusCode"] == 200


def test_customers_see_the_fields_marked_for_them_on_their_ticket(aws: None, invoke: Invoke) -> None:
    """"Order number" is shown to customers, "Plan" is the team's: the customer's ticket (and their view of the
    definitions, for its label) has the one; lists and events show them none."""
    define(invoke, [{**FIELDS[0], "customer_visible": True}, PLAN,
                    {"key": "old_ref", "label": "Old ref", "type": "text", "active": False, "customer_visible": True}])
    ticket = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d"})["json"]
    path = f"/tickets/{ticket['id']}"
    assert call(invoke, "PATCH", path, AGENT, {"custom_fields": {"order_number": "ORD-7", "plan": "pro",
                                                                  "old_ref": "R1", "crm": 5}})["statusCode"] == 200
    assert call(invoke, "GET", path, CUSTOMER)["json"]["custom_fields"] == {"order_number": "ORD-7"}
    assert [f["key"] for f in call(invoke, "GET", "/ticket-fields", CUSTOMER)["json"]["fields"]] == ["order_number"]
    assert call(invoke, "GET", "/tickets", CUSTOMER)["json"]["items"][0]["custom_fields"] == {}  # lists: none
    assert call(invoke, "GET", path, AGENT)["json"]["custom_fields"] == {"order_number": "ORD-7", "plan": "pro",
                                                                         "old_ref": "R1", "crm": 5}


def test_customers_fill_in_the_fields_made_for_them_and_no_other(aws: None, invoke: Invoke) -> None:
    """"Order number" is the customers' to fill and required of them, "Plan" the team's: a customer's ticket
    without the order number, or with a team field or a key no field defines, is refused and nothing is written;
    with it the ticket opens carrying it, shown back to them. Mail and chat open tickets without any form."""
    define(invoke, [{**FIELDS[0], "customer_editable": True, "required_for_customers": True}, PLAN,
                    {"key": "old_ref", "label": "Old ref", "type": "text", "active": False, "customer_editable": True}])
    seen = call(invoke, "GET", "/ticket-fields", CUSTOMER)["json"]["fields"]
    assert [(f["key"], f["customer_visible"], f["required_for_customers"]) for f in seen] == [
        ("order_number", True, True)]  # editable implies shown; the inactive one is not offered

    missing = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d"})
    assert missing["statusCode"] == 422
    assert missing["json"]["error"]["code"] == "required_fields"
    assert missing["json"]["error"]["details"]["labels"] == ["Order number"]
    for foreign in ({"order_number": "ORD-1", "plan": "pro"}, {"order_number": "ORD-1", "crm_id": 5},
                    {"order_number": "ORD-1", "old_ref": "R1"}):
        refused = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d",
                                                              "custom_fields": foreign})
        assert refused["statusCode"] == 422, foreign
        assert refused["json"]["error"]["code"] == "invalid_field_value"
        assert refused["json"]["error"]["details"]["keys"] == sorted(set(foreign) - {"order_number"})
    wrong_type = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d",
                                                             "custom_fields": {"order_number": 7}})
    assert wrong_type["json"]["error"]["code"] == "invalid_field_value"
    assert call(invoke, "GET", "/tickets", AGENT)["json"]["items"] == []  # nothing written by the refusals

    opened = call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Refund", "description": "d",
                                                         "custom_fields": {"order_number": "ORD-7"}})
    assert opened["statusCode"] == 201, opened["json"]
    assert opened["json"]["custom_fields"] == {"order_number": "ORD-7"}
    assert call(invoke, "GET", f"/tickets/{opened['json']['id']}", AGENT)["json"]["custom_fields"] == {
        "order_number": "ORD-7"}
    # the team still opens tickets on a customer's behalf without the customer's form
    assert call(invoke, "POST", "/tickets", AGENT, {"subject": "Call", "description": "d",
                                                    "custom_fields": {"plan": "pro"}})["statusCode"] == 201


ORDER = {**FIELDS[0], "customer_editable": True, "required_for_customers": True}
BROWSER = {"key": "browser", "label": "Browser", "type": "text", "customer_editable": True,
           "required_for_customers": True}
ACCOUNT = {"key": "account_email", "label": "Account email", "type": "text", "customer_editable": True,
           "required_for_customers": True}  # in no form: asked of every request without a form
FORMS: list[dict[str, Any]] = [
    {"key": "billing", "name": "Billing question", "description": "Invoices, refunds", "fields": ["order_number"],
     "group": "billing"},
    {"key": "bug", "name": "Something is broken", "fields": ["browser", "order_number"]},
    {"key": "old", "name": "Old form", "fields": [], "active": False},
]


def test_customers_pick_a_request_form_that_asks_its_own_fields_and_opens_in_its_group(
        aws: None, invoke: Invoke) -> None:
    from helpdesk import bootstrap
    from tests.fakes import seed_directory

    seed_directory(bootstrap.container().directory_store, "acme", groups={"billing": ["a1"]})
    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [ORDER, BROWSER, ACCOUNT, PLAN], "forms": FORMS})
    assert saved["statusCode"] == 200, saved["json"]
    assert [f["key"] for f in saved["json"]["forms"]] == ["billing", "bug", "old"]  # what the console shows next
    assert [f["key"] for f in call(invoke, "GET", "/ticket-fields", CUSTOMER)["json"]["forms"]] == ["billing", "bug"]
    assert len(call(invoke, "GET", "/ticket-fields", AGENT)["json"]["forms"]) == 3  # the team sees the inactive too

    def open_(body: dict[str, Any]) -> dict[str, Any]:
        return call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Help", "description": "d", **body})

    # the billing form asks the order number only: the browser, required by the bug form, is not asked here
    missing = open_({"form": "billing"})
    assert (missing["statusCode"], missing["json"]["error"]["details"]["labels"]) == (422, ["Order number"])
    foreign = open_({"form": "billing", "custom_fields": {"order_number": "ORD-1", "browser": "Firefox"}})
    assert (foreign["statusCode"], foreign["json"]["error"]["details"]["keys"]) == (422, ["browser"])
    billing = open_({"form": "billing", "custom_fields": {"order_number": "ORD-1"}})
    assert billing["statusCode"] == 201, billing["json"]
    ticket = call(invoke, "GET", f"/tickets/{billing['json']['id']}", AGENT)["json"]
    assert (ticket["form"], ticket["group"], ticket["custom_fields"]) == ("billing", "billing",
                                                                          {"order_number": "ORD-1"})
    bug = open_({"form": "bug", "custom_fields": {"order_number": "ORD-2", "browser": "Firefox 133"}})
    assert (bug["statusCode"], bug["json"]["form"], bug["json"]["group"]) == (201, "bug", None)  # triage routes

    # without a form: the fields of no form that are required (the account email), not the forms' ones
    plain = open_({})
    assert (plain["statusCode"], plain["json"]["error"]["details"]["labels"]) == (422, ["Account email"])
    assert open_({"custom_fields": {"account_email": "dana@example.com"}})["statusCode"] == 201
    for form in ("old", "nope"):  # inactive, unknown
        refused = open_({"form": form, "custom_fields": {"order_number": "ORD-3"}})
        assert (refused["statusCode"], refused["json"]["error"]["code"],
                refused["json"]["error"]["details"]["field"]) == (422, "invalid_field_value", "form")
    # the team lists a form's tickets, and keeps a view of them
    listed = invoke("ticket_commands", http_event("GET", "/tickets", claims_=ADMIN, query={"form": "bug"}))
    assert [t["id"] for t in listed["json"]["items"]] == [bug["json"]["id"]]
    view = invoke("agent_tools", http_event("POST", "/views", claims_=ADMIN, body={
        "name": "Billing questions", "scope": "tenant", "filters": {"form": "billing"}}))
    assert view["statusCode"] == 201, view["json"]
    shown = invoke("agent_tools", http_event("GET", f"/views/{view['json']['id']}/tickets", claims_=ADMIN))
    assert [t["id"] for t in shown["json"]["items"]] == [billing["json"]["id"]]
    # an agent opening a ticket for a customer picks a form too: its group unless they choose one
    for_dana = call(invoke, "POST", "/tickets", AGENT, {"subject": "Call", "description": "d", "form": "billing",
                                                        "requester": {"email": "dana@example.com"}})
    assert (for_dana["statusCode"], for_dana["json"]["group"], for_dana["json"]["form"]) == (201, "billing",
                                                                                              "billing")


def test_a_form_asks_only_fields_customers_fill_and_opens_in_a_group_that_exists(aws: None, invoke: Invoke) -> None:
    for forms, code in (([{"key": "f", "name": "F", "fields": ["plan"]}], "validation_error"),  # the team's field
                        ([{"key": "f", "name": "F", "fields": ["nope"]}], "validation_error"),
                        ([{"key": "f", "name": "F", "fields": ["order_number", "order_number"]}], "validation_error"),
                        ([{"key": "f", "name": "F"}, {"key": "f", "name": "G"}], "validation_error"),
                        ([{"key": "F!", "name": "F"}], "validation_error"),
                        ([{"key": "f", "name": "F", "group": "nowhere"}], "invalid_assignment")):
        refused = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [ORDER, PLAN], "forms": forms})
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (422, code), (forms, refused["json"])
    assert call(invoke, "GET", "/ticket-fields", ADMIN)["json"]["version"] == 0  # nothing saved


def test_labels_options_and_form_names_of_nothing_visible_are_refused(aws: None, invoke: Invoke) -> None:
    """A label of zero-width characters was saved: a field with no name beside its input, a form with no name."""
    invisible = "\u200b\u200d"
    for body, where in (({"fields": [{**ORDER, "label": invisible}]}, "fields[0].label"),
                        ({"fields": [ORDER, {**PLAN, "options": ["Basic", invisible]}]}, "fields[1].options"),
                        ({"fields": [ORDER], "forms": [{"key": "f", "name": invisible, "fields": ["order_number"]}]},
                         "forms[0].name")):
        refused = call(invoke, "PUT", "/ticket-fields", ADMIN, body)
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (400, "invalid_input"), refused["json"]
        assert refused["json"]["error"]["details"]["field"] == where
    assert call(invoke, "GET", "/ticket-fields", ADMIN)["json"]["version"] == 0  # nothing saved


def test_a_field_required_of_customers_must_be_one_they_can_fill(aws: None, invoke: Invoke) -> None:
    refused = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [{**FIELDS[0], "required_for_customers": True}]})
    assert refused["statusCode"] == 422
    assert "customer_editable" in str(refused["json"]["error"]["details"])


def test_agents_list_tickets_and_views_by_field_values(aws: None, invoke: Invoke) -> None:
    """`GET /tickets?field=plan:enterprise` (repeatable: all must match), and a saved view of the same filter: the
    values as the ticket holds them, whatever their type; customers may not filter by the team's fields."""
    define(invoke)
    opened = []
    for values in ({"plan": "enterprise", "affected_users": 40, "needs_engineering": True},
                   {"plan": "enterprise", "affected_users": 3},
                   {"plan": "pro", "needs_engineering": True}):
        created = call(invoke, "POST", "/tickets", AGENT, {"subject": "s", "description": "d", "custom_fields": values})
        opened.append(created["json"]["id"])

    def listed(*filters: str, who: dict[str, Any] = AGENT) -> dict[str, Any]:
        return invoke("ticket_commands", http_event("GET", "/tickets", claims_=who,
                                                    multi_query={"field": list(filters)}))

    assert {t["id"] for t in listed("plan:enterprise")["json"]["items"]} == set(opened[:2])
    assert [t["id"] for t in listed("plan:enterprise", "needs_engineering:true")["json"]["items"]] == [opened[0]]
    assert [t["id"] for t in listed("affected_users:40")["json"]["items"]] == [opened[0]]
    assert listed("plan:free")["json"]["items"] == []
    bad = listed("plan")
    assert (bad["statusCode"], bad["json"]["error"]["code"]) == (400, "invalid_query_parameter")
    assert listed("plan:pro", who=CUSTOMER)["statusCode"] == 403

    view = invoke("agent_tools", http_event("POST", "/views", claims_=AGENT, body={
        "name": "Enterprise", "filters": {"fields": ["plan:enterprise"]}}))
    assert view["statusCode"] == 201, view["json"]
    tickets = invoke("agent_tools", http_event("GET", f"/views/{view['json']['id']}/tickets", claims_=AGENT))
    assert {t["id"] for t in tickets["json"]["items"]} == set(opened[:2])
    refused = invoke("agent_tools", http_event("POST", "/views", claims_=AGENT, body={
        "name": "Bad", "filters": {"fields": ["enterprise"]}}))
    assert refused["statusCode"] == 422


DEVICE = {"key": "device", "label": "Device", "type": "dropdown", "options": ["Laptop", "Phone"],
          "customer_editable": True, "required_for_customers": True}
SERIAL = {"key": "serial", "label": "Serial number", "type": "text", "customer_editable": True}
CARRIER = {"key": "carrier", "label": "Carrier", "type": "text", "customer_editable": True,
           "required_for_customers": True}
UNDER_WARRANTY = {"key": "warranty", "label": "Under warranty", "type": "checkbox", "customer_editable": True}
RECEIPT = {"key": "receipt", "label": "Receipt number", "type": "text", "customer_editable": True}
HARDWARE = {"key": "hardware", "name": "Broken device",
            "fields": ["device", "serial", "carrier", "warranty", "receipt"],
            "conditions": [{"when": "device", "value": "Laptop", "show": ["serial"], "required": ["serial"]},
                           {"when": "device", "value": "Phone", "show": ["carrier"], "required": []},
                           {"when": "warranty", "value": True, "show": ["receipt"], "required": ["receipt"]}]}


def test_a_form_asks_some_fields_only_after_a_given_answer(aws: None, invoke: Invoke) -> None:
    """Zendesk's conditional fields: "Device" Laptop asks the serial number (required then), Phone the carrier (its
    own `required_for_customers` counts only while it is asked), a ticked "Under warranty" the receipt. A value for
    a field the answers do not ask is refused, naming when it is asked."""
    fields = [DEVICE, SERIAL, CARRIER, UNDER_WARRANTY, RECEIPT]
    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": fields, "forms": [HARDWARE]})
    assert saved["statusCode"] == 200, saved["json"]
    assert call(invoke, "GET", "/ticket-fields", CUSTOMER)["json"]["forms"][0]["conditions"] == HARDWARE["conditions"]

    def open_(values: dict[str, Any]) -> dict[str, Any]:
        return call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Broken", "description": "d",
                                                           "form": "hardware", "custom_fields": values})

    laptop = open_({"device": "Laptop"})
    assert (laptop["statusCode"], laptop["json"]["error"]["details"]["labels"]) == (422, ["Serial number"])
    assert open_({"device": "Laptop", "serial": "SN-1"})["statusCode"] == 201  # the carrier is not asked of a laptop
    phone = open_({"device": "Phone", "serial": "SN-1", "carrier": "Telekom"})
    assert (phone["statusCode"], phone["json"]["error"]["details"]["keys"]) == (422, ["serial"])
    assert phone["json"]["error"]["message"] == ("custom_fields.serial is not a field the form 'Broken device' asks "
                                                 "with these answers (asked when device is Laptop)")
    assert open_({"device": "Phone"})["json"]["error"]["details"]["labels"] == ["Carrier"]
    assert open_({"device": "Phone", "carrier": "Telekom"})["statusCode"] == 201
    ticked = open_({"device": "Phone", "carrier": "Telekom", "warranty": True})
    assert ticked["json"]["error"]["details"]["labels"] == ["Receipt number"]
    assert open_({"device": "Phone", "carrier": "Telekom", "warranty": False, "receipt": "R-1"})["statusCode"] == 422
    made = open_({"device": "Phone", "carrier": "Telekom", "warranty": True, "receipt": "R-1"})
    assert (made["statusCode"], made["json"]["custom_fields"]) == (201, {
        "device": "Phone", "carrier": "Telekom", "warranty": True, "receipt": "R-1"})


def test_a_condition_names_a_choice_of_its_form_and_fields_after_it(aws: None, invoke: Invoke) -> None:
    def form(condition: dict[str, Any]) -> dict[str, Any]:
        return {**HARDWARE, "conditions": [condition]}

    for condition in ({"when": "serial", "value": "x", "show": ["carrier"]},  # a text field decides nothing
                      {"when": "device", "value": "Tablet", "show": ["serial"]},  # not one of its options
                      {"when": "warranty", "value": "yes", "show": ["receipt"]},  # a checkbox is true or false
                      {"when": "device", "value": "Laptop", "show": ["order_number"]},  # not the form's field
                      {"when": "device", "value": "Laptop", "show": ["device"]},
                      {"when": "device", "value": "Laptop", "show": ["serial"], "required": ["carrier"]},
                      {"when": "device", "value": "Laptop", "show": []}):
        refused = call(invoke, "PUT", "/ticket-fields", ADMIN, {
            "fields": [DEVICE, SERIAL, CARRIER, UNDER_WARRANTY, RECEIPT, ORDER], "forms": [form(condition)]})
        assert (refused["statusCode"], refused["json"]["error"]["code"]) == (422, "validation_error"), condition
    looping = {**HARDWARE, "conditions": [{"when": "device", "value": "Laptop", "show": ["warranty"]},
                                          {"when": "warranty", "value": True, "show": ["device"]}]}
    fields = [DEVICE, SERIAL, CARRIER, UNDER_WARRANTY, RECEIPT]
    refused = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": fields, "forms": [looping]})
    assert "itself" in str(refused["json"]["error"]["details"]), refused["json"]
    assert call(invoke, "GET", "/ticket-fields", ADMIN)["json"]["version"] == 0  # nothing saved


def test_a_field_a_condition_shows_may_decide_another_condition(aws: None, invoke: Invoke) -> None:
    """Nested: a phone asks whether it is under warranty, and a ticked warranty the receipt; a laptop asks neither,
    whatever the checkbox says. The fields may stand in any order in the form."""
    nested = {**HARDWARE, "fields": ["receipt", "warranty", "device"],
              "conditions": [{"when": "warranty", "value": True, "show": ["receipt"], "required": ["receipt"]},
                             {"when": "device", "value": "Phone", "show": ["warranty"]}]}
    saved = call(invoke, "PUT", "/ticket-fields", ADMIN, {"fields": [DEVICE, UNDER_WARRANTY, RECEIPT],
                                                          "forms": [nested]})
    assert saved["statusCode"] == 200, saved["json"]

    def open_(values: dict[str, Any]) -> dict[str, Any]:
        return call(invoke, "POST", "/tickets", CUSTOMER, {"subject": "Broken", "description": "d",
                                                           "form": "hardware", "custom_fields": values})

    assert open_({"device": "Phone", "warranty": True})["json"]["error"]["details"]["labels"] == ["Receipt number"]
    assert open_({"device": "Phone", "warranty": True, "receipt": "R-1"})["statusCode"] == 201
    assert open_({"device": "Laptop", "warranty": True})["json"]["error"]["details"]["keys"] == ["warranty"]
    assert open_({"device": "Laptop"})["statusCode"] == 201
