"""The local stack's accounts: none to create. People sign in to `helpdesk serve` with development tokens
(`helpdesk token --user <id>`), so the directory only hands out ids; being disabled is the directory's
`active` flag, which the assignment check reads. In AWS Cognito keeps the accounts (`adapters/cognito.py`)."""

import uuid

from helpdesk.kernel.principal import Role


class LocalIdentities:
    def invite(self, tenant_id: str, email: str, name: str, role: Role) -> str:
        return uuid.uuid4().hex

    def update(self, email: str, *, name: str | None = None, role: Role | None = None) -> None:
        return None

    def disable(self, email: str) -> None:
        return None

    def enable(self, email: str) -> None:
        return None

    def delete(self, email: str) -> None:
        return None
