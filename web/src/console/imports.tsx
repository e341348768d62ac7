// Import (#/import, admins): bring the team's history over from the helpdesk it leaves (Zendesk, Zammad, FreeScout)
// and follow it. The API queues the import and a worker carries it out in rounds (a large helpdesk takes hours), so
// the screen lists the latest imports, newest first, and reads them again every 2 s while one is queued or running
// (not once none is, nor once the screen is left, nor while the tab is hidden). A running import can be stopped
// (what came over stays); a finished one shows its report, a failed one why.
import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { ImportJob } from "../api/types";
import { when } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { useStaffAndGroups } from "./assignment";
import { ImportForm, SOURCES } from "./import-form";
import { ImportReportView } from "./import-report";

export const POLL_MS = 2000;

type Status = NonNullable<ImportJob["status"]>;
const STATUS_BADGE: Record<Status, string> = { queued: "pending", running: "new", done: "sla-ok", failed: "sla-breached", cancelled: "cancelled" };
const PART_NAMES: Record<string, string> = { macros: "macros", views: "views", sla: "SLA policies", triggers: "triggers", articles: "articles" };
const PARTS = ["macros", "views", "sla", "triggers", "articles"] as const;

/** Queued or running: one the worker has not ended (nor an admin stopped). */
export function unfinished(job: ImportJob): boolean {
  const status = job.status ?? "queued";
  return status === "queued" || status === "running";
}

/** "Import from Zendesk (https://acme.zendesk.com)": an import as sentences name it. */
export function importName(job: ImportJob): string {
  return `import from ${SOURCES[job.source].name} (${job.url})`;
}

/** What the admin asked besides the tickets: "since 1 Mar 2025, at most 10 tickets, tickets only". */
export function optionsText(job: ImportJob): string {
  const o = job.options;
  const parts = job.source === "freescout" ? [] : PARTS.filter((p) => o[p] !== false);
  return [
    o.since ? `since ${new Date(o.since).toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" })}` : "",
    o.limit ? `at most ${o.limit} tickets` : "",
    parts.length ? `with ${parts.map((p) => PART_NAMES[p]).join(", ")}` : "tickets only",
    parts.includes("articles") && o.publish ? "publishing the published articles" : "",
  ].filter(Boolean).join(", ");
}

/** Where a running import is: still on the tickets, or on the parts after them. */
export function stageText(job: ImportJob): string {
  if ((job.status ?? "queued") !== "running") return "";
  if (!job.tickets_done) return "reading tickets";
  const done = job.parts_done ?? [];
  const left = job.source === "freescout" ? [] : PARTS.filter((p) => job.options[p] !== false && !done.includes(p));
  return `tickets done${left.length ? `; now ${PART_NAMES[left[0] ?? ""]}` : ""}`;
}

export function ImportScreen({ api, pollMs = POLL_MS }: { api: ApiClient; pollMs?: number }) {
  const [jobs, setJobs] = useState<ImportJob[] | null>(null);
  const [error, setError] = useState<unknown>(null); // of a cancel
  const [listError, setListError] = useState<unknown>(null); // of reading the list: gone once a read succeeds
  const [notice, setNotice] = useState("");
  const [again, setAgain] = useState<ImportJob | null>(null); // an ended import whose settings fill the form
  const { users } = useStaffAndGroups(api);
  const seen = useRef<ImportJob[]>([]);
  // bumped by each change the screen made itself (a start, a cancel): a read that began before it answers too old
  const changes = useRef(0);
  const show = (latest: ImportJob[]) => {
    // an import the screen followed that ended is said once, for screen readers too (the status line is polite)
    const ended = latest.find((j) => !unfinished(j) && seen.current.some((s) => s.id === j.id && unfinished(s)));
    if (ended) setNotice(`The ${importName(ended)} ${ended.status === "done" ? "is done" : ended.status}.`);
    seen.current = latest;
    setJobs(latest);
  };
  const load = async () => {
    const before = changes.current;
    const { items } = await api.get("/imports");
    if (changes.current !== before) return;
    show(items);
    setListError(null);
  };
  useEffect(() => {
    load().catch(setListError);
  }, [api]);
  const active = jobs?.some(unfinished) ?? false;
  useEffect(() => {
    if (!active) return;
    let reading = false;
    const timer = window.setInterval(() => {
      // the list as last shown: one that ended stops the reading now, not once the screen has drawn it
      if (reading || document.visibilityState === "hidden" || !seen.current.some(unfinished)) return;
      reading = true;
      load().catch(setListError).finally(() => { reading = false; });
    }, pollMs);
    return () => window.clearInterval(timer);
  }, [active, pollMs]);
  const started = (job: ImportJob) => {
    changes.current += 1;
    setError(null);
    setNotice(`The ${job.options.dry_run ? "dry run" : "import"} from ${SOURCES[job.source].name} is queued: it shows below as it goes. You may leave this page meanwhile.`);
    show([job, ...seen.current.filter((j) => j.id !== job.id)]);
  };
  const cancel = async (job: ImportJob) => {
    setError(null);
    setNotice("");
    try {
      const after = (await api.call("post", "/imports/{import_id}/cancel", { path: { import_id: job.id } })).data;
      changes.current += 1;
      show(seen.current.map((j) => (j.id === after.id ? after : j)));
      setNotice(after.status === "cancelled" ? `The ${importName(after)} is stopped: what came over stays.` : `The ${importName(after)} had ended already.`);
    } catch (err) {
      setError(err);
    }
  };
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import</h1>
      <p class="hint">Bring your tickets, customers, macros, views, SLA policies, triggers and help centre over from Zendesk,
        Zammad or FreeScout. The import runs on its own (a large helpdesk takes hours): you may leave this page and come back.
        One import at a time; one run again skips what came over before.</p>
      <ImportForm api={api} running={active} onStarted={started} again={again} />
      <div class="panel" data-testid="imports">
        <h2 id="imports-title">Imports</h2>
        <Alert error={error ?? listError} />
        <p role="status" class="notice" data-testid="import-notice">{notice}</p>
        {jobs === null ? (listError ? null : <p>Loading…</p>) : jobs.length === 0 ? <p>No imports yet.</p> : (
          <ImportList jobs={jobs} nameOf={nameOf} onCancel={(job) => void cancel(job)} onAgain={setAgain} />
        )}
      </div>
    </section>
  );
}

