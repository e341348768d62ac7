"""Just-in-time enrolment: a staff member who signs in and whom the directory does not know yet gets a record.

That covers people whose accounts predate the directory (in AWS, Cognito's pre token generation trigger
enrols them at their next sign-in) and the local stack's development sign-in, so "assign to me" works for
whoever is signed in. A known record is left as it is: the directory, not the token, decides the role, the
groups and whether someone is active. Customers are not enrolled (the directory lists the ones admins add).
"""

from typing import TYPE_CHECKING

from helpdesk.directory.model import User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict
from helpdesk.kernel.principal import Principal

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail

NO_ADDRESS_DOMAIN = "users.invalid"  # RFC 2606: never deliverable, for a development user without an address


class Enrolment:
    def __init__(self, store: DirectoryStore, *, clock: Clock = system_clock,
                 audit: "AuditTrail | None" = None) -> None:
        self._store, self._clock, self._audit = store, clock, audit

    def __call__(self, person: Principal) -> User | None:
        """The person's directory record (None for customers), added if there was none."""
        if not person.is_staff:
            return None
        known = self._store.get_user(person.tenant_id, person.user_id)
        if known is not None:
            return known
        now = self._clock()
        email = (person.email or f"{person.user_id}@{NO_ADDRESS_DOMAIN}").lower()
        user = User(id=person.user_id, tenant_id=person.tenant_id, email=email,
                    name=person.name or email.split("@")[0], role=person.role, created_at=now, updated_at=now)
        try:
            self._store.add_user(user)
        except Conflict:  # enrolled meanwhile (two sign-ins at once), or another record has that address
            return self._store.get_user(person.tenant_id, person.user_id)
        if self._audit is not None:
            self._audit.record(person, "directory.user", user.id, None, user)
        return user
