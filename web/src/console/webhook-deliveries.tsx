// One webhook's delivery log (every attempt, newest first, kept 30 days): how an admin sees that the receiver
// answers, or why it does not (its status or the error), before the CRM's people ask where the events are.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Hooks } from "../api/schema/webhooks";
import { when } from "../shared/format";
import { Alert, Badge } from "../shared/ui";

type Delivery = Hooks["schemas"]["Delivery"];

const OUTCOME_BADGE: Record<Delivery["outcome"], string> = { delivered: "sla-ok", failed: "sla-warning", dead: "sla-breached" };

export function WebhookDeliveries({ api, id }: { api: ApiClient; id: string }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    setError(null);
    api.get("/webhooks/{webhook_id}/deliveries", { path: { webhook_id: id }, query: { limit: 20 } }).then((p) => setItems(p.items)).catch(setError);
  };
  useEffect(load, [id]);
  return (
    <div data-testid="webhook-deliveries">
      <Alert error={error} />
      {items === null ? (error ? null : <p>Loading…</p>) : items.length === 0 ? <p>Nothing sent yet: events are sent as tickets change.</p> : (
        <table class="cards" tabIndex={0}>
          <caption class="sr-only">Latest deliveries</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">Answer</th></tr></thead>
          <tbody>
            {items.map((d) => (
              <tr key={`${d.message_id}-${d.attempt}`} data-testid="webhook-delivery">
                <td>{when(d.at)}</td>
                <td class="card-title">{d.event_type}</td>
                <td data-label="Attempt">{d.attempt}</td>
                <td><Badge kind={OUTCOME_BADGE[d.outcome]}>{d.outcome}</Badge>{d.next_attempt_in_s ? <span class="hint"> next try in {d.next_attempt_in_s} s</span> : null}</td>
                <td>{d.status ? `HTTP ${d.status}` : ""}{d.error && !d.error.startsWith("HTTP ") ? ` ${d.error}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" class="link" onClick={load}>Refresh <span class="sr-only">the deliveries</span></button>
    </div>
  );
}
