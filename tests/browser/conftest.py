"""Browser tests: Debian's Chromium driven by Playwright against a real `helpdesk serve` subprocess.

The browser is `/usr/bin/chromium` (infra/dev/web.sh installs it with apt-get when missing); Playwright's
own browser downloads are never used. The stack serves the built web front ends (web/dist, built by
`make test` before pytest runs); without a build or a browser these tests fail with the command to run.
"""

import asyncio
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import HELPDESK, ROOT, RUNNING, LocalStack, free_port
from tests.e2e.conftest import pytest_runtest_makereport as pytest_runtest_makereport  # threads on failure

CHROMIUM = os.environ.get("HELPDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DIST = ROOT / "web" / "dist"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).parent / "screenshots"

pytestmark = pytest.mark.browser


def _serve_args(port: int, aws_port: int) -> list[str]:
    args = [HELPDESK, "serve", "--port", str(port), "--aws-port", str(aws_port)]
    help_text = subprocess.run([HELPDESK, "serve", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    if "--smtp-port" in help_text:  # another stack (tests/e2e) may hold the default SMTP port
        args += ["--smtp-port", str(free_port())]
    return args


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    if not (DIST / "console" / "index.html").exists() or not (DIST / "widget" / "helpdesk-chat.js").exists():
        pytest.fail("web/dist is not built: run `bash infra/dev/web.sh build` (make test does)")
    home = tmp_path_factory.mktemp("helpdesk-web-home")
    port, aws_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HELPDESK_", "POWERTOOLS_"))}
    env["HELPDESK_HOME"] = str(home)
    log = home / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(_serve_args(port, aws_port), cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    RUNNING.append((process, log))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        if process.poll() is not None:
            pytest.fail(f"helpdesk serve exited early:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"helpdesk serve did not become healthy:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    yield LocalStack(url=url, home=home, env=env, log=log)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash infra/dev/web.sh browser` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()
    # Playwright's sync API marks its own loop as the running one; the in-process handler tests that
    # follow (Mangum) need a fresh, idle loop.
    asyncio.set_event_loop(asyncio.new_event_loop())


class PageErrors(list[str]):
    """Uncaught errors in the page: a test ends by asserting there were none."""


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # bypass_csp only so that axe-core can be injected; the app itself runs under the served CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors = PageErrors()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_violations(page: Any, selector: str | None = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (WCAG 2 A/AA rules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (sel) => {
            const r = await axe.run(sel ? { include: [sel] } : document,
                                    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
            return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
        }""", selector)
    return [v for v in result if v["impact"] in ("serious", "critical")]


def signed_in_tab(opened: Any, *, user: str, role: str, tenant: str = "acme") -> Any:
    """A tab a link opened (`noopener`: none of the first tab's session): signed in on the local sign-in page it
    lands on, after which it shows the page it was sent to."""
    opened.wait_for_url("**/dev/sign-in**")
    opened.fill("#user", user)
    opened.select_option("#role", role)
    opened.fill("#tenant", tenant)
    opened.click("[data-testid=sign-in]")
    return opened


def sign_in(page: Any, url: str, *, user: str = "", role: str, tenant: str = "acme", email: str = "",
            app: str = "console") -> None:
    """Through the local development sign-in page, as a person would."""
    page.goto(f"{url}/{app}/")
    page.wait_for_url("**/dev/sign-in**")
    page.fill("#user", user)
    page.select_option("#role", role)
    page.fill("#tenant", tenant)
    page.fill("#email", email)
    page.click("[data-testid=sign-in]")
    page.wait_for_url(f"**/{'portal' if role == 'customer' else app}/**")
    page.locator("[data-testid=signed-in-as]").wait_for()  # the page has taken the token from the address


def mailed(stack: LocalStack, to: str, saying: str) -> dict[str, Any]:
    """The last mail the stack sent `to` whose text says `saying` (`helpdesk mail outbox`), waited for: email_send
    follows the ticket events stream."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        out = stack.cli("mail", "outbox", "--limit", "500").stdout
        found = [m for m in (json.loads(line) for line in out.splitlines() if line.startswith("{"))
                 if to in (m["to"] or []) and saying in m["body"]]
        if found:
            return dict(found[-1])
        time.sleep(1)
    raise AssertionError(f"no mail to {to} saying {saying!r}")
