"""What is kept about a customer besides their tickets (they live on their tickets, under their key):
- the team's notes on them: what agents know about a person (prefers a call, who to ask about renewals), beside every
  ticket of theirs on their page in the console; team only, like the organisation's notes;
- their profile: their name, phone and language, set by the team or by the person.
An erasure of the person deletes both (`privacy`)."""

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from helpdesk.directory.model import CustomerNotes, CustomerNotesChange
from helpdesk.directory.ports import CustomerNotesStore, CustomerProfileStore
from helpdesk.directory.profiles import CustomerProfile, CustomerProfileChange, OwnCustomerProfile, OwnOrganization
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.sharing import require_staff
from helpdesk.tickets.model import email_key

if TYPE_CHECKING:
    from helpdesk.directory.model import Organization

logger = logging.getLogger(__name__)


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


class CustomerProfileService:
    """A customer's name, phone and language (`directory.profiles`): the team sets them on the customer's page, the
    person on their own in the portal (`/customers/me/profile`); the team's mails to them follow the language."""

    def __init__(self, store: CustomerProfileStore, *, resolve: Callable[[Principal], Principal] = lambda p: p,
                 organizations: "Callable[[str, str], Organization | None]" = lambda tenant_id, email: None,
                 clock: Clock = system_clock) -> None:
        self._store = store
        self._resolve = resolve  # a signed-in customer with the customer their address is linked to (linked_to)
        self._organizations = organizations  # (tenant, address) -> the organisation claiming its domain
        self._clock = clock

    def profile(self, caller: Principal, key: str) -> CustomerProfile:
        """Staff read anyone's in their tenant (empty, version 0, where nothing was set)."""
        require_staff(caller, "customers' profiles")
        return self._read(caller.tenant_id, key)

    def own_key(self, caller: Principal) -> str:
        """The key a signed-in customer's tickets are under: their linked customer's, else their verified address's."""
        if caller.role != Role.CUSTOMER:
            raise Forbidden("a profile of one's own is a customer's (teammates: PATCH /users/me)")
        resolved = self._resolve(caller)
        if resolved.linked_to:
            return resolved.linked_to
        if not (caller.email and caller.email_verified):
            raise Forbidden("a profile needs a verified address to keep it under")
        return email_key(caller.email)

    def own(self, caller: Principal) -> OwnCustomerProfile:
        return self._own_view(caller, self._read(caller.tenant_id, self.own_key(caller)))

    def change(self, caller: Principal, key: str, change: CustomerProfileChange,
               expected_version: int | None = None) -> CustomerProfile:
        """Staff change anyone's; only the fields sent change. A save over a change made since `expected_version`
        was read is refused (409)."""
        require_staff(caller, "customers' profiles")
        return self._change(caller, key, change, expected_version)

    def change_own(self, caller: Principal, change: CustomerProfileChange,
                   expected_version: int | None = None) -> OwnCustomerProfile:
        return self._own_view(caller, self._change(caller, self.own_key(caller), change, expected_version))

    def _own_view(self, caller: Principal, profile: CustomerProfile) -> OwnCustomerProfile:
        """The profile with the organisation of the caller's verified address (the one the ticket list shares by,
        `TicketService.shared_organization`); none where it could not be read (logged): the profile still answers."""
        organization = None
        if caller.email and caller.email_verified:
            try:
                found = self._organizations(caller.tenant_id, caller.email)
            except Exception:
                logger.warning("could not read the customer's organisation", extra={"tenant_id": caller.tenant_id},
                               exc_info=True)
                found = None
            if found is not None:
                organization = OwnOrganization(id=found.id, name=found.name, shared_tickets=found.shared_tickets)
        return OwnCustomerProfile(**profile.model_dump(), organization=organization)

    def language_of(self, tenant_id: str, key: str) -> str | None:
        """The language the customer's mails are written in, None where none was set or it could not be read (then
        the mail follows the ticket's words: a profile unread must not stop a reply)."""
        profile = read_profile(self._store, tenant_id, key)
        return profile.language if profile is not None else None

    def names(self, tenant_id: str, keys: list[str]) -> dict[str, str]:
        """The names the team or the people set, for those of `keys` that have one (a page of the customers list)."""
        return {key: profile.name for key, profile in self._store.get_many(tenant_id, keys).items() if profile.name}

    def _read(self, tenant_id: str, key: str) -> CustomerProfile:
        return self._store.get(tenant_id, key) or CustomerProfile(tenant_id=tenant_id, id=key)

    def _change(self, caller: Principal, key: str, change: CustomerProfileChange,
                expected_version: int | None) -> CustomerProfile:
        before = self._read(caller.tenant_id, key)
        if expected_version is not None and expected_version != before.version:
            raise ConcurrentUpdate("the profile changed since you read it",
                                   {"id": key, "expected_version": expected_version, "current_version": before.version})
        fields = change.model_dump(include=change.model_fields_set)
        if all(before.model_dump().get(name) == value for name, value in fields.items()):
            return before  # nothing to write: no new version for a save of what is there
        after = before.model_copy(update={**fields, "updated_at": self._clock(), "updated_by": caller.user_id,
                                          "version": before.version + 1})
        self._store.put(after, before.version)
        return after


def read_profile(store: CustomerProfileStore, tenant_id: str, key: str) -> CustomerProfile | None:
    """The customer's profile where what it sets is a nicety (a mail's language, a new ticket's name): None where
    none is or it could not be read (logged), so a mail or a ticket never waits on it."""
    try:
        return store.get(tenant_id, key)
    except Exception:
        logger.warning("could not read a customer's profile; going on without it", extra={"tenant_id": tenant_id},
                       exc_info=True)
        return None


class ProfileNames:
    """(tenant, customer key) -> the name the customer's profile sets: the name a new ticket of theirs carries
    (`tickets.customer_links`), so the queue, greetings and macros call them as the team or they chose."""

    def __init__(self, store: CustomerProfileStore) -> None:
        self._store = store

    def __call__(self, tenant_id: str, key: str) -> str | None:
        profile = read_profile(self._store, tenant_id, key)
        return profile.name if profile is not None else None
