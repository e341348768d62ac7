// One trigger as the Triggers screen edits it: its name and whether it is on, "When" (what happened in the change, or
// hours since a time of the ticket's: a time trigger), "If" (the ticket as it stands) and "Then" (what it does). Held
// as a draft (tag lists as typed) until the list is saved.
import type { ComponentChildren } from "preact";
import type { ApiClient } from "../api/client";
import type { components as Tools } from "../api/schema/tools";
import { PRIORITIES, STATUSES, type MessageFormat } from "../api/types";
import { statusText } from "../shared/format";
import { entries } from "../shared/lists";
import type { TicketField } from "../api/types";
import { FieldChanges, shownValue, type FieldValues } from "./field-changes";
import { MARKDOWN_HINT } from "./format-bar";
import { assigneeChoices, shortName } from "./directory";
import { describeFieldFilter, fieldFilterTerm, parseFieldFilter, type FieldFilterValue } from "./field-filter";
import { If, type TriggerChoices } from "./trigger-if";
import { TriggerTry } from "./trigger-try";
import { CHANNELS, Choices, GroupOptions } from "./trigger-choices";

export type Trigger = Tools["schemas"]["Trigger"];
type TriggerEvent = Tools["schemas"]["TriggerEvent"];
type TimerStart = Tools["schemas"]["TimerStart"];
type Status = Tools["schemas"]["Status"];
type Priority = Tools["schemas"]["Priority"];
type Assigned = "" | "yes" | "no";
type Rating = NonNullable<Tools["schemas"]["TriggerConditions"]["ratings"]>[number]; // as the API names them
type Notify = "assignee" | "group";

/** What happened in a change, as the "When" of a trigger reads. */
export const EVENTS: [TriggerEvent, string][] = [
  ["ticket_created", "a ticket is opened"], ["customer_replied", "a customer replies"], ["agent_replied", "the team replies"], ["note_added", "an internal note is added"],
  ["status_changed", "the status changes"], ["priority_changed", "the priority changes"], ["group_changed", "the group changes"],
  ["assignee_changed", "the assignee changes"], ["tags_changed", "the tags change"], ["customer_rated", "the customer rates the help"],
  ["sla_warning", "an SLA warning"],
  ["sla_breached", "the SLA is breached"],
  ["mail_undelivered", "our mail did not arrive (bounced, or marked as spam)"],
];
/** The times of a ticket's a time trigger counts from, as its "When" reads ("48 hours after …"). */
export const TIMER_STARTS: [TimerStart, string][] = [
  ["updated", "the last change by the customer or the team"], ["customer_message", "the customer's last message"],
  ["team_message", "the team's last reply"], ["status_changed", "it took its present status"],
  ["assigned", "it was given to its present assignee"], ["created", "it was opened"], ["resolved", "it was resolved"],
];
const MAX_TIMER_HOURS = 24 * 365; // as the API's
const SET_STATUSES = STATUSES.filter((s) => s !== "new"); // a ticket never goes back to new
const NOTIFY: [Notify, string][] = [["assignee", "the one who has it"], ["group", "its group's members"]];

export interface TriggerDraft {
  key: number; // keeps each card's inputs with its trigger when triggers move
  loaded: Trigger | null; // as read: what this card does not show goes back unchanged
  id: string; // "" until saved: made from the name then (see triggerIds)
  name: string;
  active: boolean;
  on: TriggerEvent[];
  timed: boolean; // a time trigger: `after` instead of `on`
  timerAmount: string; // as typed: how many hours or days
  timerUnit: "hours" | "days";
  timerSince: TimerStart;
  timerBusiness: boolean; // counted in the ticket's business hours (its SLA policy's calendar)
  statuses: Status[];
  ratings: Rating[]; // the customer's rating is one of these
  fromStatuses: Status[]; // the status before the change ("a customer answered a solved ticket")
  priorities: Priority[];
  groups: string[];
  channels: Tools["schemas"]["Channel"][];
  tags: string; // has all of them, comma separated
  withoutTags: string; // has none of them
  assigned: Assigned;
  organizations: string[]; // the requester's organisation is one of these (ids)
  forms: string[]; // it was opened with one of these request forms (keys)
  fields: FieldFilterValue[]; // custom field values the ticket has, all of them
  keywords: string; // the change's message mentions one of them, comma separated
  group: string; // "" : the trigger sets no group
  unassign: boolean;
  assignee: string; // "" : the trigger gives the ticket to nobody in particular
  toActor: boolean; // gives it to the one whose change set the trigger off (not on a time trigger)
  priority: Priority | "";
  addTags: string;
  removeTags: string;
  reply: string; // a public reply to the customer, a template as a macro's ("": none)
  note: string; // an internal note, a template
  // what the reply and note are written in: Markdown once written on this screen (its hint says so); a trigger saved
  // as text before stays text until its reply or note is edited here
  format: MessageFormat;
  status: Status | "";
  notify: Notify[]; // whom the trigger mails: the one who has the ticket, the group's members
  integrations: boolean; // a ticket.triggered event for the webhooks and the event bus
  customFields: FieldValues; // custom fields to set (null: clear), as a macro sets them
}

