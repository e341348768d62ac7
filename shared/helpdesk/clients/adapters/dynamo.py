"""The client registry in the Meta table: `CLIENT#<client id>` / `CLIENT` (the lookup every API makes with a
client's token: which tenant), `TENANT#<t>#CLIENT` / `<client id>` (the tenant's list) and `CLIENTS` /
`<client id>` (every client: the authorizer's audience is re-synced from it; a few hundred items at most)."""

from helpdesk.clients.model import ApiClient
from helpdesk.platform.dynamo.models import Tables

SK = "CLIENT"
ALL = "CLIENTS"


def client_key(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def _tenant_clients(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#CLIENT"


class DynamoClientRegistry:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def put(self, client: ApiClient) -> None:
        data = client.model_dump(mode="json")
        # The tenant's list first: a client found by id is always in its tenant's list (and so can be deleted).
        self._meta(_tenant_clients(client.tenant_id), client.client_id, data=data).save()
        self._meta(client_key(client.client_id), SK, data=data).save()
        self._meta(ALL, client.client_id, data={"tenant_id": client.tenant_id}).save()

    def get(self, client_id: str) -> ApiClient | None:
        try:
            item = self._meta.get(client_key(client_id), SK)
        except self._meta.DoesNotExist:
            return None
        return ApiClient.model_validate(item.data)

    def of_tenant(self, tenant_id: str) -> list[ApiClient]:
        return [ApiClient.model_validate(i.data) for i in self._meta.query(_tenant_clients(tenant_id))]

    def delete(self, client: ApiClient) -> None:
        self._meta(ALL, client.client_id).delete()
        self._meta(client_key(client.client_id), SK).delete()
        self._meta(_tenant_clients(client.tenant_id), client.client_id).delete()

    def all_ids(self) -> list[str]:
        return [str(i.sk) for i in self._meta.query(ALL)]
