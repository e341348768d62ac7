// The audit of administration (admins): who changed which setting when, newest first, with what changed.
// An update lists only the fields whose values differ; the whole before and after stay one click away.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Audit } from "../api/schema/audit";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";

type Entry = Audit["schemas"]["AuditEntry"];
type Snapshot = Entry["before"];

// What the API records (README "Audit of administration"); the filter also takes any other kind typed.
const KINDS = ["sla.policy", "sla.calendar", "mail.settings", "mail.inbound_address", "triage.settings", "triage.categories",
  "tickets.fields", "webhook", "client", "directory.user", "directory.group", "directory.organization", "privacy.export", "privacy.erasure",
  "privacy.settings", "import"];
const SHOWN_CHARS = 120;

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

function shown(value: unknown): string {
  if (value === undefined) return "—";
  const text = JSON.stringify(value);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 1)}…` : text;
}

/** The top-level fields whose values differ between before and after (all of them for a creation or deletion). */
export function changedFields(before: Snapshot, after: Snapshot): FieldChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return keys
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]))
    .map((k) => ({ field: k, before: shown(before?.[k]), after: shown(after?.[k]) }));
}

export function AuditLog({ api }: { api: ApiClient }) {
  const [kind, setKind] = useState("");
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (from: string | null) => {
    setError(null);
    try {
      const page = await api.get("/audit", { query: { kind: kind.trim() || null, limit: 25, cursor: from } });
      setEntries((shownSoFar) => (from && shownSoFar ? [...shownSoFar, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    void load(null);
  }, []);
  return (
    <section class="panel stack" aria-labelledby="audit-title" data-testid="audit-log">
      <h2 id="audit-title">Audit log</h2>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void load(null); }} aria-label="Filter the audit log">
        <label>Kind <input name="audit-kind" list="audit-kinds" value={kind} placeholder="all" onInput={(e) => setKind(e.currentTarget.value)} /></label>
        <datalist id="audit-kinds">{KINDS.map((k) => <option key={k} value={k} />)}</datalist>
        <button type="submit">Show</button>
      </form>
      <Alert error={error} />
      {entries === null ? (error ? null : <p>Loading…</p>) : entries.length === 0 ? <p>No changes recorded.</p> : (
        <table class="cards">
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Changed</th></tr></thead>
          <tbody>
            {entries.map((e) => <AuditRow key={e.id} entry={e} />)}
          </tbody>
        </table>
      )}
      {cursor ? <div><button type="button" onClick={() => void load(cursor)}>Older changes</button></div> : null}
    </section>
  );
}

function AuditRow({ entry }: { entry: Entry }) {
  const changes = changedFields(entry.before, entry.after);
  return (
    <tr data-testid="audit-entry">
      <td>{when(entry.at)}</td>
      <td data-label="By">{entry.actor}</td>
      <td class="card-title">{entry.kind} <code>{entry.resource_id}</code> {entry.action}</td>
      <td>
        {entry.action === "updated" ? (
          <ul class="changes">
            {changes.map((c) => <li key={c.field}><strong>{c.field}</strong>: {c.before} → {c.after}</li>)}
          </ul>
        ) : null}
        <details>
          <summary>Whole record</summary>
          {entry.before ? <><p><strong>Before</strong></p><pre>{JSON.stringify(entry.before, null, 2)}</pre></> : null}
          {entry.after ? <><p><strong>After</strong></p><pre>{JSON.stringify(entry.after, null, 2)}</pre></> : null}
        </details>
      </td>
    </tr>
  );
}
