"""`Idempotency-Key` on every POST: a retry with the same key and body gets the first response again.

Powertools' idempotency utility does the work (`idempotent_function` over its DynamoDB persistence layer, in
the Meta table under `IDEMPOTENCY#<scope>`): the first request writes an in-progress record, runs the route and
stores its response; a retry finds the record and gets the stored response back (`Idempotent-Replayed: true`);
the same key with another body, or on another route, is 422 `idempotency_key_reused`; a retry while the first
request still runs is 409 `idempotency_in_progress`. Only 2xx responses are kept: an error is not a result, so
a retry after a 4xx (or a failure) runs the route again.

Keys are scoped to the caller (tenant and user of a signed-in principal, the token of a chat session), so two
callers never share a key; an anonymous request (a visitor starting a chat) is scoped by the key alone, which
is why keys must be random (a UUID v4).
"""

import hashlib
import json
import re
import warnings
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import anyio.from_thread
import anyio.to_thread
from fastapi import Request, Response
from fastapi.routing import APIRoute

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import Unauthorized
from helpdesk.web.auth import current_principal
from helpdesk.web.errors import error_response

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # visible ASCII: a UUID, a ULID, a client's own request id
_KEY = re.compile(KEY_PATTERN)
KEY_PREFIX = "v1"  # the record's sort key is `v1#<hash of scope and key>`
_KEPT_HEADERS = ("content-type", "location", "etag")

OPENAPI_PARAMETER: dict[str, Any] = {
    "name": HEADER, "in": "header", "required": False,
    "description": "Any unique value (a UUID v4): a retry with the same key and body returns the first "
                   "response (`Idempotent-Replayed: true`) for 24 hours; the same key with another body is 422.",
    "schema": {"type": "string", "pattern": KEY_PATTERN},
}

# Outside Lambda (the local stack, tests) there is no invocation deadline to give the in-progress record.
warnings.filterwarnings("ignore", message="Couldn't determine the remaining time left", category=UserWarning)

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _NotKept(Exception):
    """The route answered with an error: Powertools drops the in-progress record, the client gets the answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def caller_scope(request: Request) -> str:
    """Who owns a key: `<tenant>#<user>` for a signed-in caller, `token#<hash>` for another bearer token
    (a chat session's), `anonymous#<xx>` otherwise (spread over 256 partitions)."""
    try:
        principal = current_principal(request)
        return f"{principal.tenant_id}#{hashlib.sha256(principal.user_id.encode()).hexdigest()[:32]}"
    except Unauthorized:
        pass
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return f"token#{hashlib.sha256(token.strip().encode()).hexdigest()[:32]}"
    key = request.headers.get(HEADER, "")
    return f"anonymous#{hashlib.sha256(key.encode()).hexdigest()[:2]}"


def request_id(request: Request) -> str | None:
    """The request as a route may record it on what it writes, so that a retry with the same `Idempotency-Key`
    after the first attempt's record expired (a timeout past Powertools' in-progress window) can tell what that
    attempt wrote: a hash of the caller's scope and key; None without a key."""
    key = request.headers.get(HEADER)
    if not key or not _KEY.match(key):
        return None
    return hashlib.sha256(f"{caller_scope(request)}#{key}".encode()).hexdigest()[:32]


def _kept(response: Response) -> dict[str, Any]:
    return {"status": response.status_code, "body": bytes(response.body).decode("utf-8"),
            "headers": {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}}


def _replayed(response: Any, idempotent_data: "DataRecord") -> Any:
    return {**response, "replayed": True}


def idempotent(original: Handler, ttl_s: int) -> Handler:
    """Wrap a route's handler: without the header it runs as before."""

    async def handler(request: Request) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return await original(request)
        if not _KEY.fullmatch(key):
            return error_response(400, "invalid_idempotency_key",
                                  f"{HEADER} must be 1 to 255 visible ASCII characters (a UUID, say)")
        # Imported here: Powertools' idempotency package loads boto3 (a quarter of a cold start), and most
        # requests carry no key.
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyValidationError,
        )

        body = await request.body()
        scope = caller_scope(request)
        payload = {"key": key, "route": f"{request.method} {request.url.path}",
                   "body": hashlib.sha256(body).hexdigest()}
        config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="[route, body]",
                                   raise_on_no_idempotency_key=True, expires_after_seconds=ttl_s,
                                   hash_function="sha256", response_hook=_replayed)
        lambda_context = request.scope.get("aws.context")
        if lambda_context is not None:  # an in-progress record expires with the invocation that wrote it
            config.register_lambda_context(lambda_context)

        def run_route(payload: dict[str, Any]) -> dict[str, Any]:
            response = anyio.from_thread.run(original, request)
            if not 200 <= response.status_code < 300:
                raise _NotKept(response)
            return _kept(response)

        run = idempotent_function(run_route, data_keyword_argument="payload", config=config, key_prefix=KEY_PREFIX,
                                  persistence_store=container().idempotency_store(f"IDEMPOTENCY#{scope}"))
        try:
            stored: dict[str, Any] = await anyio.to_thread.run_sync(lambda: run(payload=payload))
        except _NotKept as not_kept:
            return not_kept.response
        except IdempotencyValidationError:
            return error_response(422, "idempotency_key_reused",
                                  f"this {HEADER} was used with another request body or route; "
                                  "send a new key for a new request")
        except IdempotencyAlreadyInProgressError:
            return error_response(409, "idempotency_in_progress",
                                  f"a request with this {HEADER} is still being processed; retry shortly",
                                  headers={"Retry-After": "1"})
        headers = dict(stored["headers"])
        if stored.get("replayed"):
            headers[REPLAYED_HEADER] = "true"
        return Response(content=stored["body"].encode("utf-8"), status_code=stored["status"], headers=headers)

    return handler


class IdempotentRoute(APIRoute):
    """Every POST route of our apps takes `Idempotency-Key` (create_app installs this route class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        if "POST" not in (self.methods or ()):
            return original
        return idempotent(original, container().settings.api.idempotency_ttl_s)


def document_idempotency(schema: dict[str, Any]) -> dict[str, Any]:
    """Name the header on every POST operation of an OpenAPI document."""
    for path_item in schema.get("paths", {}).values():
        operation = path_item.get("post")
        if isinstance(operation, dict):
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(json.loads(json.dumps(OPENAPI_PARAMETER)))
    return schema
