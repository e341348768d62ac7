"""The old helpdesk's groups and people as the directory here knows them: every part of an import (tickets, macros,
views, rules, SLA policies) maps them the same way."""

from collections.abc import Iterable, Mapping

from helpdesk.directory.model import slug
from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.model import SourceOrganization, SourcePerson


def matched_groups(store: DirectoryStore, tenant_id: str, old: Mapping[str, str]) -> dict[str, str]:
    """Old group id -> the directory group of the same name (or whose id is the name's slug)."""
    ours = store.list_groups(tenant_id)
    by_name = {g.name.casefold(): g.id for g in ours} | {g.id: g.id for g in ours}
    found = {gid: by_name.get(name.casefold()) or by_name.get(slug(name)) for gid, name in old.items()}
    return {gid: group for gid, group in found.items() if group is not None}


def matched_organizations(store: DirectoryStore, tenant_id: str,
                          old: Iterable[SourceOrganization]) -> dict[str, str]:
    """Old organisation id -> the directory's organisation of the same name (the ticket import makes them)."""
    ours = {o.name.casefold(): o.id for o in store.list_organizations(tenant_id)}
    return {o.id: ours[o.name.casefold()] for o in old if o.name.casefold() in ours}


def directory_user_id(store: DirectoryStore, tenant_id: str, person: SourcePerson | None, *,
                      staff_only: bool = False) -> str | None:
    """The directory's user with the person's address (None: no such user, or no address). `staff_only`: only for
    one of the team there (an item they kept for themselves, a view of their tickets)."""
    if person is None or not person.email or (staff_only and not person.staff):
        return None
    return store.user_id_for_email(tenant_id, person.email.lower())
