// Custom field values that a macro or a bulk change sets on tickets: the API merges them into each ticket's own
// (a value sets the field, null clears it, keys not sent stay), so what is picked here is all that changes. The
// inputs are the ticket page's (shared/ticket-field-inputs.tsx): an emptied input is null, which clears the field.
import type { TicketField } from "../api/types";
import { fits, TicketFieldInputs } from "../shared/ticket-field-inputs";

export type FieldValues = Record<string, unknown>;

/** What a field starts at when picked: a checkbox ticked (what "set Needs engineering" means), any other empty,
 * which clears the field until a value is typed. */
export function startValue(field: TicketField): unknown {
  return field.type === "checkbox" ? true : null;
}

/** The fields that can be picked: the active ones not picked yet. */
export function pickable(fields: TicketField[], values: FieldValues): TicketField[] {
  return fields.filter((f) => (f.active ?? true) && !(f.key in values));
}

/** The picked fields shown as inputs: active, defined, with a value that fits (the others show read-only). */
export function inputFields(fields: TicketField[], values: FieldValues): TicketField[] {
  return fields.filter((f) => (f.active ?? true) && f.key in values && fits(f, values[f.key]));
}

/** One value in words, for summaries and read-only lists. */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined) return "cleared";
  if (typeof value === "boolean") return value ? "ticked" : "unticked";
  return typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
}

/** The values without `key`. */
export function without(values: FieldValues, key: string): FieldValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => k !== key));
}

/** A select of the fields still to pick (`name` for forms and tests); choosing one adds it at its start value. */
export function FieldPicker({ name, label, fields, values, onChange }: {
  name: string; label: string; fields: TicketField[]; values: FieldValues; onChange: (values: FieldValues) => void;
}) {
  const choices = pickable(fields, values);
  if (!choices.length) return null;
  return (
    <label>{label}
      <select name={name} value="" onChange={(e) => {
        const field = choices.find((f) => f.key === e.currentTarget.value);
        if (field) onChange({ ...values, [field.key]: startValue(field) });
      }}>
        <option value="">(choose a field)</option>
        {choices.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
      </select>
    </label>
  );
}

/** The field changes of a macro or a bulk change: each picked field's input with a button to leave it out again,
 * the values no input shows (a macro's key that no active field defines, set through the API) kept as they are,
 * listed, and the picker (`name`) for one more. */
export function FieldChanges({ name, pickLabel, fields, values, onChange }: {
  name: string; pickLabel: string; fields: TicketField[]; values: FieldValues; onChange: (values: FieldValues) => void;
}) {
  const shown = inputFields(fields, values);
  const others = Object.keys(values).filter((key) => !shown.some((f) => f.key === key));
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  return (
    <div class="field-changes" data-testid={`${name}-changes`}>
      {shown.map((f) => (
        <div key={f.key} class="field-change" data-testid="field-change">
          <TicketFieldInputs fields={[f]} value={(key) => values[key]} onChange={(key, value) => onChange({ ...values, [key]: value })} />
          <button type="button" class="link" onClick={() => onChange(without(values, f.key))}>Leave {f.label} as it is</button>
        </div>
      ))}
      {others.map((key) => (
        <div key={key} class="field-change hint" data-testid="field-kept">
          {label(key)}: {shownValue(values[key])}{" "}
          <button type="button" class="link" onClick={() => onChange(without(values, key))}>Leave {label(key)} as it is</button>
        </div>
      ))}
      {shown.some((f) => f.type !== "checkbox") ? <p class="hint">An empty value clears the field on the ticket.</p> : null}
      <FieldPicker name={name} label={pickLabel} fields={fields} values={values} onChange={onChange} />
    </div>
  );
}

/** The custom fields a change's `fields_changed` event sets or clears (from its `from` and `to`), one line each as
 * the macro preview lists them, by key as the history names them. */
export function changedValues(events: { type: string; data: Record<string, unknown> }[]): { field: string; from: string; to: string }[] {
  const changed = events.find((e) => e.type === "fields_changed");
  if (!changed) return [];
  const from = (changed.data.from ?? {}) as FieldValues;
  const to = (changed.data.to ?? {}) as FieldValues;
  return [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]))
    .map((key) => ({ field: key, from: key in from ? shownValue(from[key]) : "—", to: key in to ? shownValue(to[key]) : "—" }));
}
