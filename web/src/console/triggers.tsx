// The tenant's triggers (#/triggers): the rules that change a ticket when something happens to it, run in list
// order, each once per change (or, with "run again", Zendesk's cycle: see RerunChoice). Admins edit the list as drafts and save it whole (PUT /triggers with If-Match: a save
// another admin made meanwhile is refused with 409 and the screen offers to reload). Agents have no link to it; one
// who opens #/triggers gets a read-only view (GET /triggers is open to the team, so they can see why a ticket
// changed): every control disabled, nothing to add, move or save.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { components as Tools } from "../api/schema/tools";
import { moved, slugFrom } from "../shared/lists";
import { validationErrors } from "../shared/problems";
import { useTicketDefinitions } from "../shared/ticket-field-inputs";
import { Alert } from "../shared/ui";
import { useTeam } from "./assignment";
import { useOrganizations } from "./organization";
import { SavedMeanwhile } from "./saved-meanwhile";
import { copiedTriggerDraft, fromTriggerDraft, newTriggerDraft, toTriggerDraft, TriggerCard, triggerSummary, type TriggerDraft } from "./trigger-card";
import type { TriggerChoices } from "./trigger-if";

type TriggersView = Tools["schemas"]["TriggersView"];

const MAX_TRIGGERS = 50;
const FIND_FROM = 6; // a list this long gets a box to find a trigger by its name or what it does

