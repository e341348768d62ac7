// The bulk change of a ticket list (the queue's, a saved view's): the same status, priority, group or assignee,
// tags added or removed (each ticket keeps its others), custom fields set or cleared (each ticket keeps its
// other fields) and a snooze, for the tickets ticked in the list, in one `POST /tickets/bulk`. Each ticket is written on the version the list showed, so one changed meanwhile is
// left as it is and named, as is one the directory refuses the assignment for; the others change.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import { PRIORITIES, STATUSES, type Priority, type Status } from "../api/types";
import type { components as Tools } from "../api/schema/tools";
import { entries } from "../shared/lists";
import { Alert } from "../shared/ui";
import { useTeam } from "./assignment";
import { assigneeChoices, toggled } from "./directory";
import { FieldChanges, type FieldValues } from "./field-changes";
import { useTicketFields } from "../shared/ticket-field-inputs";
import type { RowSelection } from "./ticket-table";
import { statusText } from "../shared/format";
import { presets } from "./reminders";

/** What a bulk change needs of a listed ticket: a full ticket (the queue) or a view's row. */
export interface BulkTarget {
  id: string;
  number: string | number;
  version: number;
}

type BulkOut = Tools["schemas"]["BulkOut"];
type BulkResult = Tools["schemas"]["BulkResult"];
type BulkChanges = Tools["schemas"]["BulkChanges"];

const UNCHANGED = "";
const NOBODY = "-"; // the select's value for "no group" / "unassigned" (the empty value is "leave as it is")

/** What the bulk change asks for, from the bar's selects (`""`: leave as it is), tag boxes (comma-separated),
 * the custom fields picked (null: clear it) and the snooze (a time; null: back now; undefined: as it is). */
export function bulkChanges(status: string, priority: string, group: string, assignee: string, me: string,
  addTags = "", removeTags = "", fieldValues: FieldValues = {}, snoozedUntil?: string | null): BulkChanges {
  const changes: BulkChanges = {};
  if (snoozedUntil !== undefined) changes.snoozed_until = snoozedUntil;
  if (Object.keys(fieldValues).length) changes.custom_fields = fieldValues;
  if (entries(addTags).length) changes.add_tags = entries(addTags);
  if (entries(removeTags).length) changes.remove_tags = entries(removeTags);
  if (status) changes.status = status as Status;
  if (priority) changes.priority = priority as Priority;
  if (group) changes.group = group === NOBODY ? null : group;
  if (assignee) changes.assignee_id = assignee === NOBODY ? null : assignee === "me" ? me : assignee;
  return changes;
}

/** One ticket of a write to many (a bulk change, a reply sent to a problem's child tickets) as the API answers it. */
export type TicketOutcome = Pick<BulkResult, "id" | "number" | "outcome" | "code" | "message">;

// a conflict is a change made meanwhile, unless the API names another reason (a solved ticket is not snoozed)
const MEANWHILE = new Set([undefined, null, "conflict", "concurrent_update"]);

/** Why a write to many left this ticket as it was, in a few words: skipped as solved already or closed, gone, changed
 * meanwhile, or the API's own reason. */
export function whyUnchanged(r: TicketOutcome): string {
  if (r.outcome === "skipped") return r.code === "already_resolved" ? "solved already" : r.code === "closed" ? "closed" : r.message ?? "skipped";
  if (r.outcome === "not_found") return "no longer there";
  if (r.outcome === "conflict" && MEANWHILE.has(r.code)) return "changed meanwhile, open it and try again";
  return r.message ?? r.outcome;
}

/** Each ticket left as it was, by its number (`number`; the API's, else the id), with why: "T-000003: solved already". */
export function unchangedTickets(results: TicketOutcome[], number = (r: TicketOutcome) => r.number ?? r.id): string[] {
  return results.filter((r) => r.outcome !== "updated").map((r) => `${number(r)}: ${whyUnchanged(r)}`);
}

/** The outcome in words: how many changed, and each ticket that did not, with the API's reason. */
export function bulkSummary(out: BulkOut, tickets: BulkTarget[]): string {
  const number = (r: TicketOutcome) => String(tickets.find((t) => t.id === r.id)?.number ?? r.number ?? r.id);
  const updated = out.counts.updated ?? 0;
  const failed = unchangedTickets(out.results, number);
  return `${updated} ${updated === 1 ? "ticket" : "tickets"} changed.` + (failed.length ? ` Not changed: ${failed.join("; ")}.` : "");
}

/** The rows ticked in a list showing `shown` (null while loading): ticks on rows no longer shown are dropped. */
export function useRowSelection(shown: BulkTarget[] | null): RowSelection & { clear: () => void; ticked: BulkTarget[] } {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const ids = (shown ?? []).map((t) => t.id).join(" ");
  useEffect(() => {
    const present = new Set(ids.split(" "));
    setSelected((ticked) => new Set([...ticked].filter((id) => present.has(id))));
  }, [ids]);
  return {
    selected,
    toggle: (id) => setSelected((ticked) => new Set(toggled([...ticked], id))),
    setAll: (all) => setSelected(new Set(all)),
    clear: () => setSelected(new Set()),
    ticked: (shown ?? []).filter((t) => selected.has(t.id)),
  };
}

