"""Just-in-time enrolment: a staff member who signs in and whom the directory does not know yet gets a record.

That covers people whose accounts predate the directory (in AWS, Cognito's pre token generation trigger
enrols them at their next sign-in) and the local stack's development sign-in, so "assign to me" works for
whoever is signed in. A known record is left as it is: the directory, not the token, decides the role, the
groups and whether someone is active (`directory/standing.py` applies it again at every API call). Customers are
not enrolled (the directory lists the ones admins add).

`token_identity` is what the token of a staff member signing in says of them: the directory's groups and which
tickets they may open (`User.ticket_access`), so the Team screen, not a separate list of Cognito groups, decides
what an agent sees. The record is read before the token is issued and a failure to read it propagates (the sign-in
fails closed: without it an agent limited to their groups would get a token for every ticket); a failure to *write*
a new record does not stop the sign-in (it is written at the next one).
"""

from typing import TYPE_CHECKING

from helpdesk.directory.model import User
from helpdesk.directory.ports import DirectoryStore
from helpdesk.directory.service import in_standing
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import Conflict
from helpdesk.kernel.principal import Principal
from helpdesk.platform.observability import logger

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
        except Exception:  # the sign-in goes on as the record would have it; the next one writes it
            logger.exception("could not enrol the person signing in in the team directory",
                             extra={"tenant_id": person.tenant_id})
            return user
        if self._audit is not None:
            self._audit.record(person, "directory.user", user.id, None, user)
        return user

    def token_identity(self, person: Principal) -> Principal:
        """The person as their token names them: for staff, with the directory's role, groups and ticket access
        (`in_standing`, which the APIs apply again at every call). A deactivated account is refused (Unauthorized:
        Cognito refuses disabled accounts itself; the local sign-in does not)."""
        user = self(person)
        if user is None:
            return person
        return in_standing(person, user, self._store.list_groups(person.tenant_id))
