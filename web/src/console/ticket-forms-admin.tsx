// The request forms on the Ticket fields screen (Zendesk's ticket forms): what a customer picks when they open a
// ticket in the portal ("Billing question", "Bug report"), each asking its own fields customers fill in and opening
// its tickets in a group. Saved with the fields, as one document.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group, TicketForm } from "../api/types";
import { moved } from "../shared/lists";
import { FormConditions, fromConditionDrafts, toConditionDrafts, type ConditionDraft } from "./form-conditions";
import { keyFrom, type FieldDraft } from "./ticket-field-card";

export const MAX_FORMS = 20; // the API's

/** A form as the screen holds it: its fields by their cards (a new field's key follows its label while typed). */
export interface FormDraft {
  id: number; // keeps each card's inputs with its form when the list is reordered
  saved: boolean; // saved before: tickets carry its key, so the key stays
  keyTyped: boolean; // the admin typed the key: it no longer follows the name
  key: string;
  name: string;
  description: string;
  fieldIds: number[]; // the FieldDraft ids of the fields it asks
  group: string; // "" for no group
  active: boolean;
  conditions: ConditionDraft[]; // fields it asks only after an answer to another (by FieldDraft ids too)
}

let nextId = 0;

export function toFormDraft(form: TicketForm, saved: boolean, fields: FieldDraft[]): FormDraft {
  const ids = (form.fields ?? []).flatMap((key) => fields.filter((f) => f.key === key).map((f) => f.id));
  return { id: nextId++, saved, keyTyped: saved, key: form.key, name: form.name, description: form.description ?? "",
    fieldIds: ids, group: form.group ?? "", active: form.active ?? true,
    conditions: toConditionDrafts(form.conditions ?? [], fields) };
}

/** The form as the API takes it: the fields it asks that customers still fill in, in the order of the fields'
 * list (a field no longer filled in by customers leaves the form, which the API would refuse otherwise), and its
 * conditions on those fields (what no longer fits them is dropped: `fromConditionDrafts`). Always with its
 * conditions, none included: the API replaces the whole document, so a form sent without them would lose them. */
export function fromFormDraft(d: FormDraft, fields: FieldDraft[]): TicketForm {
  const asked = askedBy(d, fields);
  return { key: d.key.trim(), name: d.name.trim(), description: d.description.trim(),
    fields: asked.map((f) => f.key.trim()), group: d.group || null, active: d.active,
    conditions: fromConditionDrafts(d.conditions, asked) };
}

/** The fields a form asks: those it ticks that customers fill in, in the order of the fields' list. */
function askedBy(d: FormDraft, fields: FieldDraft[]): FieldDraft[] {
  return fields.filter((f) => f.editable && d.fieldIds.includes(f.id));
}

export function newFormDraft(): FormDraft {
  return toFormDraft({ key: "", name: "", description: "", fields: [], group: null, active: true }, false, []);
}

/** The "Request forms" part of the screen: a card per form, then "Add form". */
export function TicketFormsAdmin({ api, forms, fields, onChange }: {
  api: ApiClient; forms: FormDraft[]; fields: FieldDraft[]; onChange: (forms: FormDraft[]) => void;
}) {
  const [groups, setGroups] = useState<Group[]>([]);
  useEffect(() => {
    api.get("/groups").then(setGroups).catch(() => setGroups([])); // no groups listed: the API still checks them
  }, [api]);
  const fillable = fields.filter((f) => f.editable);
  const change = (id: number, patch: Partial<FormDraft>) => onChange(forms.map((d) => (d.id === id ? { ...d, ...patch } : d)));
  return (
    <section class="stack" aria-labelledby="forms-title" data-testid="ticket-forms">
      <h2 id="forms-title">Request forms</h2>
      <p class="hint">
        What customers pick first when they open a ticket in the portal ("What is your request about?"): each form asks
        its own fields (those customers fill in, in the order of the list above) and opens its tickets in its group. A
        field required of customers is then asked only with the forms that have it; "Something else" asks the rest.
      </p>
      {forms.length ? null : <p>No forms: the portal asks every field customers fill in.</p>}
      {forms.map((d, i) => (
        <TicketFormCard key={d.id} draft={d} position={i + 1} count={forms.length} fields={fillable} groups={groups}
          onChange={(patch) => change(d.id, patch)} onMove={(by) => onChange(moved(forms, i, by))}
          onRemove={() => onChange(forms.filter((x) => x.id !== d.id))} />
      ))}
      <div class="reply-actions">
        <button type="button" onClick={() => onChange([...forms, newFormDraft()])} disabled={forms.length >= MAX_FORMS}>Add form</button>
      </div>
    </section>
  );
}

