"""The HTTP API's JWT authorizer must accept the app clients' tokens.

API Gateway checks a token's `aud`, or its `client_id` when it has no `aud` (Cognito's access tokens have
none), against the authorizer's audience list. That list is static in template.yaml, and app clients are made
at run time: so each one is added to (and removed from) the audience of every JWT authorizer whose issuer is
our user pool. The API is found by that issuer (its id in the function's environment would be a circular
reference in the template). A stack update that changes the authorizer sets the template's list again:
every create or delete, and `helpdesk client sync`, add every registered client back.
"""

from typing import Any


class ApiGatewayAudience:
    def __init__(self, user_pool_id: str, region: str, client: Any = None) -> None:
        self._issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self._client = client

    @property
    def _apigw(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("apigatewayv2")
        return self._client

    def add(self, *client_ids: str) -> None:
        self._change(lambda audience: [*audience, *(c for c in dict.fromkeys(client_ids) if c not in audience)])

    def remove(self, client_id: str) -> None:
        self._change(lambda audience: [a for a in audience if a != client_id])

    def _change(self, new: Any) -> None:
        for api_id, authorizer in self._authorizers():
            jwt = authorizer.get("JwtConfiguration") or {}
            before = list(jwt.get("Audience") or [])
            after = new(before)
            if after != before:
                self._apigw.update_authorizer(ApiId=api_id, AuthorizerId=authorizer["AuthorizerId"],
                                              JwtConfiguration={"Audience": after, "Issuer": self._issuer})

    def _authorizers(self) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []
        for page in self._apigw.get_paginator("get_apis").paginate():
            for api in page.get("Items", []):
                if api.get("ProtocolType") != "HTTP":
                    continue
                for authorizer in self._apigw.get_authorizers(ApiId=api["ApiId"]).get("Items", []):
                    if (authorizer.get("JwtConfiguration") or {}).get("Issuer", "").rstrip("/") == self._issuer:
                        found.append((api["ApiId"], authorizer))
        return found
