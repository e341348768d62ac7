// One trigger as the Triggers screen edits it: its name and whether it is on, "When" (what happened in the change),
// "If" (the ticket as it stands) and "Then" (what it does). Held as a draft (tag lists as typed) until the list is saved.
import type { ComponentChildren } from "preact";
import type { components as Tools } from "../api/schema/tools";
import { PRIORITIES, STATUSES, type Group } from "../api/types";
import { statusText } from "../shared/format";
import { entries } from "../shared/lists";

export type Trigger = Tools["schemas"]["Trigger"];
type TriggerEvent = Tools["schemas"]["TriggerEvent"];
type Status = Tools["schemas"]["Status"];
type Priority = Tools["schemas"]["Priority"];
type Channel = Tools["schemas"]["Channel"];
type Assigned = "" | "yes" | "no";
type Notify = "assignee" | "group";

/** What happened in a change, as the "When" of a trigger reads. */
export const EVENTS: [TriggerEvent, string][] = [
  ["customer_replied", "a customer replies"], ["agent_replied", "the team replies"], ["note_added", "an internal note is added"],
  ["status_changed", "the status changes"], ["priority_changed", "the priority changes"], ["group_changed", "the group changes"],
  ["assignee_changed", "the assignee changes"], ["tags_changed", "the tags change"], ["sla_warning", "an SLA warning"],
  ["sla_breached", "the SLA is breached"],
];
const CHANNELS: [Channel, string][] = [["email", "mail"], ["chat", "chat"], ["web", "portal"], ["api", "API"]];
const SET_STATUSES = STATUSES.filter((s) => s !== "new"); // a ticket never goes back to new
const NOTIFY: [Notify, string][] = [["assignee", "the one who has it"], ["group", "its group's members"]];

export interface TriggerDraft {
  key: number; // keeps each card's inputs with its trigger when triggers move
  loaded: Trigger | null; // as read: what this card does not show goes back unchanged
  id: string; // "" until saved: made from the name then (see triggerIds)
  name: string;
  active: boolean;
  on: TriggerEvent[];
  statuses: Status[];
  fromStatuses: Status[]; // the status before the change ("a customer answered a solved ticket")
  priorities: Priority[];
  groups: string[];
  channels: Channel[];
  tags: string; // has all of them, comma separated
  withoutTags: string; // has none of them
  assigned: Assigned;
  group: string; // "" : the trigger sets no group
  unassign: boolean;
  priority: Priority | "";
  addTags: string;
  removeTags: string;
  status: Status | "";
  notify: Notify[]; // whom the trigger mails: the one who has the ticket, the group's members
}

let nextKey = 0;

export function toTriggerDraft(t: Trigger): TriggerDraft {
  const c = t.conditions ?? {};
  const a = t.actions;
  return { key: nextKey++, loaded: t, id: t.id, name: t.name, active: t.active ?? true, on: t.on, statuses: c.statuses ?? [], fromStatuses: c.from_statuses ?? [],
    priorities: c.priorities ?? [], groups: c.groups ?? [], channels: c.channels ?? [], tags: (c.tags ?? []).join(", "),
    withoutTags: (c.without_tags ?? []).join(", "), assigned: c.assigned === true ? "yes" : c.assigned === false ? "no" : "",
    group: a.group ?? "", unassign: a.unassign ?? false, priority: a.priority ?? "", addTags: (a.add_tags ?? []).join(", "),
    removeTags: (a.remove_tags ?? []).join(", "), status: a.status ?? "", notify: a.notify ?? [] };
}

/** A new trigger: on a customer's reply, nothing to do yet (the admin picks its action). */
export function newTriggerDraft(): TriggerDraft {
  return { ...toTriggerDraft({ id: "", name: "", on: ["customer_replied"], actions: {} }), loaded: null };
}

/** The trigger as the API takes it, with `id` (a new trigger's, made from its name); what the API has and this
 * screen does not show (a condition added since) as it was read. */
export function fromTriggerDraft(d: TriggerDraft, id: string): Trigger {
  return { ...d.loaded, id, name: d.name.trim(), active: d.active, on: d.on,
    conditions: { ...d.loaded?.conditions, statuses: d.statuses, from_statuses: d.fromStatuses, priorities: d.priorities, groups: d.groups, channels: d.channels, tags: entries(d.tags),
      without_tags: entries(d.withoutTags), assigned: d.assigned === "" ? null : d.assigned === "yes" },
    actions: { ...d.loaded?.actions, group: d.group || null, unassign: d.unassign, priority: d.priority || null, add_tags: entries(d.addTags),
      remove_tags: entries(d.removeTags), status: d.status || null, notify: d.notify } };
}

