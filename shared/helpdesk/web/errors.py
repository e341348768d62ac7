"""One error format for every API: {"error": {"code", "message", "details"}}."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")}
            for e in exc.errors()
        ]
        if any(p["type"] == "json_invalid" for p in problems):
            return error_response(400, "malformed_json", "request body is not valid JSON", {"errors": problems})
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
