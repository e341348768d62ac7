"""What the clients services need."""

from typing import Protocol

from helpdesk.clients.model import ApiClient


class ClientRegistry(Protocol):
    """Which tenant each client belongs to, and each tenant's clients."""

    def put(self, client: ApiClient) -> None: ...
    def get(self, client_id: str) -> ApiClient | None: ...
    def of_tenant(self, tenant_id: str) -> list[ApiClient]: ...
    def delete(self, client: ApiClient) -> None: ...
    def all_ids(self) -> list[str]:
        """Every tenant's client ids (for the authorizer's audience)."""


class AppClients(Protocol):
    """The identity provider's side: the client-credentials app clients that get tokens (Cognito in AWS)."""

    def create(self, name: str, scopes: list[str]) -> tuple[str, str]:
        """A new client allowed `scopes`: its (client id, client secret)."""

    def delete(self, client_id: str) -> None: ...


class Audience(Protocol):
    """Who the API's token check accepts (AWS: the JWT authorizer's audience list)."""

    def add(self, *client_ids: str) -> None:
        """Accept these clients' tokens (those already accepted are left as they are)."""

    def remove(self, client_id: str) -> None: ...
