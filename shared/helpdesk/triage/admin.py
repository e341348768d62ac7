"""The tenant's AI settings (`TriageSettings`: field modes, routing rules, the widget's look, ...) as the team reads
them and admins change them, versioned and audited. Apart from `Triage`, which applies them: changing a setting
(the AI screen, an import's routing rules) needs no model, index or reply writer built."""

from typing import TYPE_CHECKING

from helpdesk.kernel.errors import Forbidden, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.triage.ports import TriageSettingsStore
from helpdesk.triage.settings import TriageSettings

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail


class AiSettings:
    def __init__(self, store: TriageSettingsStore, audit: "AuditTrail | None" = None) -> None:
        self._store, self._audit = store, audit

    def get(self, caller: Principal) -> tuple[TriageSettings, int]:
        """The tenant's settings and their version (the ETag a save may name in If-Match)."""
        if not caller.is_staff:
            raise NotFound("not found")  # agent assist does not exist for customers
        return self._store.get_versioned(caller.tenant_id)

    def change(self, caller: Principal, settings: TriageSettings,
               expected_version: int | None = None) -> tuple[TriageSettings, int]:
        """Replace the settings; with `expected_version`, only if no one saved since (409 otherwise)."""
        if not caller.is_staff:
            raise NotFound("not found")
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins change AI settings")
        before = self._store.get(caller.tenant_id) if self._audit else None
        version = self._store.put(caller.tenant_id, settings, expected_version)
        if self._audit:
            self._audit.record(caller, "triage.settings", caller.tenant_id, before, settings)
        return settings, version