/** `chosen` with `value` ticked or not, in the order of `all` (the order the boxes show). */
function ticked<T>(all: T[], chosen: T[], value: T, on: boolean): T[] {
  const set = new Set(chosen);
  if (on) set.add(value); else set.delete(value);
  return [...all.filter((v) => set.has(v)), ...chosen.filter((v) => set.has(v) && !all.includes(v))];
}

/** Checkboxes for a list condition or the events, under a legend; none ticked means what `hint` says. */
function Choices<T extends string>({ legend, name, all, chosen, onChange, hint }: {
  legend: string; name: string; all: [T, string][]; chosen: T[]; onChange: (chosen: T[]) => void; hint?: string;
}) {
  const values = all.map(([v]) => v);
  return (
    <fieldset>
      <legend>{legend}{hint ? <span class="hint"> ({hint})</span> : null}</legend>
      {all.map(([value, label]) => (
        <label class="check" key={value}>
          <input type="checkbox" name={`${name}-${value}`} checked={chosen.includes(value)}
            onChange={(e) => onChange(ticked(values, chosen, value, e.currentTarget.checked))} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** A select of the team's groups, with one the directory no longer has kept as it is. */
function GroupOptions({ groups, current }: { groups: Group[]; current: string }) {
  return (
    <>
      {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      {current && !groups.some((g) => g.id === current) ? <option value={current}>{current} (not in the team)</option> : null}
    </>
  );
}

type Edit = (patch: Partial<TriggerDraft>) => void;

function When({ draft, onChange }: { draft: TriggerDraft; onChange: Edit }) {
  return <Choices legend="When" hint="any of these happens" name="trigger-on" all={EVENTS} chosen={draft.on} onChange={(on) => onChange({ on })} />;
}

function If({ draft, groups, onChange }: { draft: TriggerDraft; groups: Group[]; onChange: Edit }) {
  const groupChoices: [string, string][] = [...groups.map((g): [string, string] => [g.id, g.name]),
    ...draft.groups.filter((id) => !groups.some((g) => g.id === id)).map((id): [string, string] => [id, `${id} (not in the team)`])];
  return (
    <fieldset class="stack">
      <legend>If the ticket <span class="hint">(every condition set must hold; nothing ticked: any)</span></legend>
      <Choices legend="Status is" name="trigger-if-status" all={STATUSES.map((s): [Status, string] => [s, statusText(s)])}
        chosen={draft.statuses} onChange={(statuses) => onChange({ statuses })} />
      <Choices legend="Status was (before the change)" name="trigger-if-from-status" all={STATUSES.map((s): [Status, string] => [s, statusText(s)])}
        chosen={draft.fromStatuses} onChange={(fromStatuses) => onChange({ fromStatuses })} />
      <Choices legend="Priority is" name="trigger-if-priority" all={PRIORITIES.map((p): [Priority, string] => [p, p])}
        chosen={draft.priorities} onChange={(priorities) => onChange({ priorities })} />
      {groupChoices.length ? <Choices legend="Group is" name="trigger-if-group" all={groupChoices} chosen={draft.groups} onChange={(g) => onChange({ groups: g })} /> : null}
      <Choices legend="Came in by" name="trigger-if-channel" all={CHANNELS} chosen={draft.channels} onChange={(channels) => onChange({ channels })} />
      <label>Has all of these tags <input name="trigger-if-tags" value={draft.tags} placeholder="vip, outage" onInput={(e) => onChange({ tags: e.currentTarget.value })} /></label>
      <label>Has none of these tags <input name="trigger-if-without-tags" value={draft.withoutTags} onInput={(e) => onChange({ withoutTags: e.currentTarget.value })} /></label>
      <label>Assigned to someone
        <select name="trigger-if-assigned" value={draft.assigned} onChange={(e) => onChange({ assigned: e.currentTarget.value === "yes" ? "yes" : e.currentTarget.value === "no" ? "no" : "" })}>
          <option value="">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
    </fieldset>
  );
}

function Then({ draft, groups, onChange }: { draft: TriggerDraft; groups: Group[]; onChange: Edit }) {
  return (
    <fieldset class="stack">
      <legend>Then <span class="hint">(in this order; at least one)</span></legend>
      <label>Move to group
        <select name="trigger-group" value={draft.group} onChange={(e) => onChange({ group: e.currentTarget.value })}>
          <option value="">—</option>
          <GroupOptions groups={groups} current={draft.group} />
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="trigger-unassign" checked={draft.unassign} onChange={(e) => onChange({ unassign: e.currentTarget.checked })} /> Give it back to the group's queue
      </label>
      <label>Set priority
        <select name="trigger-priority" value={draft.priority} onChange={(e) => onChange({ priority: PRIORITIES.find((p) => p === e.currentTarget.value) ?? "" })}>
          <option value="">—</option>
          {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <label>Add tags <input name="trigger-add-tags" value={draft.addTags} onInput={(e) => onChange({ addTags: e.currentTarget.value })} /></label>
      <label>Remove tags <input name="trigger-remove-tags" value={draft.removeTags} onInput={(e) => onChange({ removeTags: e.currentTarget.value })} /></label>
      <label>Set status
        <select name="trigger-status" value={draft.status} onChange={(e) => onChange({ status: SET_STATUSES.find((s) => s === e.currentTarget.value) ?? "" })}>
          <option value="">—</option>
          {SET_STATUSES.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
        </select>
      </label>
      <Choices legend="Mail" hint="with the ticket's link, in each one's language" name="trigger-notify" all={NOTIFY}
        chosen={draft.notify} onChange={(notify) => onChange({ notify })} />
    </fieldset>
  );
}

/** One line of what a trigger does, for its folded card: "When a customer replies, if it was resolved: priority
 * urgent, add reopened, mail the one who has it." */
export function triggerSummary(d: TriggerDraft, groups: Group[]): string {
  const label = <T extends string>(all: [T, string][], v: T) => all.find(([value]) => value === v)?.[1] ?? v;
  const group = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const when = d.on.map((e) => label(EVENTS, e)).join(" or ") || "nothing happens";
  const conditions = [
    d.statuses.length ? `it is ${d.statuses.map(statusText).join(" or ")}` : "",
    d.fromStatuses.length ? `it was ${d.fromStatuses.map(statusText).join(" or ")}` : "",
    d.priorities.length ? `priority ${d.priorities.join(" or ")}` : "",
    d.groups.length ? `in ${d.groups.map(group).join(" or ")}` : "",
    d.channels.length ? `by ${d.channels.map((c) => label(CHANNELS, c)).join(" or ")}` : "",
    entries(d.tags).length ? `tagged ${entries(d.tags).join(" and ")}` : "",
    entries(d.withoutTags).length ? `not tagged ${entries(d.withoutTags).join(" or ")}` : "",
    d.assigned === "yes" ? "someone has it" : d.assigned === "no" ? "nobody has it" : "",
  ].filter(Boolean);
  const actions = [
    d.group ? `to ${group(d.group)}` : "", d.unassign ? "back to the queue" : "",
    d.priority ? `priority ${d.priority}` : "", ...entries(d.addTags).map((t) => `add ${t}`),
    ...entries(d.removeTags).map((t) => `remove ${t}`), d.status ? `status ${statusText(d.status)}` : "",
    ...d.notify.map((n) => `mail ${label(NOTIFY, n)}`),
  ].filter(Boolean);
  return `When ${when}${conditions.length ? `, if ${conditions.join(", ")}` : ""}: ${actions.join(", ") || "nothing yet"}.`;
}

/** A trigger's card: `tools` are its Up/Down/Delete buttons; `readOnly` disables every control (an agent's view).
 * A saved trigger's When, If and Then fold under its one-line summary (a team's list stays readable); a new one
 * shows them. */
export function TriggerCard({ draft, position, id, groups, readOnly = false, onChange, tools }: {
  draft: TriggerDraft; position: number; id: string; groups: Group[]; readOnly?: boolean; onChange: Edit; tools?: ComponentChildren;
}) {
  return (
    <fieldset class="panel stack" data-testid="trigger" disabled={readOnly}>
      <legend><strong>{position}. {draft.name.trim() || "New trigger"}</strong>{draft.active ? null : " (off)"}</legend>
      <div class="filters">
        <label>Name <input name="trigger-name" value={draft.name} autoFocus={!draft.id} required maxLength={200} onInput={(e) => onChange({ name: e.currentTarget.value })} /></label>
        <label class="check"><input type="checkbox" name="trigger-active" checked={draft.active} onChange={(e) => onChange({ active: e.currentTarget.checked })} /> Active</label>
        {tools}
      </div>
      <p class="hint" data-testid="trigger-id">{draft.id ? `Id: ${id}` : draft.name.trim() ? `Id when saved: ${id}` : "Its id is made from its name when saved."}</p>
      <details open={!draft.id} data-testid="trigger-parts">
        <summary data-testid="trigger-summary">{triggerSummary(draft, groups)}</summary>
        <When draft={draft} onChange={onChange} />
        <If draft={draft} groups={groups} onChange={onChange} />
        <Then draft={draft} groups={groups} onChange={onChange} />
      </details>
    </fieldset>
  );
}
