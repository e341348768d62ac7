"""Ports of the saved views capability."""

from typing import Protocol

from helpdesk.views.model import View


class ViewStore(Protocol):
    def list(self, tenant_id: str) -> list[View]: ...

    def get(self, tenant_id: str, record_id: str) -> View | None: ...

    def add(self, record: View) -> None: ...

    def replace(self, record: View, expected_version: int) -> None:
        """Write if the stored view is still at `expected_version`; `ConcurrentUpdate` otherwise."""
        ...

    def delete(self, tenant_id: str, record_id: str) -> None: ...
