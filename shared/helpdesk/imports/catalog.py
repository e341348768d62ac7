"""What the parts of one import run (tickets, macros, routing rules) each need of the old helpdesk's lists, read
from it once: its people (a B2C account has many: every page of them is a request), groups, organisations and custom
fields. The parts used to read them each again."""

from functools import cached_property

from helpdesk.imports.model import SourceField, SourceOrganization, SourcePerson
from helpdesk.imports.ports import HelpdeskSource


class SourceCatalog:
    def __init__(self, source: HelpdeskSource) -> None:
        self.source = source

    @cached_property
    def people(self) -> dict[str, SourcePerson]:
        return {person.id: person for person in self.source.people()}

    @cached_property
    def groups(self) -> dict[str, str]:
        """Old group id -> its name."""
        return {group.id: group.name for group in self.source.groups()}

    @cached_property
    def organizations(self) -> list[SourceOrganization]:
        return list(self.source.organizations())

    @cached_property
    def ticket_fields(self) -> list[SourceField]:
        return list(self.source.ticket_fields())
