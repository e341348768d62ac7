"""Ports of the triggers capability."""

from typing import Protocol

from helpdesk.triggers.model import TriggerList


class TriggerStore(Protocol):
    def get(self, tenant_id: str) -> tuple[TriggerList, int]:
        """The tenant's triggers and their version (0: none saved), read now."""
        ...

    def cached(self, tenant_id: str) -> TriggerList:
        """The tenant's triggers as read at most a little while ago: the hook reads them on every ticket change."""
        ...

    def put(self, tenant_id: str, triggers: TriggerList, expected_version: int | None) -> int:
        """Save the list; with `expected_version`, only if no one saved since (`ConcurrentUpdate` otherwise)."""
        ...