let nextKey = 0;

export function toTriggerDraft(t: Trigger): TriggerDraft {
  const c = t.conditions ?? {};
  const a = t.actions;
  const hours = t.after?.hours ?? 24;
  const inDays = hours % 24 === 0;
  return { key: nextKey++, loaded: t, id: t.id, name: t.name, active: t.active ?? true, on: t.on ?? [], timed: Boolean(t.after),
    timerAmount: String(inDays ? hours / 24 : hours), timerUnit: inDays ? "days" : "hours", timerSince: t.after?.since ?? "updated",
    timerBusiness: t.after?.business_hours ?? false,
    statuses: c.statuses ?? [], fromStatuses: c.from_statuses ?? [], ratings: c.ratings ?? [],
    priorities: c.priorities ?? [], groups: c.groups ?? [], channels: c.channels ?? [], tags: (c.tags ?? []).join(", "),
    withoutTags: (c.without_tags ?? []).join(", "), assigned: c.assigned === true ? "yes" : c.assigned === false ? "no" : "",
    organizations: c.organizations ?? [], forms: c.forms ?? [], fields: (c.fields ?? []).map(parseFieldFilter), keywords: (c.keywords ?? []).join(", "),
    group: a.group ?? "", unassign: a.unassign ?? false, assignee: a.assignee_id ?? "", toActor: a.assign_to_actor ?? false, priority: a.priority ?? "", addTags: (a.add_tags ?? []).join(", "),
    removeTags: (a.remove_tags ?? []).join(", "), reply: a.reply ?? "", note: a.note ?? "", format: a.format ?? "text", status: a.status ?? "", notify: a.notify ?? [], integrations: a.integrations ?? false,
    customFields: { ...(a.custom_fields ?? {}) } };
}

/** A new trigger: on a customer's reply, nothing to do yet (the admin picks its action). */
export function newTriggerDraft(): TriggerDraft {
  return { ...toTriggerDraft({ id: "", name: "", on: ["customer_replied"], actions: {} }), loaded: null, format: "markdown" };
}

/** A new trigger doing what `d` does, as typed so far ("Copy of …"), to be saved under an id of its own. */
export function copiedTriggerDraft(d: TriggerDraft): TriggerDraft {
  const copy = toTriggerDraft({ id: "", name: "", on: [], actions: {} });
  return { ...d, key: copy.key, loaded: d.loaded ? { ...d.loaded, id: "" } : null, id: "",
    name: `Copy of ${d.name.trim() || "new trigger"}`.slice(0, 200) };
}

/** A time trigger's hours as typed (days times 24); NaN when what is typed is no whole number (the API says why). */
export function timerHours(d: TriggerDraft): number {
  const amount = Number(d.timerAmount.trim() || "x");
  return Number.isInteger(amount) ? amount * (d.timerUnit === "days" ? 24 : 1) : Number.NaN;
}

/** The trigger as the API takes it, with `id` (a new trigger's, made from its name); what the API has and this
 * screen does not show (a condition added since) as it was read. A time trigger reads no change: no words, no status
 * before it. */
