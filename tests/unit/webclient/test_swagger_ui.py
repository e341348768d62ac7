"""The /docs pages load Swagger UI from our own files (web/dist/swagger-ui), never from a public CDN."""

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpdesk.local.gateway import load_template
from helpdesk.local.web import WebFrontend
from helpdesk.web.app_factory import create_app
from helpdesk.web.errors import error_response
from tests.conftest import rebuild

ROOT = Path(__file__).resolve().parents[3]


def _asset_urls(page: str) -> list[str]:
    return re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page)


def test_docs_page_loads_swagger_ui_from_the_configured_origin_only(monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild()
    page = TestClient(create_app("Docs test")).get("/docs")
    assert page.status_code == 200
    urls = _asset_urls(page.text)
    assert "/swagger-ui/swagger-ui-bundle.js" in urls
    assert "/swagger-ui/swagger-ui.css" in urls
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls  # same origin locally

    monkeypatch.setenv("HELPDESK_DOCS_ASSETS_URL", "https://d111.cloudfront.net/swagger-ui/")
    rebuild()
    deployed = _asset_urls(TestClient(create_app("Docs test")).get("/docs").text)
    assert "https://d111.cloudfront.net/swagger-ui/swagger-ui-bundle.js" in deployed
    assert not [u for u in deployed if "cdn" in u or "jsdelivr" in u or "unpkg" in u]


async def _api(scope, receive, send) -> None:
    await error_response(404, "not_found", "no route")(scope, receive, send)


def test_local_stack_serves_the_swagger_ui_files(tmp_path: Path) -> None:
    (tmp_path / "console").mkdir()
    (tmp_path / "console" / "index.html").write_text("<!doctype html>")
    (tmp_path / "swagger-ui").mkdir()
    (tmp_path / "swagger-ui" / "swagger-ui-bundle.js").write_text("window.SwaggerUIBundle = 1")
    site = TestClient(WebFrontend(_api, tmp_path, connect=()))
    answer = site.get("/swagger-ui/swagger-ui-bundle.js")
    assert answer.status_code == 200
    assert "SwaggerUIBundle" in answer.text
    assert site.get("/swagger-ui/../console/index.html").status_code in (200, 404)  # never outside dist
    assert site.get("/swagger-ui/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_the_build_copies_swagger_ui_and_lambda_points_at_it() -> None:
    package = (ROOT / "web" / "package.json").read_text()
    assert '"swagger-ui-dist"' in package
    config = (ROOT / "web" / "vite.config.ts").read_text()
    assert "swagger-ui-bundle.js" in config
    assert "swagger-ui.css" in config
    template = load_template(ROOT / "template.yaml")
    env = template["Resources"]["TicketCommandsFunction"]["Properties"]["Environment"]["Variables"]
    assert "${WebDistribution.DomainName}/swagger-ui" in str(env["HELPDESK_DOCS_ASSETS_URL"])
