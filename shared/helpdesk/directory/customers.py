"""The team's notes on a customer: what agents know about a person (prefers a call, who to ask about renewals),
beside every ticket of theirs on their page in the console. Customers have no record of their own (they live on
their tickets, under their key), so the notes are the one thing stored about a person; team only, like the
organisation's notes. An erasure of the person deletes them (`privacy`)."""

from helpdesk.directory.model import CustomerNotes, CustomerNotesChange
from helpdesk.directory.ports import CustomerNotesStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.sharing import require_staff


class CustomerNotesService:
    def __init__(self, store: CustomerNotesStore, *, clock: Clock = system_clock) -> None:
        self._store = store
        self._clock = clock

    def notes(self, caller: Principal, key: str) -> CustomerNotes:
        """The customer's notes in the caller's tenant; empty (version 0) where nobody wrote any."""
        require_staff(caller, "notes on customers")
        return self._store.get(caller.tenant_id, key) or CustomerNotes(tenant_id=caller.tenant_id, id=key)

    def save(self, caller: Principal, key: str, change: CustomerNotesChange,
             expected_version: int | None = None) -> CustomerNotes:
        """Any teammate writes them; a save over a teammate's change made since `expected_version` was read is
        refused (409)."""
        before = self.notes(caller, key)
        if expected_version is not None and expected_version != before.version:
            raise ConcurrentUpdate("the notes changed since you read them",
                                   {"id": key, "expected_version": expected_version, "current_version": before.version})
        after = before.model_copy(update={"notes": change.notes, "updated_at": self._clock(),
                                          "updated_by": caller.user_id, "version": before.version + 1})
        self._store.put(after, before.version)
        return after