/** Whether a trigger's name or one-line summary holds every word of `find` (any case); a new one always shows. */
export function found(draft: TriggerDraft, choices: TriggerChoices, find: string): boolean {
  const text = `${draft.name} ${triggerSummary(draft, choices)}`.toLowerCase();
  return !draft.id || find.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

/** "VIP answers are urgent" → "vip-answers-are-urgent": the API's id pattern (^[a-z0-9][a-z0-9_-]{0,63}$). */
export function idFromName(name: string): string {
  return slugFrom(name, "-", 64) || "trigger";
}

/** Each draft's id: a saved trigger keeps its own; a new one gets one made from its name, with a suffix ("-2")
 * when another trigger of the list has it. */
export function triggerIds(drafts: TriggerDraft[]): string[] {
  const taken = new Set(drafts.filter((d) => d.id).map((d) => d.id));
  return drafts.map((d) => {
    if (d.id) return d.id;
    const base = idFromName(d.name);
    let id = base;
    for (let n = 2; taken.has(id); n++) {
      const suffix = `-${n}`;
      id = base.slice(0, 64 - suffix.length).replace(/-+$/, "") + suffix;
    }
    taken.add(id);
    return id;
  });
}

/** The position (from 0) of the trigger a refused save names: a 422's `details.field` ("triggers[2].actions.group")
 * or the place of a validation error (body › triggers › 2 › …); null when it names none. */
export function refusedAt(error: unknown): number | null {
  if (!(error instanceof ApiError)) return null;
  const field = (error.details as { field?: unknown } | null)?.field;
  const named = typeof field === "string" ? /^triggers\[(\d+)\]/.exec(field) : null;
  if (named) return Number(named[1]);
  for (const { loc } of validationErrors(error.details)) {
    const at = loc[loc.indexOf("triggers") + 1];
    if (loc.includes("triggers") && typeof at === "number") return at;
  }
  return null;
}

export function TriggersScreen({ api, admin }: { api: ApiClient; admin: boolean }) {
  const { users: staff, groups } = useTeam(api); // the selects offer only what is set when they cannot be read
  const { fields, forms } = useTicketDefinitions(api);
  const organizations = useOrganizations(api);
  const [find, setFind] = useState("");
  const [version, setVersion] = useState<number | null>(null); // null until read; the ETag a save names
  const [drafts, setDrafts] = useState<TriggerDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [where, setWhere] = useState(""); // the trigger a refused save names, as it was sent
  const [notice, setNotice] = useState("");
  const [saving, setSaving] = useState(false);
  const [rerun, setRerun] = useState(false);
  const show = (v: TriggersView) => {
    setVersion(v.version ?? 0);
    setDrafts((v.triggers ?? []).map(toTriggerDraft));
    setRerun(v.rerun ?? false);
  };
  const load = () => api.get("/triggers").then(show);
  useEffect(() => {
    load().catch(setError);
  }, []);
  const clear = () => { setError(null); setWhere(""); setNotice(""); };
  const reload = () => { clear(); load().catch(setError); };
  const change = (key: number, patch: Partial<TriggerDraft>) => setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const ids = triggerIds(drafts);
  const choices = { groups, organizations, fields, forms, staff };
  const shown = drafts.filter((d) => found(d, choices, find)).length;
  const save = async (e: Event) => {
    e.preventDefault();
    if (!admin || saving) return;
    const triggers = drafts.map((d, i) => fromTriggerDraft(d, ids[i] ?? ""));
    clear();
    setSaving(true);
    try {
      show((await api.call("put", "/triggers", { body: { triggers, rerun }, ifMatch: `"${version ?? 0}"` })).data);
      setNotice(`Triggers saved: they act on the next changes of tickets (within 30 seconds)${
        triggers.some((t) => t.after && t.active !== false) ? "; time triggers look at the tickets within 5 minutes, then every hour" : ""}.`);
    } catch (err) {
      setError(err); // the drafts stay as typed
      const at = refusedAt(err);
      const trigger = at === null ? undefined : triggers[at];
      setWhere(at !== null && trigger ? `In trigger ${at + 1}, “${trigger.name || "New trigger"}”.` : "");
    } finally {
      setSaving(false);
    }
  };
  return (
    <section aria-labelledby="triggers-title">
      <h1 id="triggers-title">Triggers</h1>
      <p class="hint" data-testid="triggers-intro">A trigger changes a ticket when something happens to it: when it is opened, a customer replies, the
        status changes or the SLA is breached, say, it moves the ticket to a group, gives it back to the queue, sets its priority or
        status, adds and removes tags, or mails the one who has it or its group. They run in this order, each once per change. A time
        trigger acts when time passes instead ("2 days after the customer's last message, if it is still pending"), once for each such
        time, checked every hour.</p>
      {admin ? null : <p data-testid="triggers-read-only">Only admins change triggers; you can read them.</p>}
      {version === null ? <><Alert error={error} />{error ? null : <p>Loading…</p>}</> : (
        <form class="stack" aria-labelledby="triggers-title" onSubmit={(e) => void save(e)} data-testid="triggers">
          <Alert error={error}>{where ? <> {where}</> : null}</Alert>
          <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="the triggers" onReload={reload} /></p>
          {drafts.length === 0 ? <p>No triggers: tickets change only as the team, routing rules and the SLA change them.</p> : null}
          <RerunChoice rerun={rerun} readOnly={!admin} onChange={setRerun} />
          {drafts.length >= FIND_FROM ? (
            <p class="filters">
              <label>Find a trigger <input type="search" name="trigger-find" value={find} placeholder="urgent, VIP, billing…" onInput={(e) => setFind(e.currentTarget.value)} /></label>
              {find.trim() ? <span class="hint" role="status" data-testid="trigger-find-count">{shown} of {drafts.length} triggers</span> : null}
            </p>
          ) : null}
          {drafts.map((d, i) => !found(d, choices, find) ? null : (
            <TriggerCard key={d.key} draft={d} position={i + 1} id={ids[i] ?? ""} choices={choices} readOnly={!admin} api={api}
              onChange={(patch) => change(d.key, patch)}
              tools={admin ? <TriggerTools position={i + 1} count={drafts.length} onMove={(step) => setDrafts((all) => moved(all, i, step))}
                onCopy={drafts.length >= MAX_TRIGGERS ? null : () => setDrafts((all) => [...all.slice(0, i + 1), copiedTriggerDraft(d), ...all.slice(i + 1)])}
                onDelete={() => setDrafts((all) => all.filter((x) => x.key !== d.key))} /> : null} />
          ))}
          {admin ? (
            <div class="reply-actions">
              {drafts.length >= MAX_TRIGGERS ? <span class="hint">At most {MAX_TRIGGERS} triggers.</span> : null}
              <button type="button" disabled={drafts.length >= MAX_TRIGGERS} onClick={() => setDrafts((all) => [...all, newTriggerDraft()])}>Add trigger</button>
              <button type="submit" disabled={saving}>{saving ? "Saving…" : "Save triggers"}</button>
            </div>
          ) : null}
        </form>
      )}
    </section>
  );
}

/** Whether a trigger's changes set off the others (`rerun`: Zendesk's trigger cycle) or each sees only what the
 * change did (Zammad's default). */
function RerunChoice({ rerun, readOnly, onChange }: { rerun: boolean; readOnly: boolean; onChange: (rerun: boolean) => void }) {
  return (
    <div>
      <label class="check">
        <input type="checkbox" name="trigger-rerun" checked={rerun} disabled={readOnly}
          aria-describedby="trigger-rerun-hint" onChange={(e) => onChange(e.currentTarget.checked)} />
        Run the list again after a trigger acts
      </label>
      <p class="hint" id="trigger-rerun-hint">
        {rerun
          ? "A trigger's changes of status, priority, group, assignee and tags set off the other triggers, a time trigger's too; each acts at most once per change (as in Zendesk)."
          : "Each trigger sees only what the change itself did: a trigger's changes set off no other (as in Zammad)."}
      </p>
    </div>
  );
}

/** A trigger's Up, Down, Copy (a new trigger after it doing the same, open to edit; none past the limit) and Delete:
 * nothing changes until the list is saved. */
function TriggerTools({ position, count, onMove, onCopy, onDelete }: {
  position: number; count: number; onMove: (step: number) => void; onCopy: (() => void) | null; onDelete: () => void;
}) {
  const which = <span class="sr-only">trigger {position}</span>;
  return (
    <>
      <button type="button" class="link" disabled={position === 1} onClick={() => onMove(-1)}>Up {which}</button>
      <button type="button" class="link" disabled={position === count} onClick={() => onMove(1)}>Down {which}</button>
      <button type="button" class="link" disabled={onCopy === null} onClick={() => onCopy?.()}>Copy {which}</button>
      <button type="button" class="link" onClick={onDelete}>Delete {which}</button>
    </>
  );
}
