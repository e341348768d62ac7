// The Macros screen's form (new and edit): name, description, who the macro is for, the reply and note
// templates, and the changes applying makes to the ticket (custom fields among them). The form holds plain text
// (tags as typed) and turns into the API's `MacroDraft` only when saved, so a refused save keeps everything typed.
import type { JSX } from "preact";
import { PRIORITIES, STATUSES, type Macro, type MacroDraft, type MessageFormat, type Priority, type Scope, type Status, type TicketField } from "../api/types";
import { entries } from "../shared/lists";
import { FieldChanges, type FieldValues } from "./field-changes";
import { MARKDOWN_HINT } from "./format-bar";
import { statusText } from "../shared/format";

/** A group as the form offers it (a group named in the caller's token may be missing from the directory). */
export interface GroupChoice {
  id: string;
  name: string;
}

export interface MacroFields {
  name: string;
  description: string;
  scope: Scope;
  group: string; // the owning group of a group macro
  reply: string;
  note: string;
  status: Status | "";
  priority: Priority | "";
  moveTo: string; // the group applying moves the ticket to ("" leaves it)
  assignToMe: boolean;
  addTags: string;
  removeTags: string;
  fieldValues: FieldValues; // custom fields to set (null: clear); keys not here stay as they are on the ticket
  snoozeHours: number | null; // out of the queues for this long after applying (null: no snooze)
  // what the reply and note are written in: Markdown once written in this form (its hint says so); a macro saved as
  // text before stays text until its reply or note is edited here
  format: MessageFormat;
}