/** One form: its name and help text, its key, the fields it asks, its group, whether customers are offered it. */
function TicketFormCard({ draft, position, count, fields, groups, onChange, onMove, onRemove }: {
  draft: FormDraft; position: number; count: number; fields: FieldDraft[]; groups: Group[];
  onChange: (patch: Partial<FormDraft>) => void; onMove: (by: -1 | 1) => void; onRemove: () => void;
}) {
  const name = draft.name || `form ${position}`;
  const toggle = (id: number, on: boolean) =>
    onChange({ fieldIds: on ? [...draft.fieldIds.filter((x) => x !== id), id] : draft.fieldIds.filter((x) => x !== id) });
  return (
    <fieldset class="panel stack" data-testid="ticket-form">
      <legend>{name}{draft.active ? "" : " (not offered)"}</legend>
      <label>Name customers pick
        <input name="form-name" value={draft.name} required maxLength={100}
          onInput={(e) => {
            const value = e.currentTarget.value;
            onChange(draft.keyTyped ? { name: value } : { name: value, key: keyFrom(value) });
          }} />
      </label>
      <label>Key (lower case letters, digits and _; tickets opened with the form carry it)
        <input name="form-key" value={draft.key} required maxLength={40} pattern="[a-z0-9_]+" readOnly={draft.saved}
          title={draft.saved ? "Tickets opened with this form carry its key, so it stays" : undefined}
          onInput={(e) => onChange({ key: e.currentTarget.value, keyTyped: true })} />
      </label>
      <label>Description under the name (optional)
        <input name="form-description" value={draft.description} maxLength={500} onInput={(e) => onChange({ description: e.currentTarget.value })} />
      </label>
      <fieldset data-testid="form-fields">
        <legend>Fields it asks</legend>
        {fields.length ? fields.map((f) => (
          <label key={f.id} class="check">
            <input type="checkbox" name="form-field" value={f.key} checked={draft.fieldIds.includes(f.id)}
              onChange={(e) => toggle(f.id, e.currentTarget.checked)} />
            {f.label || f.key}{f.active ? "" : " (not offered)"}{f.requiredOfCustomers ? " (required)" : ""}
          </label>
        )) : <p class="hint">No field customers fill in yet: the form asks only the subject and the description.</p>}
      </fieldset>
      <FormConditions formId={draft.id} formName={name} conditions={draft.conditions} asked={askedBy(draft, fields)}
        onChange={(conditions) => onChange({ conditions })} />
      <label>Group its tickets open in
        <select name="form-group" value={draft.group} onChange={(e) => onChange({ group: e.currentTarget.value })}>
          <option value="">(no group: triage routes them)</option>
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          {draft.group && !groups.some((g) => g.id === draft.group) ? <option value={draft.group}>{draft.group} (not in the directory)</option> : null}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="form-active" checked={draft.active} onChange={(e) => onChange({ active: e.currentTarget.checked })} />
        Offered to customers (tickets opened with a form no longer offered keep it)
      </label>
      <div class="reply-actions">
        <button type="button" class="link" disabled={position === 1} onClick={() => onMove(-1)}>Up <span class="sr-only">{name}</span></button>
        <button type="button" class="link" disabled={position === count} onClick={() => onMove(1)}>Down <span class="sr-only">{name}</span></button>
        <button type="button" class="link" onClick={onRemove}>Remove <span class="sr-only">{name}</span></button>
      </div>
    </fieldset>
  );
}
