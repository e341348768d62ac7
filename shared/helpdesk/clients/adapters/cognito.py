"""API clients as Cognito app clients with the client-credentials grant, allowed scopes of the user pool's
resource server (template.yaml: `ApiResourceServer`). Cognito makes and keeps the secret; its token endpoint
(`https://<domain>/oauth2/token`) issues the tokens."""

import contextlib
from typing import Any

ACCESS_TOKEN_MINUTES = 60


class CognitoAppClients:
    def __init__(self, user_pool_id: str, resource_server: str, client: Any = None) -> None:
        self._pool, self._server, self._client = user_pool_id, resource_server, client

    @property
    def _idp(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("cognito-idp")
        return self._client

    def create(self, name: str, scopes: list[str]) -> tuple[str, str]:
        created = self._idp.create_user_pool_client(
            UserPoolId=self._pool, ClientName=name, GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
            AllowedOAuthScopes=[f"{self._server}/{s}" for s in scopes], SupportedIdentityProviders=["COGNITO"],
            ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors="ENABLED",
            EnableTokenRevocation=True, AccessTokenValidity=ACCESS_TOKEN_MINUTES,
            TokenValidityUnits={"AccessToken": "minutes"})["UserPoolClient"]
        return str(created["ClientId"]), str(created["ClientSecret"])

    def delete(self, client_id: str) -> None:
        with contextlib.suppress(self._idp.exceptions.ResourceNotFoundException):  # gone already: as asked
            self._idp.delete_user_pool_client(UserPoolId=self._pool, ClientId=client_id)
