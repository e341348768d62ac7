// The custom fields a team asks customers to fill in when they open a ticket ("Order number"; an admin marks them on
// the Ticket fields screen), as inputs of their type under the labels the team gave them. The API refuses any other
// field from a customer, and a request without a field the team requires of them.
import type { ApiClient } from "../api/client";
import type { TicketField } from "../api/types";
import { TicketFieldInputs, useTicketFields } from "../shared/ticket-field-inputs";
import { useText } from "./i18n";

/** The fields customers fill in (none while they load, or when they cannot be read: the API then says what is
 * missing). */
export function useRequestFields(api: ApiClient): TicketField[] {
  return useTicketFields(api).filter((f) => f.customer_editable && (f.active ?? true));
}

/** The values typed so far, without the emptied ones (a customer's null asks nothing). */
export function filledValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
}

export function RequestFields({ fields, values, onChange }: {
  fields: TicketField[]; values: Record<string, unknown>; onChange: (values: Record<string, unknown>) => void;
}) {
  const t = useText();
  if (!fields.length) return null;
  return (
    <TicketFieldInputs fields={fields} value={(key) => values[key]}
      onChange={(key, value) => onChange({ ...values, [key]: value })}
      label={(f) => (f.required_for_customers ? `${f.label} ${t.requiredMark}` : f.label)}
      required={(f) => f.required_for_customers ?? false} />
  );
}
