// The Import screen's form: which helpdesk the team leaves, how to sign in to it, and what to bring over. The API
// takes the token once (kept in Secrets Manager for the run, then deleted) and never answers it back, so the field
// empties once an import started; everything else stays, so a trial of a few tickets can be followed by the real one.
// A refusal shows beside the field it names (a 422's field, an address that is not https to a public host); one that
// names no field (another import under way, 409) shows above the form.
// "Test connection" sends the same body to POST /imports/check first: wrong credentials or someone who is not an admin
// there are told now, not as a failed import minutes later. Its answer describes what was typed then, so it goes as
// soon as the helpdesk, address, email or token changes (or an import starts); its refusals show as a start's do.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { ConnectionCheck, ImportJob, ImportSource, NewImport } from "../api/types";
import { validationErrors } from "../shared/problems";
import { Alert } from "../shared/ui";
import { ConnectionResult } from "./import-check";

/** What each source is called, where its address points, and where its admin makes the token. */
export const SOURCES: Record<ImportSource, { name: string; address: string; token: string; where: string }> = {
  zendesk: { name: "Zendesk", address: "https://acme.zendesk.com", token: "API token",
    where: "Make one in Zendesk's Admin Center > Apps and integrations > APIs > Zendesk API (turn on token access, then Add API token)." },
  zammad: { name: "Zammad", address: "https://support.acme.com", token: "Access token",
    where: "Make one as an admin in Zammad: your avatar > Profile > Token Access > Create." },
  freescout: { name: "FreeScout", address: "https://help.acme.com", token: "API key",
    where: "Find it in FreeScout's Manage > API & Webhooks (the API & Webhooks module)." },
};

/** The parts after the tickets, as the form offers them (FreeScout has none: its API has tickets only). */
const PARTS = [["macros", "Macros"], ["views", "Views"], ["sla", "SLA policies and business hours"],
  ["triggers", "Triggers (those on new tickets as routing rules)"], ["articles", "Help centre articles (as drafts)"]] as const;
type Part = (typeof PARTS)[number][0];

export interface ImportDraft extends Record<Part, boolean> {
  source: ImportSource;
  url: string;
  email: string;
  token: string;
  since: string; // yyyy-mm-dd, "" for every ticket
  limit: string; // as typed, "" for no limit
  dryRun: boolean;
  publish: boolean;
}

export const EMPTY_IMPORT: ImportDraft = { source: "zendesk", url: "", email: "", token: "", since: "", limit: "",
  dryRun: false, macros: true, views: true, sla: true, triggers: true, articles: true, publish: false };

/** The form as an earlier import was asked (its token never comes back: typed again). */
export function draftOf(job: ImportJob): ImportDraft {
  const o = job.options;
  return { ...EMPTY_IMPORT, source: job.source, url: job.url, email: job.email ?? "", since: o.since ? o.since.slice(0, 10) : "",
    limit: o.limit ? String(o.limit) : "", dryRun: o.dry_run ?? false, macros: o.macros ?? true, views: o.views ?? true,
    sla: o.sla ?? true, triggers: o.triggers ?? true, articles: o.articles ?? true, publish: o.publish ?? false };
}

/** What signs in there: editing one of these makes a connection check's answer stale. */
const SIGN_IN: (keyof ImportDraft)[] = ["source", "url", "email", "token"];

/** The fields a refusal can name, beside which it shows. */
export type ImportField = "url" | "email" | "token" | "since" | "limit";
const FIELDS: ImportField[] = ["url", "email", "token", "since", "limit"];

/** The address as the API wants it: "acme.zendesk.com" typed without a scheme is https. */
export function addressOf(typed: string): string {
  const url = typed.trim();
  return url && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? `https://${url}` : url;
}

/** What `POST /imports` gets: the email for Zendesk only (the others sign in with the token alone and refuse one),
 * the parts for Zendesk and Zammad only (FreeScout brings tickets), publishing only with the articles. */
