"""Build a FastAPI app with everything our APIs share."""

import json
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from helpdesk.bootstrap import container
from helpdesk.web.cors import CorsMiddleware, ExtraOrigins
from helpdesk.web.errors import UnexpectedErrors, error_response, install_error_handlers
from helpdesk.web.idempotency import IdempotentRoute, document_idempotency
from helpdesk.web.query import strict_query

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(body: bytes) -> bool:
    """JSON may escape half of a UTF-16 pair alone ("\\ud800"): Python decodes it to a string no UTF-8
    encoder (DynamoDB's, boto's) accepts, so such a body is refused before any handler sees it."""
    if not _SURROGATE_ESCAPE.search(body):
        return False
    try:
        value = json.loads(body)
    except ValueError:
        return False  # not JSON: the route's own parsing answers
    except RecursionError:
        return False
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


class BodySizeLimit:
    """Refuse bodies over the limit with 413 before anything parses them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if _has_lone_surrogate(body):
            response = error_response(400, "malformed_json", "request body holds an unpaired UTF-16 surrogate "
                                      "escape (\\uD800-\\uDFFF), which is no character")
            await response(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "payload_too_large",
                                  f"request body is larger than {self.max_bytes} bytes")
        await response(scope, receive, send)


# Every route can answer these, in the one error format: malformed body, no or bad credentials, not
# allowed, not found (or not visible), conflict, too large, schema mismatch, throttled (the app's own
# limits or the HTTP API's route throttling). Documented on every operation so a client (and the
# contract tests) can rely on "nothing else but the documented statuses".
ERROR_STATUSES: dict[int, str] = {
    400: "Malformed request (invalid JSON, bad cursor, inconsistent fields, unknown or malformed query parameters)",
    401: "Missing or invalid credentials",
    403: "Not allowed for the caller's role",
    404: "Not found, or not visible to the caller",
    409: "Conflict with the current state (stale version, invalid transition, already exists)",
    413: "Request body or a field is larger than allowed",
    422: "Request does not match the schema",
    429: "Too many requests; see Retry-After",
}
OPTIONAL_STATUSES = {
    410: "Gone: the resource ended (a chat the visitor closed or that expired)",
    503: "A dependency is unavailable; nothing was changed, try again (see Retry-After)",
    415: "Unsupported media type: a file type that is not accepted (executables, unknown types)",
}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}},
    }},
}


def document_errors(schema: dict[str, Any], statuses: dict[int, str]) -> dict[str, Any]:
    """Add the error responses to every operation of an OpenAPI document (replacing FastAPI's own
    422 shape, which our handlers never send)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, text in statuses.items():
                operation["responses"][str(status)] = {
                    "description": text, "content": {"application/json": {"schema": reference}}}
    components = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        if not _referenced(schema, unused):
            components.pop(unused, None)
    return schema


def _referenced(schema: dict[str, Any], name: str) -> bool:
    return f'"#/components/schemas/{name}"' in json.dumps(schema)


def _add_docs(app: FastAPI, docs_url: str, openapi_url: str) -> None:
    """FastAPI's Swagger UI page, with its script and style sheet from our own web distribution."""
    assets = container().settings.api.docs_assets_url.rstrip("/")

    @app.get(docs_url, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=openapi_url, title=f"{app.title} - Swagger UI",
                                   swagger_js_url=f"{assets}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{assets}/swagger-ui.css",
                                   swagger_favicon_url=f"{assets}/favicon-32x32.png")


def create_app(title: str, *, description: str = "", version: str = "0.1.0",
               openapi_url: str = "/openapi.json", docs_url: str | None = "/docs",
               extra_error_statuses: Iterable[int] = (), cors_extra: ExtraOrigins | None = None,
               dependencies: Iterable[Any] = ()) -> FastAPI:
    """`extra_error_statuses`: statuses beyond ERROR_STATUSES this API can answer (410, 503).
    `cors_extra`: origins a request may come from besides the static `HELPDESK_CORS_ORIGINS` (web/cors.py).
    `dependencies`: app-wide dependencies; the query parameters they declare are allowed on every route."""
    app = FastAPI(title=title, description=description, version=version,
                  openapi_url=openapi_url, docs_url=None, redoc_url=None,
                  # every route: unknown query parameters are 400
                  dependencies=[Depends(strict_query), *dependencies])
    if docs_url is not None:
        _add_docs(app, docs_url, openapi_url)
    install_error_handlers(app)
    app.router.route_class = IdempotentRoute  # every POST declared from here on takes Idempotency-Key
    app.add_middleware(UnexpectedErrors)  # innermost of ours: its answer passes the body limit and CORS outwards
    app.add_middleware(BodySizeLimit, max_bytes=container().settings.api.max_body_bytes)
    # Outermost: preflights are answered before any body limit or route, and every answer gets its headers.
    app.add_middleware(CorsMiddleware, origins=lambda: container().settings.api.cors_origin_list(),
                       extra=cors_extra)
    statuses = {**ERROR_STATUSES, **{s: OPTIONAL_STATUSES.get(s, "Error") for s in extra_error_statuses}}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            app.openapi_schema = document_idempotency(document_errors(schema, statuses))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    from helpdesk.web import snapstart

    snapstart.register()  # SnapStart: prewarm before the snapshot, fresh clients after a restore
    return app
