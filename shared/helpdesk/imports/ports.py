"""What an import reads: another helpdesk's organisations, people, groups and tickets."""

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from helpdesk.imports.model import (
    SourceAccount,
    SourceArticle,
    SourceAutomation,
    SourceCalendar,
    SourceComment,
    SourceField,
    SourceFile,
    SourceForm,
    SourceGroup,
    SourceMacro,
    SourceOrganization,
    SourcePerson,
    SourceRule,
    SourceSlaPolicy,
    SourceTicket,
    SourceTrigger,
    SourceView,
    UnreadableTicket,
)
from helpdesk.tickets.model import ImportSource

if TYPE_CHECKING:
    from helpdesk.imports.jobs import ImportJob


class SourceUnavailable(RuntimeError):
    """The old helpdesk refused or failed a request for good (wrong credentials, no such account, a server error
    after retries): the import stops, and what it wrote so far stays (a rerun continues)."""


class CredentialsRefused(SourceUnavailable):
    """The old helpdesk refused the credentials for a request (401/403): wrong ones, or ones without that right."""


class HelpdeskSource(Protocol):
    name: ImportSource

    def organizations(self) -> Iterator[SourceOrganization]: ...

    def people(self) -> Iterator[SourcePerson]: ...

    def groups(self) -> Iterator[SourceGroup]: ...

    def ticket_fields(self) -> Iterator[SourceField]:
        """The custom ticket fields (not the system ones: subject, status, group, ...)."""
        ...

    def unreadable(self) -> list[str]:
        """The records of its other lists (organisations, people, groups, fields, forms, macros, rules, triggers,
        views, SLA policies, calendars) read so far and passed over because they could not be read, each named with
        why ("organization 17: not readable: 'name' missing"): the report's `problems` name them."""
        ...

    def tickets(self, since: datetime | None, resume: str | None = None
                ) -> Iterator[SourceTicket | UnreadableTicket]:
        """Every ticket created or changed since `since` (all of them without), oldest change first; one that cannot
        be read is an `UnreadableTicket`, so one odd record does not stop a run. `resume`: a `resume_point()` of an
        earlier read (an import job's earlier round): the list starts at that page instead of its first."""
        ...

    def resume_point(self) -> str | None:
        """Where `tickets` can start again to read the page its last ticket came from (None: the first page): Zendesk's
        cursor, a page number elsewhere. Opaque, kept in the import job between rounds."""
        ...

    def comments(self, ticket_id: str) -> Iterator[SourceComment]:
        """The ticket's conversation, oldest first."""
        ...

    def ticket_forms(self) -> Iterator[SourceForm]:
        """The ticket forms (the kinds of request customers pick), with the custom fields each asks."""
        ...

    def macros(self) -> Iterator[SourceMacro]:
        """The macros (canned replies with actions), active or not."""
        ...

    def routing_rules(self) -> Iterator[SourceRule]:
        """The rules that route new tickets (set a group, a priority, tags), in the order they run there."""
        ...

    def triggers(self) -> Iterator[SourceTrigger]:
        """The rules that change tickets when something happens to them (on updates), in the order they run there."""
        ...

    def triggers_rerun(self) -> bool:
        """Whether its triggers run again from the top after one acted (Zendesk's cycle; `TriggerList.rerun`)."""
        ...

    def views(self) -> Iterator[SourceView]:
        """The saved ticket lists (Zendesk's views, Zammad's overviews), active or not, in their order there."""
        ...

    def automations(self) -> Iterator[SourceAutomation]:
        """The time-based rules, each with what does its work here."""
        ...

    def sla_policies(self) -> Iterator[SourceSlaPolicy]:
        """The SLA policies, in the order they are tried there."""
        ...

    def calendars(self) -> Iterator[SourceCalendar]:
        """The business hours the SLA policies count on."""
        ...

    def articles(self) -> Iterator[SourceArticle]:
        """The help centre's articles, every language."""
        ...

    def download(self, file: SourceFile, max_bytes: int) -> bytes:
        """The file's bytes; `FileUnavailable` when it cannot be had (gone, larger than `max_bytes`)."""
        ...


class FileUnavailable(RuntimeError):
    """One file could not be fetched: the message comes over without it (and names it)."""


class OpenSource(HelpdeskSource, Protocol):
    """A source an import job opened (an HTTP client to the old helpdesk), closed when its round ends."""

    def account(self) -> SourceAccount:
        """Whom the credentials sign in as; `SourceUnavailable` when they do not."""
        ...

    def close(self) -> None: ...


class ImportJobStore(Protocol):
    """The tenant's import jobs, each versioned: the worker and an admin's cancel never overwrite each other."""

    def get(self, tenant_id: str, job_id: str) -> "tuple[ImportJob, int] | None":
        """The job and its version, read now."""
        ...

    def put(self, job: "ImportJob", expected_version: int) -> int:
        """Save it if still at `expected_version` (0: a new job) and return the new version; `ConcurrentUpdate`
        otherwise."""
        ...

    def recent(self, tenant_id: str, limit: int) -> "list[ImportJob]":
        """The latest jobs, newest first."""
        ...


class CredentialVault(Protocol):
    """Where an import's token waits for the worker (Secrets Manager in AWS): never in the job, never logged."""

    def keep(self, tenant_id: str, job_id: str, token: str) -> None: ...

    def read(self, tenant_id: str, job_id: str) -> str | None:
        """The token; None once forgotten."""
        ...

    def forget(self, tenant_id: str, job_id: str) -> None:
        """Delete it for good (no recovery window): the import is over."""
        ...


class ImportQueue(Protocol):
    def send(self, tenant_id: str, job_id: str) -> None:
        """Ask the worker to take the job up (again)."""
        ...


class SourceOpener(Protocol):
    def __call__(self, job: "ImportJob", token: str, *, patient: bool = True) -> OpenSource:
        """The old helpdesk the job reads from, signed in with its token. `patient=False` for a connection check an
        admin waits for: one try per request, a short timeout (a round waits out rate limits and overloads)."""
        ...
