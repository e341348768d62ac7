"""A visitor the site signed in, in a real browser on the local stack: an admin creates an identity key on the
Integrations screen (its secret shown once), the site's page carries a token signed with it (`data-identity`), and the
visitor's hand-over opens a ticket for their verified address without asking for it."""

import re
import time
from typing import Any

import jwt
import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TENANT = "signedco"  # a tenant of its own: at most two keys a tenant, and the other stories chat anonymously
VISITOR = "kim@signedco-customer.example"
TURN_MS = 90_000  # the stack's first chat turn may load the embedder


def test_a_signed_in_visitor_is_handed_over_without_typing_an_address(web_stack: LocalStack, page: Any) -> None:
    sign_in(page, web_stack.url, user="root", role="admin", tenant=TENANT, email="root@signedco.example")
    page.goto(f"{web_stack.url}/console/#/integrations")
    panel = page.locator("[data-testid=widget-identity-keys]")
    panel.get_by_role("button", name="Create identity key").click()
    secret = panel.locator("[data-testid=identity-secret]")
    value = secret.locator("[name=identity-secret-value]").input_value()
    kid = panel.locator("[data-testid=widget-identity-key] code").first.inner_text()
    screenshot(page, "console-widget-identity-key")
    secret.get_by_role("button", name="I have stored it").click()

    token = jwt.encode({"email": VISITOR, "name": "Kim Example", "exp": int(time.time()) + 3600}, value,
                       algorithm="HS256", headers={"kid": kid})
    site = f"{web_stack.url}/widget/signedco-site.html"
    page.route(site, lambda route: route.fulfill(content_type="text/html", body=(
        '<!doctype html><html lang="en"><head><title>Signedco account</title></head><body><h1>Your account</h1>'
        f'<script src="/widget/helpdesk-chat.js" data-tenant="{TENANT}" data-identity="{token}"></script>'
        '</body></html>')))
    page.goto(site)
    page.click("[data-testid=chat-launcher]")
    page.click("[data-testid=chat-handoff]")
    confirm = page.locator("[data-testid=chat-confirm-yes]")
    confirm.wait_for(state="visible", timeout=TURN_MS)
    confirm.click()
    created = page.locator("[data-testid=chat-message]", has_text=re.compile(r"T-\d{6}")).last
    created.wait_for(timeout=TURN_MS)
    assert not page.locator("[data-testid=chat-email]").is_visible()  # never asked: the site said who this is
    screenshot(page, "widget-identified-handover")
    number = re.search(r"T-\d{6}", created.inner_text())
    assert number

    with web_stack.client(web_stack.token("root", "admin", TENANT)) as admin:
        ticket = next(t for t in admin.get("/tickets", params={"limit": 100}).json()["items"]
                      if t["number"] == number.group(0))
    assert (ticket["requester"]["email"], ticket["requester"]["email_verified"]) == (VISITOR, True)
    assert ticket["requester"]["name"] == "Kim Example"
    assert page.errors == []
