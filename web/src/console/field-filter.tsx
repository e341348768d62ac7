// The queue's filter by a custom field (`GET /tickets?field=key:value`): one of the tenant's active fields, then a
// value in an input of its type. The API compares the value as the ticket holds it: text as typed, a number as a
// number (the term sends 40 for "40.0"), a checkbox as true/false.
import type { TicketField } from "../api/types";
import { numberOf } from "../shared/ticket-field-inputs";

export interface FieldFilterValue {
  key: string;
  value: string;
}

export const NO_FIELD_FILTER: FieldFilterValue = { key: "", value: "" };

/** `key:value` (a link's or a saved view's) as the filter; the value may hold colons, the key may not. */
export function parseFieldFilter(term: string): FieldFilterValue {
  const at = term.indexOf(":");
  if (at < 1) return NO_FIELD_FILTER;
  return { key: term.slice(0, at).trim(), value: term.slice(at + 1).trim() };
}

/** The `field` term the API filters by, or "" while the field or its value is still to pick. */
export function fieldFilterTerm(filter: FieldFilterValue): string {
  const value = filter.value.trim();
  return filter.key && value ? `${filter.key}:${value}` : "";
}

/** A number as the API compares it: "40.0" and "40" are one; "" for anything not a number. */
export function numberTerm(text: string): string {
  const n = numberOf(text);
  return n === null ? "" : String(n);
}

/** What a field's value starts at when it is picked: a checkbox "yes" (filtering at once), any other empty. */
function startValue(field: TicketField | undefined): string {
  return field?.type === "checkbox" ? "true" : "";
}

/** A `key:value` term in words, by the field's label when it is defined ("Support plan: pro", "Urgent: yes"). */
export function describeFieldFilter(term: string, fields: TicketField[]): string {
  const { key, value } = parseFieldFilter(term);
  const field = fields.find((f) => f.key === key);
  if (!field) return term;
  const shown = field.type === "checkbox" ? (value === "true" ? "yes" : value === "false" ? "no" : value) : value;
  return `${field.label}: ${shown}`;
}

export function FieldFilter({ fields, value, onChange }: {
  fields: TicketField[];
  value: FieldFilterValue;
  onChange: (value: FieldFilterValue) => void;
}) {
  const active = fields.filter((f) => f.active ?? true);
  if (active.length === 0 && !value.key) return null; // the tenant defines no fields
  const field = fields.find((f) => f.key === value.key);
  return (
    <span class="field-filter" role="group" aria-label="Custom field filter" data-testid="field-filter">
      <label>
        Field{" "}
        <select data-testid="filter-field" value={value.key}
          onChange={(e) => {
            const key = e.currentTarget.value;
            onChange({ key, value: startValue(fields.find((f) => f.key === key)) });
          }}>
          <option value="">any</option>
          {active.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
          {/* a link or saved view naming a field no active field defines: the select still shows the filter */}
          {value.key && !active.some((f) => f.key === value.key)
            ? <option value={value.key}>{field?.label ?? value.key}</option> : null}
        </select>
      </label>
      {value.key ? <FieldValueInput field={field} value={value.value} onChange={(v) => onChange({ key: value.key, value: v })} /> : null}
    </span>
  );
}

/** The value in an input of the field's type; a field the tenant does not define (a link's key) takes text. */
export function FieldValueInput({ field, value, onChange }: {
  field: TicketField | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const testid = "filter-field-value";
  switch (field?.type) {
    case "dropdown": {
      const options = field.options ?? [];
      return (
        <label>
          Value{" "}
          <select data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
            <option value="">(choose)</option>
            {options.map((o) => <option key={o} value={o}>{o}</option>)}
            {value && !options.includes(value) ? <option value={value}>{value}</option> : null}
          </select>
        </label>
      );
    }
    case "checkbox":
      return (
        <label>
          Value{" "}
          <select data-testid={testid} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
            <option value="true">yes (ticked)</option>
            <option value="false">no (unticked)</option>
          </select>
        </label>
      );
    case "number":
      return (
        <label>
          Value{" "}
          <input type="number" step="any" data-testid={testid} value={value} size={8}
            onChange={(e) => onChange(numberTerm(e.currentTarget.value))} />
        </label>
      );
    default:
      return (
        <label>
          Value{" "}
          <input data-testid={testid} value={value} maxLength={1000} size={12}
            onChange={(e) => onChange(e.currentTarget.value.trim())} />
        </label>
      );
  }
}
