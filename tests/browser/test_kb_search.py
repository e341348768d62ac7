"""The knowledge base beside a ticket, in a real browser: the panel has searched the ticket's subject when the page
opens; an agent searches "export", inserts the link of "Export your data" at the end of the reply and sends it, and the
reply shows the link where customers read the article; "Open" shows the article in a new tab, the half-written reply
staying on the ticket. An internal article has no link to insert. The knowledge screen searches with the same box,
its hits opening the article."""

from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in, signed_in_tab
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TITLE = "Export your data"
INTERNAL = "Refund exceptions (agents only)"
FIRST_SEARCH_MS = 90_000  # the knowledge function's first search loads the embedder and the reader


def _article_link(web_stack: LocalStack, title: str) -> str:
    """Where a customer reads the article, as the search API gives it to an agent."""
    with web_stack.client(web_stack.token("alice", "agent", "acme")) as agent:
        hits = agent.get("/kb/search", params={"q": title, "k": 10}).json()["hits"]
    link: str = next(h["link"] for h in hits if h["title"] == title)
    return link


def test_an_agent_inserts_an_articles_link_into_the_reply(web_stack: LocalStack, page: Any) -> None:
    address = "noor@example.com"
    with web_stack.client(web_stack.token(f"email:{address}", "customer", "acme", email=address)) as customer:
        ticket: dict[str, Any] = customer.post("/tickets", json={
            "subject": "Can I take my tasks out of Tandem?",
            "description": "We are moving some projects elsewhere and need them as a file."}).json()
    sign_in(page, web_stack.url, user="alice", role="agent", email="alice@acme.example")
    page.goto(f"{web_stack.url}/console/#/t/{ticket['id']}")
    panel = page.locator("[data-testid=kb-search]")
    query = panel.get_by_label("Search articles")
    query.wait_for()
    assert query.input_value() == ticket["subject"]  # searched when the page opened
    panel.locator("[data-testid=kb-hit], [data-testid=kb-none]").first.wait_for(timeout=FIRST_SEARCH_MS)

    query.fill("export")
    query.press("Enter")
    titled = page.locator(".kb-hit-title").get_by_text(TITLE, exact=True)
    hit = panel.locator("[data-testid=kb-hit]").filter(has=titled)
    hit.wait_for()
    assert hit.count() == 1  # one article once, however many of its sections matched
    assert hit.locator("[data-testid=kb-open]").get_attribute("href") == "#/kb/seed-export-data"

    box = page.locator("[data-testid=reply-box]")
    box.fill("Hello Noor,\nyou can export any project as CSV or JSON:")
    hit.get_by_role("button", name="Insert link").click()
    link = _article_link(web_stack, TITLE)
    expected = f"Hello Noor,\nyou can export any project as CSV or JSON:\n{TITLE}: {link}"
    page.wait_for_function("([sel, text]) => document.querySelector(sel)?.value === text",
                           arg=["[data-testid=reply-box]", expected])
    panel.get_by_role("status").get_by_text(f"Link to “{TITLE}” inserted in the reply").wait_for()
    assert page.get_by_label("Internal note", exact=True).is_checked() is False  # a public reply stays public
    violations = axe_violations(page, "[data-testid=kb-search]")
    assert not violations, f"axe on the knowledge base panel: {violations}"
    screenshot(page, "console-ticket-kb-search")

    ticket_url = page.url
    with page.context.expect_page() as opened:
        hit.get_by_role("link", name=f"Open {TITLE} (opens in a new tab)").click()
    # A new tab has none of this tab's session (noopener): it signs in, then shows the article it was sent to.
    article = signed_in_tab(opened.value, user="alice", role="agent")
    article.locator("#article-title", has_text=TITLE).wait_for()
    assert article.url.endswith("#/kb/seed-export-data")
    article.close()
    assert page.url == ticket_url
    assert box.input_value() == expected  # the reply being written is still there

    box.press("Control+Enter")  # sent from the keyboard, as the send button would
    sent = page.locator("[data-testid=public-message]", has_text="you can export any project")
    sent.locator(f"a[href='{link}']").wait_for()
    assert f"{TITLE}: {link}" in sent.inner_text()
    assert box.input_value() == ""

    # An internal article: the agent may read it, no customer can open it, so there is no link to insert.
    query.fill(INTERNAL)
    panel.get_by_role("button", name="Search").click()
    internal = panel.locator("[data-testid=kb-hit]").filter(has=page.locator(".kb-hit-title").get_by_text(INTERNAL))
    internal.get_by_text("Agents only: no customer can open it").wait_for()
    assert internal.locator(".badge-internal").inner_text() == "internal"
    assert internal.get_by_role("button", name="Insert link").count() == 0

    # The knowledge screen searches with the same box; a hit opens the article.
    page.goto(f"{web_stack.url}/console/#/kb")
    screen = page.locator("[data-testid=kb-search]")
    screen.get_by_label("Search articles").fill("export")
    screen.get_by_role("button", name="Search").click()
    screen.locator(".kb-hit-title a", has_text=TITLE).click()
    page.locator("#article-title", has_text=TITLE).wait_for()
    assert page.url.endswith("#/kb/seed-export-data")
    assert not page.errors
