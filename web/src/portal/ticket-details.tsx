// The custom fields a tenant shows its customers ("Order number": an admin marks them on the Ticket fields screen)
// on the customer's ticket, under the labels the tenant gave them. The API sends a customer only those values.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { TicketField } from "../api/types";
import { useText } from "./i18n";

export function TicketDetails({ api, values }: { api: ApiClient; values: Record<string, unknown> }) {
  const t = useText();
  const [fields, setFields] = useState<TicketField[]>([]);
  const shown = Object.keys(values).length > 0;
  useEffect(() => {
    if (shown) api.get("/ticket-fields").then((view) => setFields(view.fields ?? [])).catch(() => setFields([]));
  }, [api, shown]);
  const rows = fields.filter((f) => values[f.key] !== undefined && values[f.key] !== null);
  if (!rows.length) return null;
  const text = (value: unknown) => (value === true ? t.yes : value === false ? t.no : String(value));
  return (
    <dl class="details" data-testid="ticket-details" aria-label={t.details}>
      {rows.map((f) => (
        <div key={f.key}><dt>{f.label}</dt> <dd>{text(values[f.key])}</dd></div>
      ))}
    </dl>
  );
}