export function fromTriggerDraft(d: TriggerDraft, id: string): Trigger {
  return { ...d.loaded, id, name: d.name.trim(), active: d.active, on: d.timed ? [] : d.on,
    after: d.timed ? { hours: timerHours(d), since: d.timerSince, business_hours: d.timerBusiness } : null,
    conditions: { ...d.loaded?.conditions, statuses: d.statuses, from_statuses: d.timed ? [] : d.fromStatuses, priorities: d.priorities, groups: d.groups,
      channels: d.channels, tags: entries(d.tags), without_tags: entries(d.withoutTags), assigned: d.assigned === "" ? null : d.assigned === "yes",
      ...(d.ratings.length || d.loaded?.conditions?.ratings !== undefined ? { ratings: d.ratings } : {}),
      organizations: d.organizations, forms: d.forms, fields: d.fields.map(fieldFilterTerm).filter(Boolean), keywords: d.timed ? [] : entries(d.keywords) },
    actions: { ...d.loaded?.actions, group: d.group || null, unassign: d.unassign, assignee_id: d.assignee || null,
      ...(d.toActor || d.loaded?.actions.assign_to_actor !== undefined ? { assign_to_actor: !d.timed && d.toActor } : {}), priority: d.priority || null, add_tags: entries(d.addTags),
      remove_tags: entries(d.removeTags), reply: d.reply.trim() || null, note: d.note.trim() || null,
      format: d.format,
      status: d.status || null, notify: d.notify, integrations: d.integrations,
      custom_fields: d.customFields } };
}

type Edit = (patch: Partial<TriggerDraft>) => void;

