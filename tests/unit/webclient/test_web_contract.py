"""The web client's OpenAPI documents match the apps, and the local stack serves the web front ends.

web/openapi/*.json feed the generated TypeScript types (web/src/api/schema/*.ts; Vitest checks those
against the documents). A changed API fails here until `npm --prefix web run gen:api` is run.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from starlette.testclient import TestClient

from helpdesk.kernel.principal import Principal, Role, TicketAccess
from helpdesk.local.web import CSP, WebFrontend
from helpdesk.web.errors import error_response

ROOT = Path(__file__).resolve().parents[3]


def _dump_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_dump_openapi", ROOT / "web" / "scripts" / "dump_openapi.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_committed_openapi_documents_match_the_apps() -> None:
    stale = _dump_script().stale()
    assert not stale, f"web/openapi/{stale} differ from the apps: run `npm --prefix web run gen:api` and commit"


async def _api(scope, receive, send) -> None:
    await error_response(404, "not_found", f"no route for {scope['path']}")(scope, receive, send)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enrolled: list[Principal]) -> TestClient:
    monkeypatch.setenv("HELPDESK_HOME", str(tmp_path / "home"))
    dist = tmp_path / "dist"
    (dist / "console").mkdir(parents=True)
    (dist / "console" / "index.html").write_text("<!doctype html><title>console</title>")
    (dist / "assets").mkdir()
    (dist / "assets" / "app-1234.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("do not serve")
    def enrol(person: Principal) -> Principal:  # as `Enrolment.token_identity`: the directory's groups and access
        enrolled.append(person)
        return person.model_copy(update={"groups": ("billing",), "ticket_access": TicketAccess.GROUPS})

    return TestClient(WebFrontend(_api, dist, connect=("http://127.0.0.1:4566",), enrol=enrol))


@pytest.fixture
def enrolled() -> list[Principal]:
    """Who the sign-in page put in the team directory."""
    return []


def test_root_redirects_and_pages_carry_security_headers(site: TestClient) -> None:
    assert site.get("/", follow_redirects=False).headers["location"] == "/console/"
    page = site.get("/console/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP.replace(
        "connect-src 'self'", "connect-src 'self' http://127.0.0.1:4566")
    assert "unsafe-inline" not in CSP
    assert page.headers["cache-control"] == "no-cache"
    assert "immutable" in site.get("/assets/app-1234.js").headers["cache-control"]


def test_static_files_never_leave_the_build_folder(site: TestClient) -> None:
    assert site.get("/console/../../secret.txt").status_code == 404
    assert site.get("/assets/%2e%2e/%2e%2e/secret.txt").status_code == 404
    assert site.get("/portal/").status_code == 404  # not built here: a plain 404 page
    assert site.get("/tickets").json()["error"]["code"] == "not_found"  # the API behind


def test_dev_sign_in_issues_the_development_token(site: TestClient, enrolled: list[Principal]) -> None:
    assert "Development sign-in" in site.get("/dev/sign-in?app=console").text
    answer = site.post("/dev/sign-in", data={"user": "", "role": "customer", "tenant": "acme",
                                               "email": "Dana@Example.com", "app": "console"}, follow_redirects=False)
    assert answer.status_code == 303
    location = urlparse(answer.headers["location"])
    assert location.path == "/portal/"  # customers land in the portal
    token = parse_qs(location.fragment)["token"][0]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == "email:dana@example.com"
    assert claims["email_verified"] is True  # so the portal lists what mail and chat opened for the address
    assert claims["aud"] == "helpdesk"
    assert enrolled == []  # customers are not in the team directory
    staff = site.post("/dev/sign-in", data={"user": "ann", "role": "agent", "tenant": "acme", "name": "Ann",
                                            "groups": "everything"}, follow_redirects=False)
    assert [(p.user_id, p.role, p.name) for p in enrolled] == [("ann", Role.AGENT, "Ann")]  # assignable at once
    claims = jwt.decode(parse_qs(urlparse(staff.headers["location"]).fragment)["token"][0],
                        options={"verify_signature": False})
    # the directory's groups and ticket access, as Cognito's pre token trigger writes them; nothing typed in a form
    assert (claims["cognito:groups"], claims["helpdesk:ticket_access"]) == (["billing"], "groups")
    bad = site.post("/dev/sign-in", data={"user": "x", "role": "root", "tenant": "acme"})
    assert bad.status_code == 400
    assert "<script" not in site.get("/dev/sign-in?reason=<script>").text
