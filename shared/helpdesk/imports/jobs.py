"""An import started from the console (`POST /imports`): what the admin asked for, and the job that carries it out
in rounds on the import queue (a Lambda runs at most 15 minutes; a large helpdesk takes longer)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator

from helpdesk.imports.model import ImportReport, ListingPosition, SourceAccount
from helpdesk.kernel.errors import Conflict, InvalidInput
from helpdesk.tickets.model import ImportSource

ImportStatus = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: frozenset[ImportStatus] = frozenset({"done", "failed", "cancelled"})
# The parts after the tickets, in the order they run (each reads what the ones before brought over).
Part = Literal["macros", "views", "sla", "triggers", "articles"]
PARTS: tuple[Part, ...] = ("macros", "views", "sla", "triggers", "articles")
# FreeScout's API has tickets (conversations), customers and custom fields only.
PARTS_OF: dict[ImportSource, frozenset[Part]] = {"zendesk": frozenset(PARTS), "zammad": frozenset(PARTS),
                                                 "freescout": frozenset()}


class ImportUrlRefused(InvalidInput):
    code = "import_url_refused"


class ImportRunning(Conflict):
    code = "import_running"


class ImportOptions(BaseModel):
    """What to bring over (the CLI's flags, the same defaults)."""

    model_config = ConfigDict(extra="forbid")

    since: datetime | None = Field(default=None, description="Only tickets created or changed since (UTC when the "
                                                              "time has no zone).")
    limit: int | None = Field(default=None, ge=1, le=1_000_000, description="At most this many new tickets.")
    dry_run: bool = Field(default=False, description="Read and map everything, write nothing.")
    macros: bool = True
    views: bool = True
    sla: bool = True
    triggers: bool = Field(default=True, description="Triggers on new tickets as routing rules, those on changes "
                                                     "as triggers.")
    articles: bool = Field(default=True, description="The help centre's articles (drafts here).")
    publish: bool = Field(default=False, description="Publish the articles published there (you reviewed them).")

    def parts(self, source: ImportSource) -> list[Part]:
        """The parts after the tickets this import runs, in order."""
        return [p for p in PARTS if getattr(self, p) and p in PARTS_OF[source]]


class NewImport(ImportOptions):
    """`POST /imports`: the old helpdesk, how to sign in to it, and what to bring."""

    source: ImportSource
    url: str = Field(min_length=8, max_length=300, description="The old helpdesk's address "
                                                               "(https://acme.zendesk.com).")
    email: str | None = Field(default=None, max_length=254, validate_default=True,
                              description="Zendesk only: the admin whose API token this is.")
    token: SecretStr = Field(min_length=1, max_length=2000, description="Zendesk's API token, Zammad's access "
                                                                        "token or FreeScout's API key. Kept in "
                                                                        "Secrets Manager for the run, then deleted; "
                                                                        "never shown again.")

    @field_validator("url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("email")
    @classmethod
    def _email_for_zendesk(cls, email: str | None, info: ValidationInfo) -> str | None:
        """Named on `email` (the form shows it there), so it is a field's check, not the model's."""
        source = info.data.get("source")
        if source == "zendesk" and not (email and "@" in email):
            raise ValueError("Zendesk signs in with an admin's address and an API token: give `email`")
        if source not in (None, "zendesk") and email:
            raise ValueError(f"{source} signs in with the token alone: leave `email` out")
        return email

    def options(self) -> ImportOptions:
        return ImportOptions.model_validate(self.model_dump(include=set(ImportOptions.model_fields)))


class ConnectionCheck(BaseModel):
    """`POST /imports/check`: whether the old helpdesk lets these credentials in, and as whom, before anything is
    queued. Nothing is kept: the token serves this one request."""

    ok: bool
    account: SourceAccount | None = None
    problem: str | None = Field(default=None, description="Why an import with these would fail, in words an admin "
                                                           "can act on.")


class ImportProgress(BaseModel):
    tickets_imported: int = 0
    already_imported: int = 0
    tickets_failed: int = 0
    # About how many tickets there are to read, where the old helpdesk counts them (Zendesk, FreeScout) and the
    # import reads them all (no `since`); at most `limit`. Counted as the first round starts.
    tickets_total: int | None = None


class ImportJob(BaseModel):
    id: str
    tenant_id: str
    source: ImportSource
    url: str
    email: str | None = None
    options: ImportOptions
    status: ImportStatus = "queued"
    created_at: datetime
    created_by: str
    started_at: datetime | None = None
    saved_at: datetime | None = None  # the worker's last save (a round saves as it starts and every 50 tickets)
    finished_at: datetime | None = None
    rounds: int = 0  # how many times the worker took it up (one per up to 15 minutes)
    tickets_done: bool = False  # every ticket was read; the later rounds go on with the parts
    tickets_at: ListingPosition = Field(default_factory=ListingPosition)  # where the next round reads on from
    parts_done: list[Part] = Field(default_factory=list)
    progress: ImportProgress = Field(default_factory=ImportProgress)
    report: ImportReport | None = None  # so far; the whole of it once done
    error: str | None = None  # why it failed

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def parts_left(self) -> list[Part]:
        return [p for p in self.options.parts(self.source) if p not in self.parts_done]


# Counters a later round adds to: each round handles tickets no other round of the job handled (`ListingPosition`).
_SUMMED = ("tickets_imported", "already_imported", "tickets_completed", "deleted_skipped", "tickets_failed", "messages",
           "time_entries", "message_ids_remembered", "attachments_imported", "attachments_left",
           "field_values_dropped", "organizations_created")
_PART_REPORTS = ("articles", "macros", "rules", "triggers", "automations", "views", "calendars", "sla_policies")


def merged(before: ImportReport | None, latest: ImportReport) -> ImportReport:
    """The report of a job's rounds so far. Each round goes on where the one before stopped, so its tickets and what
    they lacked (agents, groups) add up; organisations and fields are read again by every round, so those an earlier
    round created are not "matched"."""
    if before is None:
        return latest
    out = latest.model_copy(deep=True)
    for name in _SUMMED:
        setattr(out, name, getattr(before, name) + getattr(latest, name))
    for missing in ("agents_not_in_directory", "groups_not_in_directory"):
        counts = dict(getattr(before, missing))
        for key, n in getattr(latest, missing).items():
            counts[key] = counts.get(key, 0) + n
        setattr(out, missing, counts)
    out.organizations_matched = max(0, latest.organizations_matched - before.organizations_created)
    out.fields_created = [*before.fields_created, *(f for f in latest.fields_created if f not in before.fields_created)]
    out.fields_matched = [f for f in latest.fields_matched if f not in out.fields_created]
    out.forms_created = [*before.forms_created, *(f for f in latest.forms_created if f not in before.forms_created)]
    out.forms_matched = [f for f in latest.forms_matched if f not in out.forms_created]
    out.problems = [*before.problems, *(p for p in latest.problems if p not in before.problems)]
    for name in _PART_REPORTS:
        if getattr(out, name) is None:
            setattr(out, name, getattr(before, name))
    return out
