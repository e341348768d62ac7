// The tenant's custom fields as inputs, one of its type per field an admin defined (Ticket fields screen): on the
// console's ticket page (saved with the properties' Save; keys no field defines, what integrations put on the
// ticket, stay read-only beside them), in macros and the bulk bar, on the console's "New ticket" page and on the
// portal's "Open a ticket" form.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { TicketField, TicketForm } from "../api/types";

export interface TicketDefinitions {
  fields: TicketField[];
  forms: TicketForm[]; // the request forms customers pick from (a customer reads the active ones only)
}

const NONE: TicketDefinitions = { fields: [], forms: [] };

/** The tenant's field definitions and request forms, read once per page (none while they load or when they cannot
 * be read). */
export function useTicketDefinitions(api: ApiClient): TicketDefinitions {
  const [definitions, setDefinitions] = useState<TicketDefinitions>(NONE);
  useEffect(() => {
    let live = true;
    api.get("/ticket-fields")
      .then((view) => live && setDefinitions({ fields: view.fields ?? [], forms: view.forms ?? [] }))
      .catch(() => undefined);
    return () => { live = false; };
  }, [api]);
  return definitions;
}

/** The tenant's field definitions, read once per ticket page (none while they load or when they cannot be read). */
export function useTicketFields(api: ApiClient): TicketField[] {
  return useTicketDefinitions(api).fields;
}

/** Whether a stored value can show in its field's input: none, or one of the field's type (a field whose type or
 * options changed keeps older values, which then show read-only). */
export function fits(field: TicketField, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (field.type) {
    case "text":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "checkbox":
      return typeof value === "boolean";
    case "dropdown":
      return typeof value === "string" && (field.options ?? []).includes(value);
  }
}

/** The fields the page offers as inputs: the active ones whose value on the ticket fits them. */
export function editableFields(fields: TicketField[], values: Record<string, unknown>): TicketField[] {
  return fields.filter((f) => (f.active ?? true) && fits(f, values[f.key]));
}

/** The fields a new ticket asks with the answers in `values` (the API's rule for customers), the picked form's in
 * its order: those no condition shows, and those a condition that holds shows (followed through nested conditions, a shown field deciding another), with
 * the keys a condition that holds requires. Without a form: all of `fields` (the portal: those customers fill in;
 * the console's New ticket: the active ones), none required by a condition. */
export function askedNow(fields: TicketField[], form: TicketForm | null, values: Record<string, unknown>): {
  asked: TicketField[]; requiredNow: Set<string>;
} {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  if (!form) return { asked: fields, requiredNow: new Set() };
  const conditions = form.conditions ?? [];
  const shown = new Set(conditions.flatMap((c) => c.show));
  const asked = new Set((form.fields ?? []).filter((key) => !shown.has(key)));
  const requiredNow = new Set<string>();
  const holds = (when: string, value: string | boolean) =>
    byKey.get(when)?.type === "checkbox" ? (values[when] === true) === value : values[when] === value;
  for (let grew = true; grew;) { // conditions have no loops (the API refuses them): one pass per level of nesting
    grew = false;
    for (const c of conditions) {
      if (!asked.has(c.when) || !holds(c.when, c.value)) continue;
      for (const key of c.show) {
        if (!asked.has(key)) grew = true;
        asked.add(key);
        if ((c.required ?? []).includes(key)) requiredNow.add(key);
      }
    }
  }
  return { asked: (form.fields ?? []).filter((key) => asked.has(key)).flatMap((key) => byKey.get(key) ?? []), requiredNow };
}


/** What a new ticket's `custom_fields` carries: the values typed into the fields asked, without the emptied ones
 * (null would store nothing) and without those of another form picked before. */
export function filledValues(values: Record<string, unknown>, asked: TicketField[]): Record<string, unknown> {
  const keys = new Set(asked.map((f) => f.key));
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => keys.has(key) && value !== null && value !== undefined));
}

/** The ticket's values that no input shows, for the read-only list. */
export function otherValues(values: Record<string, unknown>, shown: TicketField[]): Record<string, unknown> {
  const keys = new Set(shown.map((f) => f.key));
  return Object.fromEntries(Object.entries(values).filter(([key]) => !keys.has(key)));
}

/** The ticket page's label: a field required to resolve says so, so an agent fills it before resolving rather than
 * after a refusal. */
function agentLabel(f: TicketField): string {
  return f.required_to_resolve ? `${f.label} (required to resolve)` : f.label;
}

/** `value(key)` is what the input shows (the agent's edit, else the ticket's); `onChange` gets null for an emptied
 * input, which clears the field when saved. `label` and `required` let the portal's form say what it asks of a
 * customer (in their language) and have the browser check it. */
export function TicketFieldInputs({ fields, value, onChange, label = agentLabel, required = () => false }: {
  fields: TicketField[]; value: (key: string) => unknown; onChange: (key: string, value: unknown) => void;
  label?: (field: TicketField) => string; required?: (field: TicketField) => boolean;
}) {
  return (
    <>
      {fields.map((f) => {
        const current = value(f.key);
        const help = f.description ? <span class="hint">{f.description}</span> : null;
        const text = label(f);
        const needed = required(f);
        const testid = `field-${f.key}`;
        switch (f.type) {
          case "checkbox":
            return (
              <label key={f.key} class="check">
                <input type="checkbox" data-testid={testid} required={needed} checked={current === true} onChange={(e) => onChange(f.key, e.currentTarget.checked)} />
                {text}{help}
              </label>
            );
          case "dropdown":
            return (
              <label key={f.key}>{text}
                <select data-testid={testid} required={needed} value={typeof current === "string" ? current : ""} onChange={(e) => onChange(f.key, e.currentTarget.value || null)}>
                  <option value="">—</option>
                  {(f.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
                {help}
              </label>
            );
          case "number":
            return (
              <label key={f.key}>{text}
                <NumberInput testid={testid} required={needed} value={typeof current === "number" ? current : null} onChange={(n) => onChange(f.key, n)} />
                {help}
              </label>
            );
          case "text":
            return (
              <label key={f.key}>{text}
                <input data-testid={testid} required={needed} maxLength={1000} value={typeof current === "string" ? current : ""}
                  onInput={(e) => onChange(f.key, e.currentTarget.value || null)} />
                {help}
              </label>
            );
        }
      })}
    </>
  );
}

/** A number as typed: the text stays as the agent writes it ("1.0" on the way to "1.05"), the value is its number
 * (null when empty); a new value from outside (the ticket reloaded after a save) replaces the text. */
function NumberInput({ testid, required, value, onChange }: {
  testid: string; required: boolean; value: number | null; onChange: (value: number | null) => void;
}) {
  const [text, setText] = useState(value === null ? "" : String(value));
  useEffect(() => {
    if (numberOf(text) !== value) setText(value === null ? "" : String(value));
  }, [value]);
  return (
    <input type="number" step="any" data-testid={testid} required={required} value={text}
      onInput={(e) => { setText(e.currentTarget.value); onChange(numberOf(e.currentTarget.value)); }} />
  );
}

/** A typed number, or null for empty or anything that is not one. */
export function numberOf(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() === "" || !Number.isFinite(n) ? null : n;
}
