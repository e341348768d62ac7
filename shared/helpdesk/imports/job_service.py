"""Import jobs: an admin starts an import from the console, the import worker carries it out in rounds.

A round is one Lambda invocation from the import queue. It stops taking new tickets `margin_s` before its time is
up and queues the job again; the next round reads on from the page of the ticket list it stopped in (the job's
`tickets_at`, saved with its progress), passing over what it handled there, then goes on with the parts after the
tickets. A round lost to a crash goes on from the last save; a ticket written since is found already here (a lookup).
So nothing is imported twice and a crash loses nothing but time (though what the lost part of a round wrote counts as
"already here" in the report). The token waits in the vault (Secrets Manager) and is deleted when the job ends."""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from helpdesk.imports.jobs import (
    ConnectionCheck,
    ImportJob,
    ImportProgress,
    ImportRunning,
    ImportStatus,
    ImportUrlRefused,
    NewImport,
    merged,
)
from helpdesk.imports.model import ImportReport
from helpdesk.imports.ports import (
    CredentialVault,
    ImportJobStore,
    ImportQueue,
    OpenSource,
    SourceOpener,
    SourceUnavailable,
)
from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.kernel.errors import ConcurrentUpdate, Forbidden, NotFound
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.public_url import Resolver, check_public_url, resolve
from helpdesk.tickets.model import IMPORT_SOURCE_NAMES

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail
    from helpdesk.imports.catalog import SourceCatalog
    from helpdesk.imports.runs import Importers

log = logging.getLogger(__name__)

LISTED = 20  # jobs `GET /imports` shows
CANCEL_CHECK_S = 10.0  # how often a round reads its job again to see whether an admin cancelled it
# A round the Lambda stopped without a word (out of time or memory: nothing of ours ran to end the job) is handed
# out again by the queue. After this many tries the next delivery ends the job as failed instead of trying again
# (the import queue's maxReceiveCount is TRIES + 1), so the admin reads why rather than "running" for ever.
TRIES = 3
# A running job the worker has not saved for this long has no round coming: a round saves as it starts and every 50
# tickets, and one that crashed is handed out again within the queue's visibility timeout (16 minutes). It happens
# only when even the last delivery could not end the job (its message is in the dead-letter queue).
STALE_AFTER = timedelta(minutes=45)


def connection_check(source: OpenSource) -> ConnectionCheck:
    """Whom the source's credentials sign in as, or why an import with them would fail (the Import screen's "Test
    connection", `helpdesk import ... --check`)."""
    try:
        account = source.account()
    except SourceUnavailable as exc:
        return ConnectionCheck(ok=False, problem=str(exc))
    if account.admin is False:
        helpdesk, who = IMPORT_SOURCE_NAMES[source.name], account.name or account.email or "The token's user"
        return ConnectionCheck(ok=False, account=account, problem=(
            f"{who} is not an admin in {helpdesk}: an import reads the whole account (every ticket, the macros, "
            f"views, SLA policies and triggers), which {helpdesk} shows only to admins. Use an admin's credentials"
            + (" (a Zammad token has the permissions ticked when it was made: it needs admin and ticket.agent)."
               if source.name == "zammad" else ".")))
    return ConnectionCheck(ok=True, account=account)


class Cancelled(Exception):
    """The job was cancelled while a round ran: the round stops where it is."""


def _admin(caller: Principal) -> None:
    if caller.role != Role.ADMIN:
        raise Forbidden("only admins import from another helpdesk")


