"""The local stack's identity provider for API clients: app clients in the Meta table (`CLIENT#<id>` /
`SECRET`, the secret's SHA-256 only), checked by the local token endpoint (`clients/local.py`). In AWS Cognito
holds them (`adapters/cognito.py`)."""

import hashlib
import hmac
import secrets

from helpdesk.clients.adapters.dynamo import client_key
from helpdesk.platform.dynamo.models import Tables

SECRET_SK = "SECRET"  # noqa: S105 (the sort key of the record that holds a hash)


def _digest(secret: str) -> str:
    # Secrets are 256 random bits: a plain hash is enough (no password stretching needed for such entropy).
    return hashlib.sha256(secret.encode()).hexdigest()


class LocalAppClients:
    def __init__(self, tables: Tables) -> None:
        self._meta = tables.meta

    def create(self, name: str, scopes: list[str]) -> tuple[str, str]:
        client_id = secrets.token_hex(13)  # 26 characters, like a Cognito client id
        secret = secrets.token_urlsafe(32)
        self._meta(client_key(client_id), SECRET_SK, data={"name": name, "scopes": scopes,
                                                          "secret_sha256": _digest(secret)}).save()
        return client_id, secret

    def delete(self, client_id: str) -> None:
        self._meta(client_key(client_id), SECRET_SK).delete()

    def authenticate(self, client_id: str, secret: str) -> list[str] | None:
        """The client's allowed scopes when `secret` is its secret; None otherwise."""
        try:
            item = self._meta.get(client_key(client_id), SECRET_SK)
        except self._meta.DoesNotExist:
            return None
        if not hmac.compare_digest(str(item.data.get("secret_sha256", "")), _digest(secret)):
            return None
        return [str(s) for s in item.data.get("scopes", [])]
