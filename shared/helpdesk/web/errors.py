"""One error format for every API: {"error": {"code", "message", "details"}}."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from helpdesk.kernel import errors

STATUS_BY_ERROR: list[tuple[type[errors.DomainError], int]] = [
    (errors.Unauthorized, 401),
    (errors.Forbidden, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.InvalidInput, 400),
    (errors.InvalidAssignment, 422),
    (errors.InvalidFieldValue, 422),
    (errors.MissingRequiredFields, 422),
    (errors.TooLarge, 413),
    (errors.UnsupportedType, 415),
    (errors.Gone, 410),
]

# pydantic error types that mean "too big" rather than "wrong": answered with 413.
TOO_LARGE_TYPES = frozenset({"payload_too_large"})


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details if details is not None else {}}}
    return JSONResponse(status_code=status, content=body, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.DomainError)
    async def _domain(_: Request, exc: errors.DomainError) -> JSONResponse:
        status = next((s for cls, s in STATUS_BY_ERROR if isinstance(exc, cls)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")}
            for e in exc.errors()
        ]
        if any(p["type"] == "json_invalid" for p in problems):
            return error_response(400, "malformed_json", "request body is not valid JSON", {"errors": problems})
        sent_as = request.headers.get("content-type")
        if any(p["loc"] == ["body"] for p in problems) and not _json_type(sent_as):
            # `curl -d '{...}'` sends form encoding: FastAPI then reads no JSON at all, and "Input should be a valid
            # dictionary" did not say why
            return error_response(400, "json_expected", "send the request body as JSON, with the header "
                                  "Content-Type: application/json", {"content_type": (sent_as or "")[:200]})
        query = sorted({p["loc"][1] for p in problems if len(p["loc"]) > 1 and p["loc"][0] == "query"})
        if query:  # a malformed filter or page size is a bad request naming the parameter, like an unknown one
            return error_response(400, "invalid_query_parameter",
                                  f"invalid query parameter{'s' if len(query) > 1 else ''}: {', '.join(query)}",
                                  {"parameters": query, "errors": [p for p in problems if p["loc"][:1] == ["query"]]})
        if any(p["type"] in TOO_LARGE_TYPES for p in problems):
            return error_response(413, "payload_too_large", "a field is larger than allowed",
                                  {"errors": problems})
        return error_response(422, "validation_error", "request does not match the schema",
                              {"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "malformed_body", 404: "not_found", 405: "method_not_allowed",
                401: "unauthorized"}.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail))


def _json_type(content_type: str | None) -> bool:
    """`application/json` or a JSON suffix type (`application/merge-patch+json`), whatever its parameters."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


log = logging.getLogger("helpdesk.web")
# AWS's answers that mean "too many requests right now" (DynamoDB's throughput and transaction limits, any service's
# throttling): the request was fine and a retry shortly will do.
THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                       "TooManyRequestsException", "TransactionInProgressException"})


def _throttled(exc: BaseException) -> bool:
    """Whether AWS refused for load: the error or any it was raised from (PynamoDB wraps botocore's in `cause`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        response = getattr(current, "response", None)
        if isinstance(response, dict) and (response.get("Error") or {}).get("Code") in THROTTLED:
            return True
        cause = getattr(current, "cause", None)
        current = cause if isinstance(cause, BaseException) else (current.__cause__ or current.__context__)
    return False


class UnexpectedErrors:
    """A failure no route answers for (AWS throttling, a bug) in the one error format, inside the CORS middleware so
    a browser can read it: 503 `unavailable` with `Retry-After` when AWS refused for load, else 500 `internal_error`
    with nothing of the cause (it is logged). Without it Starlette answered a plain-text "Internal Server Error"
    from outside every other middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:  # part of an answer went out already: nothing better can be sent
                raise
            busy = _throttled(exc)
            log.exception("request failed: %s %s", scope.get("method"), scope.get("path"),
                          extra={"status": 503 if busy else 500})
            response = (error_response(503, "unavailable", "the service is busy right now; retry in a moment",
                                       headers={"Retry-After": "1"}) if busy
                        else error_response(500, "internal_error", "something went wrong on our side; it was logged"))
            await response(scope, receive, send)