class ImportJobs:
    def __init__(self, store: ImportJobStore, vault: CredentialVault, queue: ImportQueue, open_source: SourceOpener,
                 importers: "Importers", *, allow_loopback: bool, margin_s: float = 120.0,
                 resolver: Resolver = resolve, clock: Clock = system_clock, audit: "AuditTrail | None" = None) -> None:
        self._store, self._vault, self._queue, self._open = store, vault, queue, open_source
        self._importers = importers
        self._allow_loopback, self._margin_s, self._resolver = allow_loopback, margin_s, resolver
        self._clock, self._audit = clock, audit

    # The admin's side (`/imports`)

    def start(self, caller: Principal, new: NewImport) -> ImportJob:
        """Check the address, keep the token in the vault and queue the job. One import at a time per tenant: two
        would read the same tickets and race to write them."""
        job = self._new_job(caller, new)
        unfinished = [j for j in self._store.recent(caller.tenant_id, LISTED)
                      if not j.finished and not self._given_up(caller, j)]
        if unfinished:
            raise ImportRunning("an import is already under way: wait for it to end or cancel it",
                                {"import_id": unfinished[0].id})
        self._vault.keep(job.tenant_id, job.id, new.token.get_secret_value())
        self._store.put(job, 0)
        self._queue.send(job.tenant_id, job.id)
        if self._audit is not None:
            self._audit.record(caller, "import.job", job.id, None,
                               job.model_dump(mode="json", include={"source", "url", "email", "options"}))
        return job

    def check(self, caller: Principal, new: NewImport) -> ConnectionCheck:
        """Sign in to the old helpdesk with what the form holds, once, and say as whom: wrong credentials, a wrong
        address or someone who is not an admin there are told now, not as a failed job minutes later."""
        job = self._new_job(caller, new)
        source = self._open(job, new.token.get_secret_value(), patient=False)
        try:
            return connection_check(source)
        finally:
            source.close()

    def _new_job(self, caller: Principal, new: NewImport) -> ImportJob:
        """The job the admin asks for, not saved: only an admin, only a public https address."""
        _admin(caller)
        check_public_url(new.url, what="the helpdesk's address", refused=ImportUrlRefused,
                         allow_loopback=self._allow_loopback, resolver=self._resolver)
        now = self._clock()
        return ImportJob(id=f"{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}", tenant_id=caller.tenant_id,
                         source=new.source, url=new.url, email=new.email, options=new.options(), created_at=now,
                         created_by=caller.user_id)

    def _given_up(self, caller: Principal, job: ImportJob) -> bool:
        """Whether a running job no round will take up again was just ended as failed (`STALE_AFTER`)."""
        if job.status != "running" or self._clock() - (job.saved_at or job.created_at) < STALE_AFTER:
            return False
        found = self._store.get(caller.tenant_id, job.id)
        if found is None or found[0].finished:
            return True
        stale, version = found
        stale.status, stale.finished_at = "failed", self._clock()
        stale.error = ("the worker stopped on this import and no round of it is coming (see the import dead-letter "
                       "queue and the worker's log); what came over stays: start it again to go on from there")
        try:
            self._store.put(stale, version)
        except ConcurrentUpdate:
            return False  # a round saved it this moment: it is alive
        self._vault.forget(stale.tenant_id, stale.id)
        return True

    def listed(self, caller: Principal) -> list[ImportJob]:
        _admin(caller)
        return self._store.recent(caller.tenant_id, LISTED)

    def get(self, caller: Principal, job_id: str) -> ImportJob:
        _admin(caller)
        found = self._store.get(caller.tenant_id, job_id)
        if found is None:
            raise NotFound("no such import", {"import_id": job_id})
        return found[0]

    def cancel(self, caller: Principal, job_id: str) -> ImportJob:
        """Stop it: a round under way stops within `CANCEL_CHECK_S` (what it wrote stays). A finished job is
        answered as it is."""
        _admin(caller)
        for _ in range(5):
            found = self._store.get(caller.tenant_id, job_id)
            if found is None:
                raise NotFound("no such import", {"import_id": job_id})
            job, version = found
            if job.finished:
                return job
            job.status, job.finished_at = "cancelled", self._clock()
            try:
                self._store.put(job, version)
            except ConcurrentUpdate:
                continue  # the worker saved its progress meanwhile: read it again
            self._vault.forget(job.tenant_id, job.id)
            return job
        raise ConcurrentUpdate("the import is busy: try again", {"import_id": job_id})

    # The worker's side (the import queue)

    def run_round(self, tenant_id: str, job_id: str, remaining_s: Callable[[], float], *, delivery: int = 1) -> None:
        """Take the job up: import until done or until `remaining_s()` falls under the margin, then queue it again.
        `delivery`: how many times the queue handed this round out (SQS's ApproximateReceiveCount)."""
        found = self._store.get(tenant_id, job_id)
        if found is None or found[0].finished:
            return  # cancelled, or a message delivered twice
        job, version = found
        if delivery > TRIES:
            log.error("import %s of tenant %s: the worker stopped %d times on one round without ending it",
                      job_id, tenant_id, delivery - 1)
            self._end(_Round(self._store, job, version, self._clock), "failed", (
                f"the worker stopped {delivery - 1} times on this import without finishing a round (it ran out of "
                "time or memory: see the worker's log); what came over stays: start it again to go on from there"))
            return
        token = self._vault.read(tenant_id, job_id)
        if token is None:
            self._end(_Round(self._store, job, version, self._clock), "failed",
                      "the sign-in token is gone: start the import again")
            return
        job.status, job.rounds = "running", job.rounds + 1
        job.started_at = job.started_at or self._clock()
        round_ = _Round(self._store, job, version, self._clock)
        try:
            round_.save()
        except Cancelled:
            return
        source: OpenSource | None = None
        try:
            source = self._open(job, token)
            self._run(round_, source, remaining_s)
        except Cancelled:
            pass
        except SourceUnavailable as exc:
            self._end(round_, "failed", str(exc))
        except Exception:  # ours: logged, and the admin told to start again (a rerun skips what came over)
            log.exception("import %s of tenant %s stopped", job_id, tenant_id)
            self._end(round_, "failed", "the import stopped on an error of ours (logged): what came over stays; "
                                        "start it again to go on from there")
        finally:
            if source is not None:
                source.close()

    def _run(self, round_: "_Round", source: OpenSource, remaining_s: Callable[[], float]) -> None:
        from helpdesk.imports.catalog import SourceCatalog

        job = round_.job
        caller = Principal(user_id=job.created_by, tenant_id=job.tenant_id, role=Role.ADMIN)
        catalog = SourceCatalog(source)

        def out_of_time() -> bool:
            return remaining_s() < self._margin_s

        if job.rounds == 1 and not job.tickets_done and self._count_tickets(job, source):
            round_.save()  # the screen shows it from now on, not from the first 50 tickets
        if not job.tickets_done and self._tickets(round_, caller, source, catalog, out_of_time):
            return self._continue(round_)
        report = job.report or ImportReport(tenant_id=job.tenant_id, source=job.source, dry_run=job.options.dry_run)
        for part in job.parts_left():
            if out_of_time():
                return self._continue(round_)
            self._importers.run_part(part, caller, source, job.options, catalog, report)
            job.report = report
            job.parts_done.append(part)
            round_.save()
        report.problems.extend(p for p in source.unreadable() if p not in report.problems)
        job.report = report
        self._end(round_, "done", None)

    @staticmethod
    def _count_tickets(job: ImportJob, source: OpenSource) -> bool:
        """How many tickets wait, for the screen's progress: only where the helpdesk counts them and the import reads
        them all. A count that fails is no count (the tickets' own requests say what is wrong). Whether one was
        kept."""
        if job.options.since is not None:
            return False
        try:
            counted = source.account().tickets
        except SourceUnavailable:
            return False
        if counted is None:
            return False
        job.progress.tickets_total = counted if job.options.limit is None else min(counted, job.options.limit)
        return True

    def _tickets(self, round_: "_Round", caller: Principal, source: OpenSource, catalog: "SourceCatalog",
                 out_of_time: Callable[[], bool]) -> bool:
        """Import tickets until all are read (False) or the round is out of time (True)."""
        job, before = round_.job, round_.job.report
        options = job.options
        if options.limit is not None and before is not None:
            options = options.model_copy(update={"limit": max(1, options.limit - before.tickets_imported)})
        stopped = False

        def stop() -> bool:
            nonlocal stopped
            round_.check_cancelled()
            stopped = out_of_time()
            return stopped

        def progress(report: ImportReport) -> None:
            so_far = merged(before, report)
            job.progress = ImportProgress(tickets_imported=so_far.tickets_imported,
                                          already_imported=so_far.already_imported,
                                          tickets_failed=so_far.tickets_failed,
                                          tickets_total=job.progress.tickets_total)
            round_.save()

        report = self._importers.run_tickets(caller, source, options, catalog, progress=progress, stop=stop,
                                             position=job.tickets_at)  # kept up to date as it reads: saved with it
        progress(report)  # the round's last count, saved
        job.report = merged(before, report)
        job.tickets_done = not stopped
        round_.save()
        return stopped

    def _continue(self, round_: "_Round") -> None:
        round_.save()
        self._queue.send(round_.job.tenant_id, round_.job.id)

    def _end(self, round_: "_Round", status: ImportStatus, error: str | None) -> None:
        job = round_.job
        job.status, job.error, job.finished_at = status, error, self._clock()
        try:
            round_.save()
        except Cancelled:
            pass  # cancelled meanwhile: the cancel stands
        finally:
            self._vault.forget(job.tenant_id, job.id)


class _Round:
    """The job as one round holds it: saved with its version, so an admin's cancel is seen, not overwritten."""

    def __init__(self, store: ImportJobStore, job: ImportJob, version: int, clock: Clock) -> None:
        self._store, self.job, self.version, self._clock = store, job, version, clock
        self._checked = time.monotonic()

    def save(self) -> None:
        self.job.saved_at = self._clock()
        try:
            self.version = self._store.put(self.job, self.version)
        except ConcurrentUpdate as exc:  # only a cancel writes beside the worker
            raise Cancelled from exc
        self._checked = time.monotonic()

    def check_cancelled(self) -> None:
        if time.monotonic() - self._checked < CANCEL_CHECK_S:
            return
        found = self._store.get(self.job.tenant_id, self.job.id)
        if found is None or found[0].status == "cancelled":
            raise Cancelled
        self._checked = time.monotonic()
