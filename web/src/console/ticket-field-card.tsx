// One custom ticket field on the Ticket fields screen: its label, key, type, a dropdown's options, the help text
// agents read, whether tickets offer it, and its place in the list.
import type { TicketField, TicketFieldType } from "../api/types";
import { lines, slugFrom } from "../shared/lists";

const TYPES: [TicketFieldType, string][] = [["text", "Text"], ["number", "Number"], ["checkbox", "Checkbox"], ["dropdown", "Dropdown"]];

/** A field as the form holds it: a dropdown's options as typed, one a line. */
export interface FieldDraft {
  id: number; // keeps each card's inputs with its field when the list is reordered
  saved: boolean; // saved before: tickets hold values under its key, so the key stays
  keyTyped: boolean; // the admin typed the key: it no longer follows the label
  key: string;
  label: string;
  type: TicketFieldType;
  options: string;
  description: string;
  active: boolean;
  required: boolean; // required to resolve
  shown: boolean; // customers see its value on their ticket
  editable: boolean; // customers fill it in when they open a ticket (then it is shown too)
  requiredOfCustomers: boolean; // customers open a ticket only with it filled (editable ones only)
}

let nextId = 0;

export function toFieldDraft(field: TicketField, saved: boolean): FieldDraft {
  return { id: nextId++, saved, keyTyped: saved, key: field.key, label: field.label, type: field.type,
    options: (field.options ?? []).join("\n"), description: field.description ?? "", active: field.active ?? true,
    required: field.required_to_resolve ?? false, shown: field.customer_visible ?? false,
    editable: field.customer_editable ?? false, requiredOfCustomers: field.required_for_customers ?? false };
}

export function fromFieldDraft(d: FieldDraft): TicketField {
  return { key: d.key.trim(), label: d.label.trim(), type: d.type, options: d.type === "dropdown" ? lines(d.options) : [],
    description: d.description.trim(), active: d.active, required_to_resolve: d.required,
    customer_visible: d.shown || d.editable, customer_editable: d.editable,
    required_for_customers: d.editable && d.requiredOfCustomers };
}

/** The key a new field gets from its label ("Order number" gives order_number): what the API takes, [a-z0-9_]{1,40}. */
export function keyFrom(label: string): string {
  return slugFrom(label, "_", 40);
}

export function TicketFieldCard({ draft, position, count, onChange, onMove, onRemove }: {
  draft: FieldDraft; position: number; count: number;
  onChange: (patch: Partial<FieldDraft>) => void; onMove: (by: -1 | 1) => void; onRemove: () => void;
}) {
  const name = draft.label || `field ${position}`;
  return (
    <fieldset class="panel stack" data-testid="ticket-field">
      <legend>{name}{draft.active ? "" : " (not offered)"}</legend>
      <label>Label
        <input name="field-label" value={draft.label} required maxLength={100}
          onInput={(e) => {
            const label = e.currentTarget.value;
            onChange(draft.keyTyped ? { label } : { label, key: keyFrom(label) });
          }} />
      </label>
      <label>Key (lower case letters, digits and _; integrations send the value under it)
        <input name="field-key" value={draft.key} required maxLength={40} pattern="[a-z0-9_]+" readOnly={draft.saved}
          title={draft.saved ? "Tickets hold their values under this key, so it stays" : undefined}
          onInput={(e) => onChange({ key: e.currentTarget.value, keyTyped: true })} />
      </label>
      <label>Type
        <select name="field-type" value={draft.type} onChange={(e) => onChange({ type: TYPES.find(([t]) => t === e.currentTarget.value)?.[0] ?? "text" })}>
          {TYPES.map(([t, text]) => <option key={t} value={t}>{text}</option>)}
        </select>
      </label>
      {draft.type === "dropdown" ? (
        <label>Options (one a line, up to 50)
          <textarea name="field-options" rows={3} value={draft.options} onInput={(e) => onChange({ options: e.currentTarget.value })} />
        </label>
      ) : null}
      <label>Help text shown with the input (optional; customers read it too on a field they fill in)
        <input name="field-description" value={draft.description} maxLength={500} onInput={(e) => onChange({ description: e.currentTarget.value })} />
      </label>
      <label class="check">
        <input type="checkbox" name="field-active" checked={draft.active} onChange={(e) => onChange({ active: e.currentTarget.checked })} />
        Offered on tickets (tickets keep the values of a field no longer offered)
      </label>
      <label class="check">
        <input type="checkbox" name="field-required" checked={draft.required} onChange={(e) => onChange({ required: e.currentTarget.checked })} />
        Required to resolve (an agent fills it in before resolving or closing; a checkbox must be ticked)
      </label>
      <label class="check">
        <input type="checkbox" name="field-shown" checked={draft.shown || draft.editable} disabled={draft.editable}
          onChange={(e) => onChange({ shown: e.currentTarget.checked })} />
        Customers see it on their ticket in the portal (otherwise it is the team's only)
      </label>
      <label class="check">
        <input type="checkbox" name="field-editable" checked={draft.editable} onChange={(e) => onChange({ editable: e.currentTarget.checked })} />
        Customers fill it in when they open a ticket in the portal (then they see it too)
      </label>
      {draft.editable ? (
        <label class="check">
          <input type="checkbox" name="field-required-of-customers" checked={draft.requiredOfCustomers}
            onChange={(e) => onChange({ requiredOfCustomers: e.currentTarget.checked })} />
          Required when customers open a ticket (mail and chat open tickets without it)
        </label>
      ) : null}
      <div class="reply-actions">
        <button type="button" class="link" disabled={position === 1} onClick={() => onMove(-1)}>Up <span class="sr-only">{name}</span></button>
        <button type="button" class="link" disabled={position === count} onClick={() => onMove(1)}>Down <span class="sr-only">{name}</span></button>
        {draft.saved ? null : <button type="button" class="link" onClick={onRemove}>Remove <span class="sr-only">{name}</span></button>}
      </div>
    </fieldset>
  );
}
