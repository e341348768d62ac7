"""The chat widget on an English page, in a real browser on the local stack: a visitor who writes Spanish is answered
in Spanish, and the widget's own words (its box, its buttons, the answers to the assistant's question) follow the
conversation, so "¿Lo hago? Responda sí o no." is not answered with buttons reading "Yes" and "No". The panel stays
open and the offer's answers stay shown while the words change; after a reload the widget speaks Spanish at once."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_the_widget_speaks_the_language_the_visitor_writes_in(web_stack: LocalStack, page: Any) -> None:
    page.goto(web_stack.url + "/widget/demo.html")  # the page is English
    page.click("[data-testid=chat-launcher]")
    expect(page.locator("[data-testid=chat-send]")).to_have_text("Send")

    page.fill("[data-testid=chat-input]", "Quiero hablar con una persona, por favor")
    page.click("[data-testid=chat-send]")

    answer = page.locator("[data-testid=chat-message][data-role=assistant]").last
    expect(answer).to_contain_text("¿Lo hago?", timeout=60_000)
    expect(page.locator("[data-testid=chat-confirm-yes]")).to_have_text("Sí")
    expect(page.locator("[data-testid=chat-confirm-yes]")).to_be_visible()  # the offer's answers, still offered
    expect(page.locator("[data-testid=chat-send]")).to_have_text("Enviar")
    expect(page.locator("[data-testid=chat-input]")).to_have_attribute("placeholder", "Escriba su pregunta…")
    expect(page.locator("[data-testid=chat-launcher]")).to_have_attribute("aria-expanded", "true")
    screenshot(page, "widget-follows-the-conversation")

    page.reload()  # the conversation is kept for the tab: back in Spanish at once, its question still open
    page.click("[data-testid=chat-launcher]")
    expect(page.locator("[data-testid=chat-confirm-yes]")).to_have_text("Sí")
    expect(page.locator("[data-testid=chat-send]")).to_have_text("Enviar")
    page.click("[data-testid=chat-confirm-no]")
    expect(page.locator("[data-testid=chat-message][data-role=assistant]").last).to_contain_text("¿", timeout=60_000)
    assert not page.errors
