"""Who is calling. In AWS the HTTP API's JWT authorizer has verified the token and the claims
arrive in the event; locally the app verifies the development token itself. A person's role, groups and ticket
access are then the team directory's (helpdesk.directory.standing): a token outlives changes made on the Team screen.

An API client's token (client credentials: a client and scopes, no user) must carry the scope the route needs
(helpdesk.clients.scopes), checked here for every route; its tenant comes from the client registry.
"""

from typing import Any

from fastapi import Request

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal
from helpdesk.web.claims import is_client_token, issued_at, principal_from_claims


def current_principal(request: Request) -> Principal:
    settings = container().settings.api
    if settings.auth_mode == "apigw":
        event = request.scope.get("aws.event") or {}
        claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")
        if not claims:
            raise Unauthorized("missing bearer token")
        return _principal(request, claims)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    from helpdesk.web.local_tokens import verify_token  # local mode only: Lambda never loads PyJWT

    if settings.local_jwt_secret is None:
        raise Unauthorized("local auth is not configured (HELPDESK_LOCAL_JWT_SECRET)")
    claims = verify_token(token.strip(), settings.local_jwt_secret.get_secret_value(),
                          settings.jwt_issuer, settings.jwt_audience)
    return _principal(request, claims)


def _principal(request: Request, claims: dict[str, Any]) -> Principal:
    if not is_client_token(claims):
        return container().staff_standing(principal_from_claims(claims), issued_at=issued_at(claims))
    route = request.scope.get("route")
    return container().client_directory.principal(claims, request.method, getattr(route, "path", None))
