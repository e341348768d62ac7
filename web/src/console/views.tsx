// Saved views in the queue: the caller's personal, group and tenant views with their counts (one
// `GET /views/counts`), a view's tickets (cursor paged, filtered by the server), and saving the
// current filters as a personal view.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { LinkType, Priority, SavedView, Status, TicketField, TicketRow, ViewCount, ViewFilters } from "../api/types";
import { Alert } from "../shared/ui";
import { BulkChange, useRowSelection } from "./bulk-bar";
import { describeFieldFilter } from "./field-filter";
import { lineOfRow, TicketTable, type TeamNames } from "./ticket-table";

const PAGE = 25;

/** What the queue shows now, as a saved view's filters: only what is set. */
export function filtersOf(current: {
  status?: Status;
  assignee?: string; // a user id, or "me"
  unassigned?: boolean;
  unsolved?: boolean; // only tickets still to be solved
  my_groups?: boolean; // the tickets of the groups of whoever opens the view
  follower?: string; // a user id, or "me": the tickets they follow
  link_type?: LinkType; // "child": the problems
  group?: string;
  sla?: "at_risk";
  priority?: Priority | "";
  tag?: string;
  organization?: string;
  form?: string; // a request form's key
  fields?: string[]; // custom field terms, `key:value` each
  // kept when given, false and null too: a copy of a queue says outright whether it leaves snoozed tickets out
  snoozed?: boolean | null;
}): ViewFilters {
  const filters: ViewFilters = {};
  if (current.status) filters.status = current.status;
  if (current.assignee) filters.assignee = current.assignee;
  if (current.unassigned) filters.unassigned = true;
  if (current.unsolved) filters.unsolved = true;
  if (current.my_groups) filters.my_groups = true;
  if (current.follower) filters.follower = current.follower;
  if (current.link_type) filters.link_type = current.link_type;
  if (current.group) filters.group = current.group;
  if (current.sla) filters.sla = current.sla;
  if (current.priority) filters.priority = current.priority;
  const tag = current.tag?.trim();
  if (tag) filters.tag = tag;
  if (current.organization) filters.organization = current.organization;
  if (current.form) filters.form = current.form;
  const fields = (current.fields ?? []).map((f) => f.trim()).filter(Boolean);
  if (fields.length) filters.fields = fields;
  if (current.snoozed !== undefined) filters.snoozed = current.snoozed;
  return filters;
}

// A link type filter in words: what holding such a link makes a ticket.
const LINKED_AS: Record<string, string> = { child: "problems", parent: "incidents" };

/** The count shown beside each view, by view id. */
export function countsById(counts: ViewCount[]): Record<string, number> {
  return Object.fromEntries(counts.map((c) => [c.view_id, c.count]));
}

/** A view's filters in words, for the list's caption and the delete button's title; custom fields by their label
 * when `ticketFields` defines them ("Support plan: pro"). */
export function describeFilters(filters: ViewFilters | undefined, ticketFields: TicketField[] = []): string {
  const parts = Object.entries(filters ?? {})
    .sort(([a], [b]) => Number(a === "snoozed") - Number(b === "snoozed")) // what it narrows first, then snoozing
    .map(([k, v]): [string, unknown] => (k === "snoozed" && v === null ? ["snoozed too", true] : [k, v]))
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && v !== false && !(Array.isArray(v) && v.length === 0))
    .flatMap(([k, v]) => k === "fields" && Array.isArray(v)
      ? v.map((term) => describeFieldFilter(String(term), ticketFields))
      : k === "unassigned" || k === "unsolved" || k === "snoozed" || k === "snoozed too" ? [k] : k === "follower" && v === "me" ? ["followed by me"] : k === "my_groups" ? ["in my groups"] : k === "link_type" ? [LINKED_AS[String(v)] ?? `linked as ${String(v)}`] : [`${k}: ${String(v)}`]);
  return parts.length ? parts.join(", ") : "all tickets";
}

/** The caller's saved views and their counts, read again when `revision` (a change) or `tick` (a refresh) moves. */
/** The caller's saved views and their counts, read again on `revision`, `tick` and when another view is opened
 * (`opened`: a link to a view made since the list was read finds it). `loaded`: the list read for `opened`. */
export function useSavedViews(api: ApiClient, revision: number, tick = 0, opened: string | null = null) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [error, setError] = useState<unknown>(null);
  const [loadedFor, setLoadedFor] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api
      .get("/views")
      .then((found) => {
        if (!live) return;
        setViews(found);
        setLoadedFor(opened);
        setError(null);
        return api.get("/views/counts").then((c) => live && setCounts(countsById(c)));
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [revision, tick, opened]);
  return { views, counts, error, loaded: loadedFor === opened };
}