/** "When": what happens in a change (any of the events), or, for a time trigger, how long after which time. */
function When({ draft, onChange }: { draft: TriggerDraft; onChange: Edit }) {
  return (
    <fieldset class="stack">
      <legend>When</legend>
      <div class="filters" role="radiogroup" aria-label="Kind of trigger">
        <label class="check"><input type="radio" name={`trigger-kind-${draft.key}`} value="change" checked={!draft.timed} onChange={() => onChange({ timed: false })} /> something happens to a ticket</label>
        <label class="check"><input type="radio" name={`trigger-kind-${draft.key}`} value="time" checked={draft.timed} onChange={() => onChange({ timed: true })} /> time passes <span class="hint">(checked every hour)</span></label>
      </div>
      {draft.timed ? (
        <div class="filters" data-testid="trigger-after">
          <label>After <input name="trigger-after-amount" type="number" min={1} max={MAX_TIMER_HOURS} step={1} required value={draft.timerAmount}
            onInput={(e) => onChange({ timerAmount: e.currentTarget.value })} /></label>
          <label><span class="sr-only">Unit</span>
            <select name="trigger-after-unit" value={draft.timerUnit} onChange={(e) => onChange({ timerUnit: e.currentTarget.value === "days" ? "days" : "hours" })}>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </select>
          </label>
          <label>since
            <select name="trigger-after-since" value={draft.timerSince} onChange={(e) => onChange({ timerSince: TIMER_STARTS.find(([v]) => v === e.currentTarget.value)?.[0] ?? "updated" })}>
              {TIMER_STARTS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
          <label class="check"><input type="checkbox" name="trigger-after-business" checked={draft.timerBusiness}
            onChange={(e) => onChange({ timerBusiness: e.currentTarget.checked })} /> in business hours <span class="hint">(the ticket's SLA calendar)</span></label>
          <p class="hint">Once for each such time: a ticket changed again waits again.</p>
        </div>
      ) : <Choices legend="Any of these happens" name="trigger-on" all={EVENTS} chosen={draft.on} onChange={(on) => onChange({ on })} />}
    </fieldset>
  );
}

/** "48 hours after the customer's last message", "3 days after it was resolved", "8 business hours after it was opened". */
function timerText(d: TriggerDraft): string {
  const hours = timerHours(d);
  const since = TIMER_STARTS.find(([v]) => v === d.timerSince)?.[1] ?? d.timerSince;
  const amount = Number.isNaN(hours) ? `${d.timerAmount} ${d.timerUnit}` : hours % 24 === 0
    ? `${hours / 24} ${hours === 24 ? "day" : "days"}` : `${hours} ${hours === 1 ? "hour" : "hours"}`;
  if (d.timerBusiness && !Number.isNaN(hours)) return `${hours} business ${hours === 1 ? "hour" : "hours"} after ${since}`;
  return `${amount} after ${since}`;
}

/** The custom fields a trigger sets: the macro form's inputs, or for an agent (read only) the values in words. */
function SetFields({ draft, fields, readOnly, onChange }: { draft: TriggerDraft; fields: TicketField[]; readOnly: boolean; onChange: Edit }) {
  const keys = Object.keys(draft.customFields);
  if (readOnly) {
    const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
    return keys.length ? <p data-testid="trigger-set-fields">Set {keys.map((k) => `${label(k)}: ${shownValue(draft.customFields[k])}`).join(", ")}</p> : null;
  }
  return fields.length || keys.length ? (
    <FieldChanges name="trigger-set-field" pickLabel="Set a field" fields={fields} values={draft.customFields}
      onChange={(customFields) => onChange({ customFields })} />
  ) : null;
}

function Then({ draft, choices, readOnly, onChange }: { draft: TriggerDraft; choices: TriggerChoices; readOnly: boolean; onChange: Edit }) {
  const { groups } = choices;
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
        <input type="checkbox" name="trigger-unassign" checked={draft.unassign}
          onChange={(e) => onChange(e.currentTarget.checked ? { unassign: true, assignee: "", toActor: false } : { unassign: false })} /> Give it back to the group's queue
      </label>
      {draft.timed ? null : (
        <label class="check">
          <input type="checkbox" name="trigger-to-actor" checked={draft.toActor}
            onChange={(e) => onChange(e.currentTarget.checked ? { toActor: true, unassign: false, assignee: "" } : { toActor: false })} /> Give it to the agent whose change set it off
        </label>
      )}
      <label>Give it to{draft.group ? <span class="hint"> (members of the group it moves to)</span> : null}
        <select name="trigger-assignee" value={draft.assignee} onChange={(e) => onChange(e.currentTarget.value ? { assignee: e.currentTarget.value, unassign: false, toActor: false } : { assignee: "" })}>
          <option value="">—</option>
          {assigneeChoices(choices.staff, groups, draft.group || null, draft.assignee || null).map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
        </select>
      </label>
      <label>Set priority
        <select name="trigger-priority" value={draft.priority} onChange={(e) => onChange({ priority: PRIORITIES.find((p) => p === e.currentTarget.value) ?? "" })}>
          <option value="">—</option>
          {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <label>Add tags <input name="trigger-add-tags" value={draft.addTags} onInput={(e) => onChange({ addTags: e.currentTarget.value })} /></label>
      <label>Remove tags <input name="trigger-remove-tags" value={draft.removeTags} onInput={(e) => onChange({ removeTags: e.currentTarget.value })} /></label>
      <SetFields draft={draft} fields={choices.fields} readOnly={readOnly} onChange={onChange} />
      <label>Reply to the customer <span class="hint">(mailed and shown as any reply, marked automatic; placeholders as in macros: {"{{ requester.first_name }}"}, {"{{ ticket.number }}"})</span>
        <textarea name="trigger-reply" rows={3} maxLength={16384} value={draft.reply} aria-describedby="trigger-format-hint"
          onInput={(e) => onChange({ reply: e.currentTarget.value, format: "markdown" })} />
      </label>
      <p class="hint format-hint" id="trigger-format-hint">{MARKDOWN_HINT}</p>
      <label>Internal note <span class="hint">(for the team)</span>
        <textarea name="trigger-note" rows={2} maxLength={16384} value={draft.note} aria-describedby="trigger-format-hint"
          onInput={(e) => onChange({ note: e.currentTarget.value, format: "markdown" })} />
      </label>
      <label>Set status
        <select name="trigger-status" value={draft.status} onChange={(e) => onChange({ status: SET_STATUSES.find((s) => s === e.currentTarget.value) ?? "" })}>
          <option value="">—</option>
          {SET_STATUSES.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
        </select>
      </label>
      <Choices legend="Mail" hint="with the ticket's link, in each one's language" name="trigger-notify" all={NOTIFY}
        chosen={draft.notify} onChange={(notify) => onChange({ notify })} />
      <label class="check">
        <input type="checkbox" name="trigger-integrations" checked={draft.integrations} onChange={(e) => onChange({ integrations: e.currentTarget.checked })} /> Tell the
        integrations <span class="hint">(a <code>ticket.triggered</code> event naming this trigger, to the webhooks subscribed to it and the event bus)</span>
      </label>
    </fieldset>
  );
}

/** One line of what a trigger does, for its folded card: "When a customer replies, if it was resolved: priority
 * urgent, add reopened, mail the one who has it." */
export function triggerSummary(d: TriggerDraft, { groups, organizations, fields, forms, staff }: TriggerChoices): string {
  const label = <T extends string>(all: [T, string][], v: T) => all.find(([value]) => value === v)?.[1] ?? v;
  const group = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const organization = (id: string) => organizations.find((o) => o.id === id)?.name ?? id;
  const person = (id: string) => { const u = staff.find((s) => s.id === id); return u ? shortName(u) : id; };
  const fieldTerms = d.fields.map(fieldFilterTerm).filter(Boolean);
  const when = d.timed ? timerText(d) : d.on.map((e) => label(EVENTS, e)).join(" or ") || "nothing happens";
  const conditions = [
    d.statuses.length ? `it is ${d.statuses.map(statusText).join(" or ")}` : "",
    d.fromStatuses.length && !d.timed ? `it was ${d.fromStatuses.map(statusText).join(" or ")}` : "",
    d.priorities.length ? `priority ${d.priorities.join(" or ")}` : "",
    d.groups.length ? `in ${d.groups.map(group).join(" or ")}` : "",
    d.channels.length ? `by ${d.channels.map((c) => label(CHANNELS, c)).join(" or ")}` : "",
    entries(d.tags).length ? `tagged ${entries(d.tags).join(" and ")}` : "",
    entries(d.withoutTags).length ? `not tagged ${entries(d.withoutTags).join(" or ")}` : "",
    d.assigned === "yes" ? "someone has it" : d.assigned === "no" ? "nobody has it" : "",
    d.ratings.length ? `rated ${d.ratings.join(" or ")}` : "",
    d.organizations.length ? `from ${d.organizations.map(organization).join(" or ")}` : "",
    d.forms.length ? `form ${d.forms.map((k) => forms.find((f) => f.key === k)?.name ?? k).join(" or ")}` : "",
    ...fieldTerms.map((term) => describeFieldFilter(term, fields)),
    entries(d.keywords).length && !d.timed ? `mentioning ${entries(d.keywords).map((k) => `“${k}”`).join(" or ")}` : "",
  ].filter(Boolean);
  const actions = [
    d.group ? `to ${group(d.group)}` : "", d.unassign ? "back to the queue" : "", d.assignee ? `give it to ${person(d.assignee)}` : "",
    d.toActor && !d.timed ? "give it to the agent whose change set it off" : "",
    d.priority ? `priority ${d.priority}` : "", ...entries(d.addTags).map((t) => `add ${t}`),
    ...entries(d.removeTags).map((t) => `remove ${t}`),
    ...Object.entries(d.customFields).map(([k, v]) => `${fields.find((f) => f.key === k)?.label ?? k} ${shownValue(v)}`),
    d.reply.trim() ? "reply to the customer" : "", d.note.trim() ? "add a note" : "",
    d.status ? `status ${statusText(d.status)}` : "",
    ...d.notify.map((n) => `mail ${label(NOTIFY, n)}`), d.integrations ? "tell the integrations" : "",
  ].filter(Boolean);
  return `When ${when}${conditions.length ? `, if ${conditions.join(", ")}` : ""}: ${actions.join(", ") || "nothing yet"}.`;
}

/** A trigger's card: `tools` are its Up/Down/Delete buttons; `readOnly` disables every control (an agent's view).
 * A saved trigger's When, If and Then fold under its one-line summary (a team's list stays readable); a new one
 * shows them. */
export function TriggerCard({ draft, position, id, choices, readOnly = false, onChange, tools, api }: {
  draft: TriggerDraft; position: number; id: string; choices: TriggerChoices; readOnly?: boolean; onChange: Edit; tools?: ComponentChildren;
  api?: ApiClient; // to try the trigger on a ticket (admins)
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
        <summary data-testid="trigger-summary">{triggerSummary(draft, choices)}</summary>
        <When draft={draft} onChange={onChange} />
        <If draft={draft} choices={choices} readOnly={readOnly} onChange={onChange} />
        <Then draft={draft} choices={choices} readOnly={readOnly} onChange={onChange} />
        {api && !readOnly ? <TriggerTry api={api} trigger={() => fromTriggerDraft(draft, id || "trial")} asksForWords={!draft.timed && entries(draft.keywords).length > 0} /> : null}
      </details>
    </fieldset>
  );
}
