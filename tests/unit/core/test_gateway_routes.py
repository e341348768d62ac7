"""The local gateway routes like API Gateway, from the routes declared in template.yaml."""

from pathlib import Path

from helpdesk.local.gateway import http_routes, load_template

ROOT = Path(__file__).resolve().parents[3]


def route_for(method: str, path: str) -> str | None:
    for route in http_routes(load_template(ROOT / "template.yaml")):
        if route.matches(method, path):
            return f"{route.function} {route.method} {route.path}"
    return None


def test_ticket_routes_resolve_to_ticket_commands() -> None:
    assert route_for("POST", "/tickets") == "ticket_commands POST /tickets"
    assert route_for("GET", "/tickets/abc") == "ticket_commands GET /tickets/{ticket_id}"
    assert route_for("POST", "/tickets/abc/messages") == "ticket_commands POST /tickets/{ticket_id}/messages"
    assert route_for("DELETE", "/tickets/abc") is None
    assert route_for("GET", "/nothing-here") is None


def test_every_http_function_has_an_app_module() -> None:
    for route in http_routes(load_template(ROOT / "template.yaml")):
        assert (ROOT / "functions" / route.function / "app.py").exists(), route