export function SavedViewLinks({ views, counts, current, me, ticketFields = [], onOpen, onDelete }: {
  views: SavedView[];
  counts: Record<string, number>;
  current: string | null;
  me: string;
  ticketFields?: TicketField[];
  onOpen: () => void;
  onDelete: (view: SavedView) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null); // a delete asks once more
  if (!views.length) return null;
  return (
    <ul class="saved-views" aria-label="Saved views" data-testid="saved-views">
      {views.map((v) => (
        <li key={v.id}>
          <a href={`#/?saved=${encodeURIComponent(v.id)}`} aria-current={v.id === current ? "page" : undefined}
            data-testid="saved-view" data-view-id={v.id} title={describeFilters(v.filters, ticketFields)} onClick={onOpen}>
            {v.name} <span class="scope">({v.scope ?? "personal"})</span>{" "}
            <span class="count" data-testid="saved-view-count">{counts[v.id] ?? "…"}</span>
          </a>
          {(v.scope ?? "personal") !== "personal" || v.owner_id !== me ? null : confirming === v.id ? (
            <span role="group" aria-label={`Delete view ${v.name}?`}>
              <button type="button" data-testid="delete-view-confirm" onClick={() => { setConfirming(null); onDelete(v); }}>
                Delete “{v.name}”
              </button>{" "}
              <button type="button" class="link" onClick={() => setConfirming(null)}>Keep</button>
            </span>
          ) : (
            <button type="button" class="link" aria-label={`Delete view ${v.name}`} data-testid="delete-view" onClick={() => setConfirming(v.id)}>
              Delete
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

export function SaveViewForm({ api, filters, ticketFields = [], onSaved }: {
  api: ApiClient; filters: ViewFilters; ticketFields?: TicketField[]; onSaved: (view: SavedView) => void;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!open) {
    return <button type="button" data-testid="save-view" onClick={() => { setOpen(true); setError(null); }}>Save as view</button>;
  }
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.call("post", "/views", { body: { name: name.trim(), scope: "personal", filters } });
      setOpen(false);
      setName("");
      if (r.data) onSaved(r.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="save-view" aria-label="Save as view" onSubmit={(e) => { e.preventDefault(); if (name.trim()) void submit(); }}>
      <label>
        View name{" "}
        <input data-testid="view-name" value={name} maxLength={100} required autoFocus onInput={(e) => setName(e.currentTarget.value)} />
      </label>{" "}
      <span class="hint" data-testid="view-filters">{describeFilters(filters, ticketFields)}</span>{" "}
      <button type="submit" data-testid="view-save" disabled={busy || !name.trim()}>Save</button>{" "}
      <button type="button" class="link" onClick={() => setOpen(false)}>Cancel</button>
      <Alert error={error} />
    </form>
  );
}

export function SavedViewTickets({ api, view, me, tick = 0, ticketFields = [], team }: {
  api: ApiClient; view: SavedView; me: string; tick?: number; ticketFields?: TicketField[]; team?: TeamNames;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [items, setItems] = useState<TicketRow[] | null>(null);
  const [reloads, setReloads] = useState(0); // after a bulk change: the view as it is now
  const selection = useRowSelection(items);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => setCursors([null]), [view.id]);
  useEffect(() => {
    let live = true;
    setError(null);
    api
      .get("/views/{view_id}/tickets", { path: { view_id: view.id }, query: { cursor: cursor ?? undefined, limit: PAGE } })
      .then((page) => {
        if (!live) return;
        setItems(page.items);
        setNext(page.next_cursor ?? null);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [view.id, cursor, tick, reloads]);
  const described = describeFilters(view.filters, ticketFields);
  return (
    <>
      <p class="hint" data-testid="saved-view-filters">{described}</p>
      <Alert error={error} />
      <BulkChange api={api} me={me} selection={selection} onChanged={() => setReloads(reloads + 1)} />
      {items === null ? (
        <p aria-live="polite">Loading…</p>
      ) : items.length === 0 ? (
        <p data-testid="queue-empty">No tickets in this view.</p>
      ) : (
        <TicketTable caption={`${view.name} tickets (${described})`} lines={items.map(lineOfRow)}
          testId="saved-view-tickets" selection={selection} team={team} />
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>Next</button>
      </nav>
    </>
  );
}
