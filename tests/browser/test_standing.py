"""The console follows the team directory, not the token, in a real browser: an admin another admin demotes on the
Team screen still holds a token that says admin (tokens live an hour); at the console's next reload the admin
screens are gone and the header names the new role (the APIs refuse the old token's admin calls within 30 s:
tests/integration/directory/test_directory_api.py::test_the_team_screen_counts_before_tokens_expire)."""

from typing import Any

import pytest

from tests.browser.conftest import sign_in
from tests.e2e.conftest import LocalStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def test_a_demoted_admins_console_loses_the_admin_screens_without_signing_in_again(web_stack: LocalStack,
                                                                                  page: Any) -> None:
    sign_in(page, web_stack.url, user="max", role="admin", email="max@acme.example")  # enrolled as an admin
    nav = page.get_by_role("navigation", name="Sections")
    nav.get_by_role("link", name="Mail").wait_for()

    ada = web_stack.client(web_stack.token("ada", "admin", "acme"))
    demoted = ada.patch("/users/max", json={"role": "agent"})
    assert demoted.status_code == 200, demoted.text

    page.reload()  # the same token, which still says admin
    # named by their address (no name in the token), not their id
    page.locator("[data-testid=signed-in-as]", has_text="max@acme.example · agent · acme").wait_for()
    assert nav.get_by_role("link", name="Mail").count() == 0
    assert nav.get_by_role("link", name="Tickets").count() == 1
