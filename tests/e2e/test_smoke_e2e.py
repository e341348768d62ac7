"""`helpdesk smoke` against a real `helpdesk serve`: every step passes, each is printed, and it cleans up
(the chat ended, the article archived and out of search, the ticket closed)."""

import re

import httpx
import pytest

from helpdesk.cli.smoke import run_smoke
from tests.e2e.conftest import LocalStack

pytestmark = pytest.mark.e2e


def test_smoke_walks_every_step_and_cleans_up(stack: LocalStack) -> None:
    done = stack.cli("smoke", "--tenant", "smoke-e2e")
    out = done.stdout
    print(out)  # each step with its time (pytest -s)
    assert done.returncode == 0, out + done.stderr
    for step in ("API reachable", "sign in a test admin", "create a ticket", "read the ticket back",
                 "publish a knowledge base article", "search the knowledge base", "start a chat",
                 "ask the chat", "clean up: end the chat", "clean up: archive the article",
                 "clean up: close the ticket", "clean up: delete the test admin"):
        assert re.search(rf"^\[ok\] +\d+\. {re.escape(step)}", out, re.M), f"{step!r} missing:\n{out}"
    assert "smoke: all steps passed" in out

    ticket_id = re.search(r"clean up: close the ticket (\w+)", out)
    article_id = re.search(r"clean up: archive the article (\w+)", out)
    assert ticket_id
    assert article_id
    admin = stack.client(stack.token("auditor", "admin", "smoke-e2e"))
    assert admin.get(f"/tickets/{ticket_id[1]}").json()["status"] == "closed"
    assert admin.get(f"/kb/articles/{article_id[1]}").json()["status"] == "archived"
    hits = admin.get("/kb/search", params={"q": "calibrate flux capacitor"}).json()["hits"]
    assert article_id[1] not in [h["article_id"] for h in hits]


def test_a_failed_step_is_printed_the_rest_skipped_and_cleanup_still_runs(stack: LocalStack) -> None:
    signed_out: list[bool] = []
    lines: list[str] = []

    def sign_out() -> str:
        signed_out.append(True)
        return "gone"

    with httpx.Client(base_url=stack.url + "/nowhere", timeout=10) as http:
        ok = run_smoke(http, sign_in=lambda: ("t", "nobody"), sign_out=sign_out, echo=lines.append)
    out = "\n".join(lines)
    assert ok is False
    assert re.search(r"^\[FAIL\] 1\. API reachable .*answered 404", out, re.M), out
    assert "sign in a test admin" not in out
    assert signed_out == [True]
    assert re.search(r"^\[ok\] +2\. clean up: delete the test admin", out, re.M), out
    assert out.endswith("smoke: FAILED")
