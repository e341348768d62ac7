"""An article in another language, in a real browser: an admin opens a sample article on the console's knowledge
screen, clicks Translate, writes the German version over the English original, creates and publishes it; the public
help centre (no sign-in) in a German browser then lists the article once, by its German title, and the German page
links the English one back ("Auch auf: English")."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import axe_violations, screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ORIGINAL = "seed-two-factor-authentication"
ENGLISH = "Two-factor authentication (2FA)"
GERMAN = "Zwei-Faktor-Authentifizierung (2FA)"
GERMAN_BODY = ("Öffnen Sie **Einstellungen > Sicherheit** und wählen Sie **2FA einschalten**. "
               "Scannen Sie den QR-Code mit Ihrer Authenticator-App und geben Sie den Code ein.\n")


@pytest.fixture
def no_translation_after(web_stack: LocalStack) -> Iterator[None]:
    """The stack is the session's: the German version is archived again, so the other stories search and browse the
    sample help centre as shipped."""
    yield
    with web_stack.client(web_stack.token("admin-translations", "admin", "acme")) as admin:
        original = admin.get(f"/kb/articles/{ORIGINAL}").json()
        for translation in original["translations"]:
            if translation["language"] == "de" and translation["status"] != "archived":
                assert admin.post(f"/kb/articles/{translation['id']}/archive").status_code == 200


def test_an_admin_translates_an_article_and_the_german_help_centre_shows_it(
        web_stack: LocalStack, page: Any, browser: Any, no_translation_after: None) -> None:
    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/kb/{ORIGINAL}")
    page.locator("#article-title", has_text=ENGLISH).wait_for()
    languages = page.locator("[data-testid=article-translations]")
    languages.get_by_text("None yet: this article is only in English.").wait_for()
    languages.get_by_role("button", name="Translate").click()

    page.wait_for_url(f"**/console/#/kb/{ORIGINAL}/translate")
    form = page.locator("[data-testid=translation-form]")
    title = form.get_by_label("Title")
    title.wait_for()
    assert title.input_value() == ENGLISH  # the original's, to write over
    assert form.get_by_label("Markdown").input_value().startswith("Two-factor authentication asks")
    page.get_by_text("Listed with it in the help centre: section “Account and sign-in”, public").wait_for()
    form.get_by_label("Language").select_option("de")
    title.fill(GERMAN)
    form.get_by_label("Markdown").fill(GERMAN_BODY)
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the new translation's form: {violations}"
    screenshot(page, "console-kb-translate")
    form.get_by_role("button", name="Create translation").click()

    page.locator("#article-title", has_text=GERMAN).wait_for()
    german_id = page.url.rsplit("/", 1)[1]
    assert german_id not in ("translate", ORIGINAL)
    translation_of = page.locator("[data-testid=translation-of]")
    assert translation_of.inner_text() == f"Translation of {ENGLISH} (English)"
    assert translation_of.get_by_role("link", name=ENGLISH).get_attribute("href") == f"#/kb/{ORIGINAL}"
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("status").filter(has_text="Published").wait_for()
    violations = axe_violations(page, "main")
    assert not violations, f"axe on the translation's page: {violations}"
    screenshot(page, "console-kb-translation")
    # the original lists it among its languages
    page.goto(f"{web_stack.url}/console/#/kb/{ORIGINAL}")
    row = page.locator("[data-testid=translation]", has_text="Deutsch")
    row.wait_for()
    assert row.get_by_role("link", name=GERMAN).get_attribute("href") == f"#/kb/{german_id}"
    assert row.locator(".badge").inner_text() == "published"
    assert not page.errors

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="de-DE")
    context.set_default_timeout(20_000)
    public = context.new_page()  # nobody signed in, a German browser
    errors: list[str] = []
    public.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        public.goto(f"{web_stack.url}/portal/#/help/acme")
        articles = public.locator("[data-testid=help-center-articles]")
        articles.get_by_role("link", name=GERMAN).wait_for()
        assert articles.get_by_role("link", name=ENGLISH).count() == 0  # one article, in the reader's language
        assert articles.locator("li", has_text=GERMAN).get_attribute("lang") == "de"
        assert public.evaluate("document.documentElement.lang") == "de"
        violations = axe_violations(public)
        assert not violations, f"axe on the German help centre: {violations}"

        articles.get_by_role("link", name=GERMAN).click()
        public.get_by_role("heading", name=GERMAN, level=1).wait_for()
        also = public.locator("[data-testid=also-in]")
        assert also.inner_text() == "Auch auf: English"
        english = also.get_by_role("link", name="English")
        assert english.get_attribute("hreflang") == "en"
        assert english.get_attribute("lang") == "en"
        assert english.get_attribute("href") == f"#/help/acme/{ORIGINAL}"
        violations = axe_violations(public)
        assert not violations, f"axe on the German article: {violations}"
        screenshot(public, "portal-article-also-in")

        english.click()
        public.get_by_role("heading", name=ENGLISH, level=1).wait_for()
        assert also.get_by_role("link", name="Deutsch").get_attribute("href") == f"#/help/acme/{german_id}"
        assert not errors
    finally:
        context.close()