/** The bar over a list with ticked rows, and what the last change did. */
export function BulkChange({ api, me, selection, onChanged }: {
  api: ApiClient; me: string; selection: ReturnType<typeof useRowSelection>; onChanged: () => void;
}) {
  const [notice, setNotice] = useState("");
  return (
    <>
      {selection.ticked.length ? (
        <BulkBar api={api} me={me} tickets={selection.ticked}
          onDone={(summary) => { setNotice(summary); selection.clear(); onChanged(); }} />
      ) : null}
      <p class="notice" role="status" aria-live="polite" data-testid="bulk-notice">{notice}</p>
    </>
  );
}

export function BulkBar({ api, me, tickets, onDone }: {
  api: ApiClient; me: string; tickets: BulkTarget[]; onDone: (summary: string) => void;
}) {
  const team = useTeam(api);
  const ticketFields = useTicketFields(api);
  const [status, setStatus] = useState(UNCHANGED);
  const [priority, setPriority] = useState(UNCHANGED);
  const [group, setGroup] = useState(UNCHANGED);
  const [assignee, setAssignee] = useState(UNCHANGED);
  const [addTags, setAddTags] = useState("");
  const [removeTags, setRemoveTags] = useState("");
  const [fieldValues, setFieldValues] = useState<FieldValues>({});
  const [snooze, setSnooze] = useState(UNCHANGED); // a preset's label, or NOBODY: back now
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const snoozes = presets(new Date());
  const snoozedUntil = snooze === UNCHANGED ? undefined
    : snooze === NOBODY ? null : snoozes.find((p) => p.label === snooze)?.at.toISOString();
  const changes = bulkChanges(status, priority, group, assignee, me, addTags, removeTags, fieldValues, snoozedUntil);
  const members = assigneeChoices(team.users, team.groups, group && group !== NOBODY ? group : null, null);
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const ids = tickets.map((t) => t.id);
      const versions = Object.fromEntries(tickets.map((t) => [t.id, t.version]));
      const out = (await api.call("post", "/tickets/bulk", { body: { ids, changes, versions } })).data;
      setStatus(UNCHANGED); setPriority(UNCHANGED); setGroup(UNCHANGED); setAssignee(UNCHANGED); setAddTags(""); setRemoveTags(""); setFieldValues({}); setSnooze(UNCHANGED);
      onDone(bulkSummary(out, tickets));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="filters bulk" data-testid="bulk-bar" aria-label="Change the selected tickets"
      onSubmit={(e) => { e.preventDefault(); void apply(); }}>
      <strong>{tickets.length} selected</strong>
      <label>Status <select name="bulk-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
        <option value={UNCHANGED}>(unchanged)</option>
        {STATUSES.filter((s) => s !== "new").map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
      </select></label>
      <label>Priority <select name="bulk-priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
        <option value={UNCHANGED}>(unchanged)</option>
        {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
      </select></label>
      <label>Group <select name="bulk-group" value={group} onChange={(e) => { setGroup(e.currentTarget.value); setAssignee(UNCHANGED); }}>
        <option value={UNCHANGED}>(unchanged)</option>
        <option value={NOBODY}>(no group)</option>
        {team.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </select></label>
      <label>Assignee <select name="bulk-assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
        <option value={UNCHANGED}>(unchanged)</option>
        <option value="me">me</option>
        <option value={NOBODY}>(unassigned)</option>
        {members.filter((m) => m.id !== me).map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
      </select></label>
      <label>Add tags <input name="bulk-add-tags" size={12} value={addTags} onInput={(e) => setAddTags(e.currentTarget.value)} /></label>
      <label>Remove tags <input name="bulk-remove-tags" size={12} value={removeTags} onInput={(e) => setRemoveTags(e.currentTarget.value)} /></label>
      <label>Snooze <select name="bulk-snooze" value={snooze} onChange={(e) => setSnooze(e.currentTarget.value)}>
        <option value={UNCHANGED}>(unchanged)</option>
        {snoozes.map((p) => <option key={p.label} value={p.label}>{p.label}</option>)}
        <option value={NOBODY}>(back now)</option>
      </select></label>
      <FieldChanges name="bulk-field" pickLabel="Set field" fields={ticketFields} values={fieldValues} onChange={setFieldValues} />
      <button type="submit" data-testid="bulk-apply" disabled={busy || Object.keys(changes).length === 0}>Apply to {tickets.length}</button>
      <Alert error={error ?? team.error} />
    </form>
  );
}
