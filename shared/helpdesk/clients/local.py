"""The local stack's OAuth 2.0 token endpoint: `POST /oauth2/token` with `grant_type=client_credentials`, as
Cognito's (`https://<domain>/oauth2/token`) answers it in AWS.

The client authenticates with HTTP Basic (`client_id:client_secret`) or with `client_id` and `client_secret`
in the form; `scope` (space-separated, `helpdesk/tickets:read ...`) asks for some of the client's scopes,
none asks for all of them. The answer is `{"access_token", "expires_in", "token_type": "Bearer"}`; errors are
OAuth's (`{"error": "invalid_client"}`, RFC 6749 section 5.2), as Cognito's are, not the APIs' error format:
OAuth client libraries read them. The token is an access token like Cognito's (`client_id`, `scope`,
`token_use: access`, the client as `sub`, no user), signed with the stack's development secret; the local
token has an `aud` (the local APIs check it), Cognito's has none.
"""

import base64
import binascii
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, unquote_plus

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from helpdesk.bootstrap import container
from helpdesk.clients.adapters.local_idp import LocalAppClients
from helpdesk.kernel.clock import system_clock
from helpdesk.web.local_tokens import ALGORITHM

MAX_FORM_BYTES = 8 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(status: int, error: str, description: str) -> JSONResponse:
    headers = dict(NO_STORE)
    if error == "invalid_client":
        headers["WWW-Authenticate"] = 'Basic realm="helpdesk"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def _credentials(request: Request, form: dict[str, str]) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        return (unquote_plus(client_id), unquote_plus(secret)) if sep else None
    if form.get("client_id") and form.get("client_secret"):
        return form["client_id"], form["client_secret"]
    return None


async def token_endpoint(request: Request) -> Response:
    if request.method != "POST":
        return Response(status_code=405, headers={"Allow": "POST"})
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return _error(400, "invalid_request", "send the form as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _error(400, "invalid_request", "form too large")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if form.get("grant_type") != "client_credentials":
        return _error(400, "unsupported_grant_type", "only grant_type=client_credentials is served here")
    credentials = _credentials(request, form)
    if credentials is None:
        return _error(401, "invalid_client", "client authentication failed (HTTP Basic or client_id and "
                      "client_secret in the form)")
    c = container()
    app_clients = c.app_clients
    allowed = app_clients.authenticate(*credentials) if isinstance(app_clients, LocalAppClients) else None
    if allowed is None:
        return _error(401, "invalid_client", "client authentication failed")
    server = c.settings.clients.resource_server
    allowed_full = [f"{server}/{s}" for s in allowed]
    asked = form.get("scope", "").split()
    if any(s not in allowed_full for s in asked):
        return _error(400, "invalid_scope", f"this client may ask for: {' '.join(allowed_full)}")
    ttl = c.settings.clients.token_ttl_s
    token = issue_client_token(credentials[0], asked or allowed_full, ttl=timedelta(seconds=ttl))
    return JSONResponse({"access_token": token, "expires_in": ttl, "token_type": "Bearer"}, headers=NO_STORE)


def issue_client_token(client_id: str, scopes: list[str], *, ttl: timedelta) -> str:
    api = container().settings.api
    if api.local_jwt_secret is None:
        raise RuntimeError("the local token endpoint needs HELPDESK_LOCAL_JWT_SECRET (the local stack sets it)")
    now = system_clock()
    claims: dict[str, Any] = {
        "sub": client_id, "client_id": client_id, "scope": " ".join(scopes), "token_use": "access",
        "iss": api.jwt_issuer, "aud": api.jwt_audience, "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()), "jti": secrets.token_hex(16),
    }
    return jwt.encode(claims, api.local_jwt_secret.get_secret_value(), algorithm=ALGORITHM)