/** The latest imports, newest first: each with its status, progress and who started it when; the newest one's report
 * open (the others' a click away); a failed one's error under it. */
function ImportList({ jobs, nameOf, onCancel, onAgain }: {
  jobs: ImportJob[]; nameOf: (id: string) => string; onCancel: (job: ImportJob) => void;
  onAgain: (job: ImportJob) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [opened, setOpened] = useState<Record<string, boolean>>({});
  return (
    // focusable when nothing in it is, so that a keyboard can scroll it where it scrolls (a tablet)
    <table class="cards" aria-labelledby="imports-title" tabIndex={jobs.some((j) => j.report || unfinished(j)) ? undefined : 0}>
      <thead><tr><th scope="col">Import</th><th scope="col">Status</th><th scope="col">Tickets</th><th scope="col">Started</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>
        {jobs.map((job, i) => {
          const status = job.status ?? "queued";
          const open = opened[job.id] ?? i === 0;
          const name = importName(job);
          return (
            <Fragment key={job.id}>
              <tr data-testid="import" data-import-id={job.id} data-status={status}>
                <td class="card-title">
                  {SOURCES[job.source].name} <span class="import-url">{job.url}</span>
                  {job.options.dry_run ? <> <Badge kind="ai">dry run</Badge></> : null}
                  <div class="hint">{optionsText(job)}</div>
                </td>
                <td data-testid="import-status">
                  <Badge kind={STATUS_BADGE[status]}>{status}</Badge>
                  {stageText(job) ? <span class="hint"> {stageText(job)}</span> : null}
                  {job.finished_at ? <div class="hint">ended {when(job.finished_at)}</div> : null}
                </td>
                <td data-label="Tickets" data-testid="import-progress"><Progress job={job} /></td>
                <td data-label="Started">{when(job.created_at)} <span class="hint">by {nameOf(job.created_by)}</span></td>
                <td>
                  {job.report ? (
                    <button type="button" class="link" aria-expanded={open} data-testid="import-report-toggle"
                      onClick={() => setOpened({ ...opened, [job.id]: !open })}>
                      Report <span class="sr-only">of the {name}</span>
                    </button>
                  ) : null}{" "}
                  {unfinished(job) ? null : (
                    <button type="button" class="link" data-testid="import-again" onClick={() => onAgain({ ...job })}>
                      Import again <span class="sr-only">with the settings of the {name}</span>
                    </button>
                  )}{" "}
                  {!unfinished(job) ? null : confirming === job.id ? (
                    <span role="group" aria-label={`Stop the ${name}? What came over stays.`}>
                      <button type="button" class="danger" data-testid="cancel-import-confirm"
                        onClick={() => { setConfirming(null); onCancel(job); }}>Stop it</button>{" "}
                      <button type="button" class="link" onClick={() => setConfirming(null)}>Keep going</button>
                    </span>
                  ) : (
                    <button type="button" class="link" data-testid="cancel-import" onClick={() => setConfirming(job.id)}>
                      Cancel <span class="sr-only">the {name}</span>
                    </button>
                  )}
                </td>
              </tr>
              {status === "failed" ? (
                <tr class="import-detail">
                  <td colSpan={5}>
                    <p class="alert" data-testid="import-error"><strong>It failed:</strong> {job.error ?? "no reason given"}</p>
                  </td>
                </tr>
              ) : null}
              {open && job.report ? (
                <tr class="import-detail">
                  <td colSpan={5}>
                    {unfinished(job) ? <p class="hint">So far:</p> : null}
                    <ImportReportView report={job.report} label={`Report of the ${name}`} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

/** Tickets imported, already here and failed, as the worker last counted them (the report's once it ended). */
function Progress({ job }: { job: ImportJob }) {
  const p = unfinished(job) || !job.report ? job.progress : job.report;
  return (
    <>
      <span data-testid="import-imported">{p?.tickets_imported ?? 0} imported</span>
      {" · "}{p?.already_imported ?? 0} already here
      {" · "}<span class={p?.tickets_failed ? "import-failed-count" : undefined}>{p?.tickets_failed ?? 0} failed</span>
      {unfinished(job) && !job.tickets_done ? <TicketsRead job={job} /> : null}
    </>
  );
}

/** How far through the old helpdesk's tickets a running import is, where it counted them (Zendesk, FreeScout: the
 * worker asks as it starts): a large import takes hours, and "1,200 imported" alone does not say how long is left. */
function TicketsRead({ job }: { job: ImportJob }) {
  const total = job.progress?.tickets_total;
  if (total == null || total <= 0) return null;
  const p = job.progress;
  const read = Math.min(total, (p?.tickets_imported ?? 0) + (p?.already_imported ?? 0) + (p?.tickets_failed ?? 0));
  const share = `${read.toLocaleString()} of about ${total.toLocaleString()} tickets read`;
  return (
    <span class="import-read" data-testid="import-read">
      <progress max={total} value={read} aria-label={share} />
      {share}
    </span>
  );
}
