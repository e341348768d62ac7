"""Who is calling. In AWS the HTTP API's JWT authorizer has verified the token and the claims
arrive in the event; locally the app verifies the development token itself."""

from fastapi import Request

from helpdesk.bootstrap import container
from helpdesk.kernel.errors import Unauthorized
from helpdesk.kernel.principal import Principal
from helpdesk.web.claims import principal_from_claims


def current_principal(request: Request) -> Principal:
    settings = container().settings.api
    if settings.auth_mode == "apigw":
        event = request.scope.get("aws.event") or {}
        claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")
        if not claims:
            raise Unauthorized("missing bearer token")
        return principal_from_claims(claims)
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    from helpdesk.web.local_tokens import verify_token  # local mode only: Lambda never loads PyJWT

    if settings.local_jwt_secret is None:
        raise Unauthorized("local auth is not configured (HELPDESK_LOCAL_JWT_SECRET)")
    claims = verify_token(token.strip(), settings.local_jwt_secret.get_secret_value(),
                          settings.jwt_issuer, settings.jwt_audience)
    return principal_from_claims(claims)
