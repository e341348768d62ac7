// The custom fields a team asks customers to fill in when they open a ticket ("Order number"; an admin marks them on
// the Ticket fields screen), as inputs of their type under the labels the team gave them. The API refuses any other
// field from a customer, and a request without a field the team requires of them.
//
// A team with request forms ("Billing question", "Bug report") first asks what the request is about: a form asks
// only its own fields, in its order, and its required ones; "Something else" sends no form and asks every field
// customers fill in, requiring only those no form asks. A form may ask some fields only after a given answer ("Device"
// Laptop asks the serial number): those appear, and are required where the form says, once that answer is given.
import type { ApiClient } from "../api/client";
import type { TicketField, TicketForm } from "../api/types";
import { TicketFieldInputs, useTicketDefinitions } from "../shared/ticket-field-inputs";
import { useText } from "./i18n";

/** The fields customers fill in and the forms they pick from (none while they load, or when they cannot be read:
 * the API then says what is missing). */
export function useRequestDefinitions(api: ApiClient): { fields: TicketField[]; forms: TicketForm[] } {
  const { fields, forms } = useTicketDefinitions(api);
  return { fields: fields.filter((f) => f.customer_editable && (f.active ?? true)), forms: forms.filter((f) => f.active ?? true) };
}

/** Whether a request must have the field filled (the API's rule): a form's required ones; without a form, the
 * required ones no form asks (a field made for one kind of request is not asked of the rest). */
export function requiredIn(field: TicketField, forms: TicketForm[], form: TicketForm | null): boolean {
  if (!field.required_for_customers) return false;
  return form !== null || !forms.some((f) => (f.fields ?? []).includes(field.key));
}

/** "What is your request about?": the forms by name and description, and "Something else" (`""`: no form).
 * `value` null: nothing picked yet. */
export function RequestFormPicker({ forms, value, onChange }: {
  forms: TicketForm[]; value: string | null; onChange: (key: string) => void;
}) {
  const t = useText();
  const choice = (key: string, name: string, description: string) => (
    <label key={key} class="check">
      <input type="radio" name="request-form" data-testid="request-form" value={key} required checked={value === key}
        onChange={() => onChange(key)} />
      {name}{description ? <span class="hint">{description}</span> : null}
    </label>
  );
  return (
    <fieldset class="request-forms" data-testid="request-forms">
      <legend>{t.requestAbout}</legend>
      {forms.map((f) => choice(f.key, f.name, f.description ?? ""))}
      {choice("", t.somethingElse, "")}
    </fieldset>
  );
}

export function RequestFields({ fields, required, values, onChange }: {
  fields: TicketField[]; required: (field: TicketField) => boolean;
  values: Record<string, unknown>; onChange: (values: Record<string, unknown>) => void;
}) {
  const t = useText();
  if (!fields.length) return null;
  return (
    <TicketFieldInputs fields={fields} value={(key) => values[key]}
      onChange={(key, value) => onChange({ ...values, [key]: value })}
      label={(f) => (required(f) ? `${f.label} ${t.requiredMark}` : f.label)}
      required={required} />
  );
}
