"""A request form that asks some fields only after a given answer, in a real browser against the API: the admin adds
"When Device is Laptop, ask Serial number (required)" on the Ticket fields screen beside a condition the form had;
the customer picks "Broken device", answers "Laptop" and is then asked the serial number, changes to "Phone" and is
asked the carrier instead; what is no longer asked is not sent, and the API takes the request."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "devicefix"  # its own tenant: the session's stack is shared with the other browser tests
FIELDS = [
    {"key": "device", "label": "Device", "type": "dropdown", "options": ["Laptop", "Phone"],
     "customer_editable": True, "required_for_customers": True},
    {"key": "serial", "label": "Serial number", "type": "text", "customer_editable": True},
    {"key": "carrier", "label": "Carrier", "type": "text", "customer_editable": True},
]
FORM = {"key": "hardware", "name": "Broken device", "fields": ["device", "serial", "carrier"],
        "conditions": [{"when": "device", "value": "Phone", "show": ["carrier"], "required": []}]}


def test_a_customer_is_asked_the_fields_their_answers_call_for(web_stack: LocalStack, page: Any) -> None:
    with web_stack.client(web_stack.token("ada", "admin", TENANT)) as admin:
        saved = admin.put("/ticket-fields", json={"fields": FIELDS, "forms": [FORM]})
        assert saved.status_code == 200, saved.text

    sign_in(page, web_stack.url, user="ada", role="admin", tenant=TENANT, email="ada@devicefix.example")
    page.goto(f"{web_stack.url}/console/#/fields")
    card = page.locator("[data-testid=ticket-form]", has_text="Broken device")
    conditions = card.locator("[data-testid=form-condition]")
    expect(conditions).to_have_count(1)  # the one the form has, shown
    card.get_by_role("button", name="Add condition").click()
    added = conditions.last
    added.locator("[name=condition-when]").select_option(label="Device")
    added.locator("[name=condition-value]").select_option("Laptop")
    added.locator("[name=condition-show][value=serial]").check()
    added.locator("[name=condition-required][value=serial]").check()
    violations = axe_violations(page, "[data-testid=ticket-forms]")
    assert not violations, f"axe on the request forms: {violations}"
    screenshot(page, "console-form-conditions")
    with page.expect_response(lambda r: r.request.method == "PUT" and r.url.endswith("/ticket-fields")) as put:
        page.get_by_role("button", name="Save ticket fields").click()
    assert put.value.status == 200, put.value.text()
    assert put.value.request.post_data_json["forms"][0]["conditions"] == [
        *FORM["conditions"], {"when": "device", "value": "Laptop", "show": ["serial"], "required": ["serial"]}]

    sign_in(page, web_stack.url, role="customer", tenant=TENANT, email="kim@devicefix.example",
            user="email:kim@devicefix.example", app="portal")
    page.goto(f"{web_stack.url}/portal/#/new")
    page.locator("[data-testid=request-forms]").get_by_label("Broken device").check()
    page.locator("[data-testid=new-subject]").fill("Screen flickers")
    page.locator("[data-testid=new-description]").fill("Since the last update.")
    serial = page.locator("[data-testid=field-serial]")
    expect(serial).to_have_count(0)  # not asked before the device is named
    page.locator("[data-testid=field-device]").select_option("Laptop")
    expect(page.locator("label", has=serial)).to_contain_text("Serial number (required)")
    serial.fill("SN-4471")
    page.locator("[data-testid=field-device]").select_option("Phone")  # changed their mind: another question
    expect(serial).to_have_count(0)
    page.locator("[data-testid=field-carrier]").fill("Telekom")
    violations = axe_violations(page, "form")
    assert not violations, f"axe on the request form: {violations}"
    screenshot(page, "portal-conditional-fields")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/tickets")) as opened:
        page.locator("[data-testid=new-submit]").click()
    assert opened.value.status == 201, opened.value.text()
    assert opened.value.request.post_data_json["custom_fields"] == {"device": "Phone", "carrier": "Telekom"}
    assert not page.errors
