"""Ports of the macros capability."""

from typing import Protocol

from helpdesk.macros.model import Macro


class MacroStore(Protocol):
    def list(self, tenant_id: str) -> list[Macro]:
        """Every macro of the tenant (one partition, at most `MAX_MACROS_PER_TENANT`)."""
        ...

    def get(self, tenant_id: str, macro_id: str) -> Macro | None: ...

    def add(self, macro: Macro) -> None: ...

    def replace(self, macro: Macro, expected_version: int) -> None:
        """Write `macro` if the stored one is still at `expected_version`; `ConcurrentUpdate` otherwise."""
        ...

    def delete(self, tenant_id: str, macro_id: str) -> None: ...