/** The snoozes a macro offers ("waiting for the supplier: snooze 3 days"), in hours as the API takes them. */
export const SNOOZES: { hours: number; label: string }[] = [
  { hours: 1, label: "1 hour" }, { hours: 4, label: "4 hours" }, { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" }, { hours: 168, label: "1 week" },
];

/** "3 days" for 72 hours; a number of hours the list does not offer (set through the API) as hours. */
export function snoozeText(hours: number): string {
  return SNOOZES.find((s) => s.hours === hours)?.label ?? `${hours} hours`;
}

export const EMPTY_MACRO: MacroFields = {
  name: "", description: "", scope: "personal", group: "", reply: "", note: "", status: "", priority: "", moveTo: "",
  assignToMe: false, addTags: "", removeTags: "", fieldValues: {}, snoozeHours: null, format: "markdown",
};

export function fieldsOf(macro: Macro): MacroFields {
  const a = macro.actions;
  return {
    name: macro.name, description: macro.description ?? "", scope: macro.scope ?? "personal", group: macro.group ?? "",
    reply: a.reply ?? "", note: a.note ?? "", status: a.status ?? "", priority: a.priority ?? "", moveTo: a.group ?? "",
    assignToMe: a.assign_to_me ?? false, addTags: (a.add_tags ?? []).join(", "), removeTags: (a.remove_tags ?? []).join(", "),
    fieldValues: { ...(a.custom_fields ?? {}) }, snoozeHours: a.snooze_hours ?? null, format: a.format ?? "text",
  };
}

/** What the API is sent: blank templates and fields left as they are go as nothing. */
export function draftOf(f: MacroFields): MacroDraft {
  return {
    name: f.name.trim(),
    description: f.description.trim(),
    scope: f.scope,
    group: f.scope === "group" ? f.group || null : null,
    actions: {
      reply: f.reply.trim() ? f.reply : null,
      note: f.note.trim() ? f.note : null,
      format: f.format,
      status: f.status || null,
      priority: f.priority || null,
      group: f.moveTo || null,
      assign_to_me: f.assignToMe,
      add_tags: entries(f.addTags),
      remove_tags: entries(f.removeTags),
      ...(f.snoozeHours !== null ? { snooze_hours: f.snoozeHours } : {}), // absent: none (a replace drops one)
      // absent is none (the API's default), so a saved edit that leaves every field drops them
      ...(Object.keys(f.fieldValues).length ? { custom_fields: f.fieldValues } : {}),
    },
  };
}

// What the renderer offers (helpdesk/macros/service.py `placeholders`, rendering.py `ALLOWED_FILTERS`).
const PLACEHOLDERS = {
  ticket: ["number", "subject", "status", "priority", "group", "channel", "tags", "created_at", "id", "fields.<key>"],
  requester: ["first_name", "last_name", "name", "email"],
  agent: ["first_name", "name", "email", "id"],
};
const FILTERS = ["default", "upper", "lower", "title", "capitalize", "trim", "join", "truncate", "first", "last", "length"];

function PlaceholderHelp({ id }: { id: string }) {
  return (
    <div class="hint macro-help" id={id} data-testid="macro-placeholders">
      <p>Placeholders in the reply and the note:</p>
      <ul>
        {Object.entries(PLACEHOLDERS).map(([record, names]) => (
          <li key={record}>
            {names.map((n, i) => <span key={n}>{i ? ", " : ""}<code>{`{{ ${record}.${n} }}`}</code></span>)}
          </li>
        ))}
      </ul>
      <p>
        Also <code>{"{% if … %}…{% endif %}"}</code>, one level of <code>{"{% for … %}"}</code>, and the filters{" "}
        {FILTERS.join(", ")}, as in <code>{'{{ requester.first_name | default("there") }}'}</code>. A placeholder that
        names nothing renders as nothing.
      </p>
    </div>
  );
}

export function MacroForm({ title, fields, admin, scopeGroups, groups, ticketFields, busy, onChange, onSubmit, onCancel }: {
  title: string;
  fields: MacroFields;
  admin: boolean;
  scopeGroups: GroupChoice[]; // the groups the caller may give a macro to
  groups: GroupChoice[]; // the tenant's groups, for "move to group"
  ticketFields: TicketField[]; // the tenant's custom fields, for "set a field"
  busy: boolean;
  onChange: (patch: Partial<MacroFields>) => void;
  onSubmit: () => void;
  onCancel: () => void;
}): JSX.Element {
  const withCurrent = (choices: GroupChoice[], id: string) =>
    !id || choices.some((g) => g.id === id) ? choices : [...choices, { id, name: id }];
  const owners = withCurrent(scopeGroups, fields.scope === "group" ? fields.group : "");
  const targets = withCurrent(groups, fields.moveTo);
  const scopes: [Scope, string][] = [["personal", "Only me"]];
  if (owners.length) scopes.push(["group", "A group"]);
  if (admin || fields.scope === "tenant") scopes.push(["tenant", "Everyone in the team"]);
  return (
    <form class="panel stack macro-form" aria-labelledby="macro-form-title" data-testid="macro-form"
      onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      <h2 id="macro-form-title">{title}</h2>
      <label>Name
        <input name="macro-name" required maxLength={200} value={fields.name} autoFocus onInput={(e) => onChange({ name: e.currentTarget.value })} />
      </label>
      <label>Description (when to use it)
        <input name="macro-description" maxLength={2000} value={fields.description} onInput={(e) => onChange({ description: e.currentTarget.value })} />
      </label>
      <div class="macro-scope">
        <label>Who may use it
          <select name="macro-scope" value={fields.scope}
            onChange={(e) => {
              const scope = scopes.find(([s]) => s === e.currentTarget.value)?.[0] ?? "personal";
              onChange({ scope, group: scope === "group" ? fields.group || owners[0]?.id || "" : fields.group });
            }}>
            {scopes.map(([s, text]) => <option key={s} value={s}>{text}</option>)}
          </select>
        </label>
        {fields.scope === "group" ? (
          <label>Group
            <select name="macro-group" value={fields.group} onChange={(e) => onChange({ group: e.currentTarget.value })}>
              {owners.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select>
          </label>
        ) : null}
      </div>
      <PlaceholderHelp id="macro-placeholders" />
      <p class="hint format-hint" id="macro-format-hint">{MARKDOWN_HINT}</p>
      <label>Reply to the customer (a template; empty: no reply)
        <textarea name="macro-reply" rows={5} aria-describedby="macro-placeholders macro-format-hint" value={fields.reply}
          onInput={(e) => onChange({ reply: e.currentTarget.value, format: "markdown" })} />
      </label>
      <label>Internal note (a template; empty: no note)
        <textarea name="macro-note" rows={2} aria-describedby="macro-placeholders macro-format-hint" value={fields.note}
          onInput={(e) => onChange({ note: e.currentTarget.value, format: "markdown" })} />
      </label>
      <fieldset class="macro-changes">
        <legend>Changes to the ticket</legend>
        <label>Status
          <select name="macro-status" value={fields.status}
            onChange={(e) => onChange({ status: STATUSES.find((s) => s === e.currentTarget.value) ?? "" })}>
            <option value="">(leave)</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
          </select>
        </label>
        <label>Priority
          <select name="macro-priority" value={fields.priority}
            onChange={(e) => onChange({ priority: PRIORITIES.find((p) => p === e.currentTarget.value) ?? "" })}>
            <option value="">(leave)</option>
            {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>Move to group
          <select name="macro-move-to" value={fields.moveTo} onChange={(e) => onChange({ moveTo: e.currentTarget.value })}>
            <option value="">(leave)</option>
            {targets.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="macro-assign-to-me" checked={fields.assignToMe}
            onChange={(e) => onChange({ assignToMe: e.currentTarget.checked })} /> Assign to me (to the agent who applies it)
        </label>
        <label>Snooze
          <select name="macro-snooze" value={fields.snoozeHours === null ? "" : String(fields.snoozeHours)}
            onChange={(e) => onChange({ snoozeHours: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
            <option value="">(no snooze)</option>
            {fields.snoozeHours !== null && !SNOOZES.some((s) => s.hours === fields.snoozeHours)
              ? <option value={String(fields.snoozeHours)}>{snoozeText(fields.snoozeHours)}</option> : null}
            {SNOOZES.map((s) => <option key={s.hours} value={String(s.hours)}>{s.label}</option>)}
          </select>
        </label>
        <label>Add tags (separated by commas)
          <input name="macro-add-tags" value={fields.addTags} onInput={(e) => onChange({ addTags: e.currentTarget.value })} />
        </label>
        <label>Remove tags (separated by commas)
          <input name="macro-remove-tags" value={fields.removeTags} onInput={(e) => onChange({ removeTags: e.currentTarget.value })} />
        </label>
        <FieldChanges name="macro-set-field" pickLabel="Set a field" fields={ticketFields} values={fields.fieldValues}
          onChange={(fieldValues) => onChange({ fieldValues })} />
      </fieldset>
      <div class="reply-actions">
        <button type="button" class="link" onClick={onCancel}>Cancel</button>
        <button type="submit" data-testid="macro-save" disabled={busy}>Save macro</button>
      </div>
    </form>
  );
}
