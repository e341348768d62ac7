"""Pictures in articles in a real browser, under the pages' own CSP (no bypass): an admin uploads a screenshot into a
new article on the console's knowledge screen, sees it in the preview, publishes the article, and the public help
centre (no sign-in) shows the picture."""

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

LOADED = "img => img.complete && img.naturalWidth > 0"


def png(width: int, height: int) -> bytes:
    """A real PNG (a blue box with a lighter band), small enough to write here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + (b"\x80\xc0\xff" if height // 3 <= y < 2 * height // 3 else b"\x20\x40\xa0") * width
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_an_admin_puts_a_picture_in_an_article_and_the_public_help_centre_shows_it(
        web_stack: LocalStack, browser: Any, tmp_path: Path) -> None:
    shot = tmp_path / "print dialog.png"
    shot.write_bytes(png(240, 120))
    # The served CSP applies: a picture the page fetched (blob:) or loads from the API must be allowed by it.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    sign_in(page, web_stack.url, user="ada", role="admin", email="ada@acme.example")
    page.goto(f"{web_stack.url}/console/#/kb")
    page.get_by_role("button", name="New article").click()
    page.wait_for_url("**/console/#/kb/**")
    article_id = page.url.rsplit("/", 1)[1]
    page.get_by_label("Title").fill("Printing a label")
    page.get_by_label("Add a picture (PNG, JPEG, GIF or WebP, at most 4 MB)").set_input_files(str(shot))
    page.get_by_text("Picture added: save to keep it in the article").wait_for()
    markdown = page.get_by_label("Markdown").input_value()
    assert f"![print dialog](/kb/public/acme/articles/{article_id}/images/" in markdown, markdown
    preview = page.locator("[aria-label=Preview] img.picture")
    preview.wait_for()
    page.wait_for_function(LOADED, arg=preview.element_handle())  # the draft's picture, fetched with the token
    assert preview.get_attribute("src", timeout=1000).startswith("blob:")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("status").filter(has_text="Published").wait_for()
    screenshot(page, "console-article-picture")

    public = context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # nobody signed in
    public.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    public.goto(f"{web_stack.url}/portal/#/help/acme/{article_id}")
    public.get_by_role("heading", name="Printing a label").wait_for()
    picture = public.locator(".markdown img.picture")
    picture.wait_for()
    public.wait_for_function(LOADED, arg=picture.element_handle())
    assert picture.get_attribute("alt") == "print dialog"
    assert picture.get_attribute("loading") == "lazy"
    assert picture.get_attribute("src").startswith(f"/kb/public/acme/articles/{article_id}/images/")
    assert public.evaluate("img => img.naturalWidth", picture.element_handle()) == 240
    screenshot(public, "portal-article-picture")
    assert not refused, refused
    assert not errors
    context.close()
