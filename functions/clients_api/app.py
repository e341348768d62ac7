"""API clients: a tenant's admins create the machine-to-machine clients its integrations use (OAuth 2.0 client
credentials, Cognito app clients in AWS), each with scopes (`tickets:read`, `tickets:write`, ...).

POST   /clients               {name, scopes}: the client's id and secret (the secret is shown once, here)
GET    /clients               the tenant's clients (no secrets)
GET    /clients/scopes        every scope and what it allows
GET    /clients/{client_id}
DELETE /clients/{client_id}   no new tokens at once; its tokens stop working within five minutes

GET    /widget-identity-keys        the keys the tenant's site signs its signed-in chat visitors with (no secrets)
POST   /widget-identity-keys        a new key (at most two: rotate, then delete the old); its secret is shown once
DELETE /widget-identity-keys/{kid}  tokens signed with it are refused at once
"""

from typing import Annotated

from fastapi import Depends, Path, Response
from pydantic import BaseModel

from helpdesk.bootstrap import container
from helpdesk.chat.identity import IdentityKeyView, IssuedIdentityKey
from helpdesk.clients.model import SCOPES, ApiClient, IssuedClient, NewClient
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import http_handler
from helpdesk.web.app_factory import create_app
from helpdesk.web.auth import current_principal

app = create_app("Helpdesk API clients", description="API clients for integrations: OAuth 2.0 client-credentials "
                 "clients with scopes. Get a token at the token endpoint (Cognito's `/oauth2/token` in AWS, the "
                 "local stack's `/oauth2/token` locally) and call the APIs with `Authorization: Bearer <token>`; "
                 "a route the token's scopes do not cover is 403. Over a route's throttling limit API Gateway itself "
                 "answers 429 with its fixed body `{\"message\": \"Too Many Requests\"}` and no Retry-After (an "
                 "HTTP API cannot reshape it): retry with backoff and the same Idempotency-Key. Admins only.",
                 openapi_url="/clients/openapi.json", docs_url=None)
Admin = Annotated[Principal, Depends(current_principal)]  # the service checks the role
# Cognito's app client ids (and the local stack's) are 26 characters; no id is as short as "scopes", so
# `GET /clients/scopes` (its own route, answered first) never reads as a client's page in the contract either
# (found by `bench/contract.py --examples 12`: the scopes list did not match a client's schema).
ClientId = Annotated[str, Path(min_length=7, max_length=128, pattern=r"^[\w+]+$")]


class Scope(BaseModel):
    scope: str  # as a token carries it: `<resource server>/<scope>`
    name: str  # as `POST /clients` takes it
    description: str


@app.post("/clients", status_code=201, response_model=IssuedClient, tags=["clients"])
def create_client(body: NewClient, caller: Admin, response: Response) -> IssuedClient:
    issued = container().client_admin.create(caller, body)
    response.headers["Location"] = f"/clients/{issued.client.client_id}"
    response.headers["Cache-Control"] = "no-store"  # carries the secret
    return issued


@app.get("/clients", response_model=list[ApiClient], tags=["clients"])
def list_clients(caller: Admin) -> list[ApiClient]:
    return container().client_admin.listed(caller)


@app.get("/clients/scopes", response_model=list[Scope], tags=["clients"])
def list_scopes(caller: Admin) -> list[Scope]:
    server = container().settings.clients.resource_server
    return [Scope(scope=f"{server}/{name}", name=name, description=text) for name, text in SCOPES.items()]


@app.get("/clients/{client_id}", response_model=ApiClient, tags=["clients"])
def get_client(client_id: ClientId, caller: Admin) -> ApiClient:
    return container().client_admin.get(caller, client_id)


@app.delete("/clients/{client_id}", status_code=204, tags=["clients"])
def delete_client(client_id: ClientId, caller: Admin) -> Response:
    container().client_admin.delete(caller, client_id)
    return Response(status_code=204)




KeyId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


@app.get("/widget-identity-keys", response_model=list[IdentityKeyView], tags=["widget identity"])
def list_identity_keys(caller: Admin) -> list[IdentityKeyView]:
    return container().chat_identity_keys.listed(caller)


@app.post("/widget-identity-keys", status_code=201, response_model=IssuedIdentityKey, tags=["widget identity"])
def create_identity_key(caller: Admin, response: Response) -> IssuedIdentityKey:
    """The site's server signs a token per signed-in visitor with the secret (JWT HS256, `kid` in its header:
    `email`, optional `name`, `exp` at most a day ahead) and gives it to the widget (`data-identity`)."""
    issued = container().chat_identity_keys.create(caller)
    response.headers["Cache-Control"] = "no-store"  # carries the secret
    return issued


@app.delete("/widget-identity-keys/{kid}", status_code=204, tags=["widget identity"])
def delete_identity_key(kid: KeyId, caller: Admin) -> Response:
    container().chat_identity_keys.delete(caller, kid)
    return Response(status_code=204)


lambda_handler = http_handler(app)
