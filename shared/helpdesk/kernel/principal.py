"""Who is calling: the identity every service call is checked against."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    ADMIN = "admin"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str = Field(min_length=1, max_length=256)
    tenant_id: str = Field(min_length=1, max_length=128)
    role: Role
    email: str | None = None
    name: str | None = None
    groups: tuple[str, ...] = ()

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AGENT, Role.ADMIN)


SYSTEM_ACTORS = frozenset({"system", "ai", "email", "sla"})


def system_principal(tenant_id: str, actor: str = "system") -> Principal:
    """An internal caller (SLA scan, triage, mail ingest) acting with admin rights inside one tenant."""
    if actor not in SYSTEM_ACTORS:
        raise ValueError(f"unknown system actor {actor!r}")
    return Principal(user_id=actor, tenant_id=tenant_id, role=Role.ADMIN)