export function toNewImport(d: ImportDraft): NewImport {
  const body: NewImport = { source: d.source, url: addressOf(d.url), token: d.token.trim(), dry_run: d.dryRun };
  if (d.source === "zendesk") body.email = d.email.trim();
  if (d.since) body.since = `${d.since}T00:00:00Z`;
  if (d.limit.trim()) body.limit = Number(d.limit);
  if (d.source !== "freescout") {
    for (const [part] of PARTS) body[part] = d[part];
    body.publish = d.articles && d.publish;
  }
  return body;
}

/** The field a refusal names, and what to say there: a 422's first named field, a refused address; null for the rest
 * (they show above the form). */
export function refusedField(error: unknown): { field: ImportField; text: string } | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "import_url_refused") return { field: "url", text: error.message };
  for (const { loc, msg } of validationErrors(error.details)) {
    const text = (msg ?? error.message).replace(/^Value error, /, "");
    const named = loc.find((p): p is ImportField => FIELDS.includes(p as ImportField));
    if (named) return { field: named, text };
  }
  return null;
}

export function ImportForm({ api, running, onStarted, again }: {
  api: ApiClient; running: boolean; onStarted: (job: ImportJob) => void;
  again?: ImportJob | null; // "Import again" on an import of the list: its settings, the token to type
}) {
  const [draft, setDraft] = useState<ImportDraft>(EMPTY_IMPORT);
  const tokenField = useRef<HTMLInputElement>(null);
  // before the browser paints (useEffect waits for a frame): what is typed right after the click is never overwritten
  useLayoutEffect(() => {
    if (!again) return;
    setDraft(draftOf(again));
    setError(null);
    forgetCheck();
    tokenField.current?.focus();
  }, [again]);
  const [error, setError] = useState<unknown>(null); // of a start or a check: one refusal shows at a time
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<ConnectionCheck | null>(null);
  const checking = useRef<AbortController | null>(null); // the check under way, if one is
  const [testing, setTesting] = useState(false);
  // a check still on its way is dropped too: its answer would describe what is no longer typed
  const forgetCheck = () => {
    checking.current?.abort();
    checking.current = null;
    setTesting(false);
    setChecked(null);
  };
  useEffect(() => () => checking.current?.abort(), []);
  const set = (patch: Partial<ImportDraft>) => {
    if (SIGN_IN.some((key) => key in patch)) forgetCheck();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const refused = refusedField(error);
  const source = SOURCES[draft.source];
  const start = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const job = (await api.call("post", "/imports", { body: toNewImport(draft) })).data;
      setDraft((d) => ({ ...d, token: "" })); // the API keeps it for the run; the page does not
      forgetCheck();
      onStarted(job);
    } catch (err) {
      setError(err); // the form keeps what was typed
    } finally {
      setBusy(false);
    }
  };
  const check = async (form: HTMLFormElement | null) => {
    // the browser tells a missing address or token as it does for Start, before anything is sent
    if (testing || !form?.reportValidity()) return;
    forgetCheck();
    setError(null);
    const asked = new AbortController();
    checking.current = asked;
    setTesting(true);
    try {
      const answer = (await api.call("post", "/imports/check", { body: toNewImport(draft), signal: asked.signal })).data;
      if (!asked.signal.aborted) setChecked(answer);
    } catch (err) {
      if (!asked.signal.aborted) setError(err);
    } finally {
      if (checking.current === asked) {
        checking.current = null;
        setTesting(false);
      }
    }
  };
  const invalid = (field: ImportField) => (refused?.field === field ? true : undefined);
  const described = (field: ImportField, hint?: string) =>
    [hint, refused?.field === field ? `import-${field}-problem` : undefined].filter(Boolean).join(" ") || undefined;
  const problem = (field: ImportField) => refused?.field === field ? (
    <p class="alert" id={`import-${field}-problem`} data-testid={`import-${field}-problem`}>{refused.text}</p>
  ) : null;
  return (
    <form class="panel stack import-form" aria-labelledby="import-form-title" data-testid="import-form" onSubmit={(e) => void start(e)}>
      <h2 id="import-form-title">Start an import</h2>
      <p class="hint">Tickets come over with their conversations, files, requesters and organizations. Add your agents on
        Team first (the same email addresses) and your groups (the same names): tickets are then assigned as they were (or
        add them afterwards and import again).</p>
      {refused ? null : <Alert error={error} />}
      <label>Helpdesk
        <select name="import-source" value={draft.source}
          onChange={(e) => set({ source: (Object.keys(SOURCES) as ImportSource[]).find((s) => s === e.currentTarget.value) ?? "zendesk" })}>
          {(Object.keys(SOURCES) as ImportSource[]).map((s) => <option key={s} value={s}>{SOURCES[s].name}</option>)}
        </select>
      </label>
      <label>Its address
        <input name="import-url" inputMode="url" autoComplete="url" required maxLength={300} value={draft.url}
          placeholder={source.address} aria-invalid={invalid("url")} aria-describedby={described("url")}
          onInput={(e) => set({ url: e.currentTarget.value })} />
      </label>
      {problem("url")}
      {draft.source === "zendesk" ? (
        <>
          <label>Your Zendesk admin email
            <input name="import-email" type="email" autoComplete="email" required maxLength={254} value={draft.email}
              aria-invalid={invalid("email")} aria-describedby={described("email")} onInput={(e) => set({ email: e.currentTarget.value })} />
          </label>
          {problem("email")}
        </>
      ) : null}
      <label>{source.token}
        <input name="import-token" ref={tokenField} type="password" autoComplete="off" required maxLength={2000} value={draft.token}
          aria-invalid={invalid("token")} aria-describedby={described("token", "import-token-hint")}
          onInput={(e) => set({ token: e.currentTarget.value })} />
      </label>
      <p class="hint" id="import-token-hint" data-testid="import-token-hint">{source.where} It is kept only while the import runs.</p>
      {problem("token")}
      <div class="import-limits">
        <label>Only tickets changed since
          <input name="import-since" type="date" value={draft.since} aria-invalid={invalid("since")}
            aria-describedby={described("since")} onInput={(e) => set({ since: e.currentTarget.value })} />
        </label>
        <label>At most this many tickets (a trial)
          <input name="import-limit" type="number" min={1} step={1} inputMode="numeric" value={draft.limit}
            aria-invalid={invalid("limit")} aria-describedby={described("limit")} onInput={(e) => set({ limit: e.currentTarget.value })} />
        </label>
      </div>
      {problem("since")}
      {problem("limit")}
      {draft.source === "freescout" ? (
        <p class="hint" data-testid="import-tickets-only">FreeScout's API has tickets, customers and custom fields only: those come over.</p>
      ) : (
        <fieldset data-testid="import-parts">
          <legend>Also bring over</legend>
          {PARTS.map(([part, label]) => (
            <label class="check" key={part}>
              <input type="checkbox" name={`import-${part}`} checked={draft[part]} onChange={(e) => set({ [part]: e.currentTarget.checked })} />
              {label}
            </label>
          ))}
          <label class="check">
            <input type="checkbox" name="import-publish" checked={draft.articles && draft.publish} disabled={!draft.articles}
              onChange={(e) => set({ publish: e.currentTarget.checked })} />
            Publish the articles published there (you reviewed them)
          </label>
        </fieldset>
      )}
      <label class="check">
        <input type="checkbox" name="import-dry-run" checked={draft.dryRun} onChange={(e) => set({ dryRun: e.currentTarget.checked })} />
        Dry run: read and map everything, write nothing
      </label>
      <div class="reply-actions">
        {running ? <span class="hint">An import is under way: a new one can start once it ends.</span> : null}
        <button type="button" class="secondary" disabled={testing || busy} data-testid="import-test"
          onClick={(e) => void check(e.currentTarget.form)}>{testing ? "Testing…" : "Test connection"}</button>
        <button type="submit" disabled={busy}>{busy ? "Starting…" : draft.dryRun ? "Start dry run" : "Start import"}</button>
      </div>
      <ConnectionResult helpdesk={source} check={checked} />
    </form>
  );
}
