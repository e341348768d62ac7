// The tenant's webhooks: where its ticket events are POSTed (a CRM, Slack). The API has no change or pause of a
// webhook, nor a rotation of its secret: an admin deletes one and adds it again, so the screen offers exactly
// that. The form keeps what was typed until the API has taken it (a refused URL is mended, not retyped).
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Hooks } from "../api/schema/webhooks";
import { when } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { SecretOnce } from "./secret-once";
import { WebhookDeliveries } from "./webhook-deliveries";

type Webhook = Hooks["schemas"]["WebhookOut"];
type CreatedWebhook = Hooks["schemas"]["CreatedWebhook"];
type NewWebhook = Hooks["schemas"]["NewSubscription"];
type Format = NonNullable<NewWebhook["format"]>;

const ALL = "*"; // what the API takes for "every type, those added later too"
const FORMATS: [Format, string][] = [["standard_webhooks", "Standard Webhooks (signed JSON)"], ["slack", "Slack incoming webhook"]];

export interface WebhookDraft {
  url: string;
  description: string;
  format: Format;
  all: boolean;
  types: string[];
}

// A change from the latest draft, not this render's: a quick type-then-tick must not drop the typing.
type DraftChange = Partial<WebhookDraft> | ((d: WebhookDraft) => Partial<WebhookDraft>);

export const EMPTY_WEBHOOK: WebhookDraft = { url: "", description: "", format: "standard_webhooks", all: true, types: [] };

export function toNewWebhook(d: WebhookDraft): NewWebhook {
  // Slack gets a fixed set (SLA warnings and breaches, new urgent tickets) whatever is sent: the API sets it.
  const types = d.format === "slack" || d.all ? [ALL] : d.types;
  return { url: d.url.trim(), description: d.description.trim(), format: d.format, event_types: types };
}

/** A webhook's event types as a person reads them. */
export function eventTypesText(types: string[]): string {
  return types.includes(ALL) ? "all events" : types.join(", ");
}

export function Webhooks({ api }: { api: ApiClient }) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [draft, setDraft] = useState<WebhookDraft>(EMPTY_WEBHOOK);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null); // a delete asks once more
  const [deliveriesOf, setDeliveriesOf] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = async () => setHooks(await api.get("/webhooks"));
  useEffect(() => {
    load().catch(setError);
    api.get("/webhooks/event-types").then(setEventTypes).catch(setError);
  }, []);
  const set = (change: DraftChange) => setDraft((d) => ({ ...d, ...(typeof change === "function" ? change(d) : change) }));
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      const hook = (await api.call("post", "/webhooks", { body: toNewWebhook(draft) })).data;
      // Slack's URL is its credential and it signs nothing: there is no secret to keep, the URL is masked from now on.
      setCreated(hook.format === "slack" ? null : hook);
      setNotice(hook.format === "slack" ? "Slack webhook added; its URL is masked from now on" : "Webhook added");
      setDraft(EMPTY_WEBHOOK);
      await load();
    } catch (err) {
      setError(err); // the form keeps what was typed
    }
  };
  const remove = async (hook: Webhook) => {
    setConfirming(null);
    setError(null);
    setNotice("");
    try {
      await api.call("delete", "/webhooks/{webhook_id}", { path: { webhook_id: hook.id } });
      if (created?.id === hook.id) setCreated(null);
      setNotice(`Webhook to ${hook.url} deleted`);
      await load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="panel" data-testid="webhooks">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="hint">Ticket events are POSTed to these URLs as they happen (a 2xx within 5 s is delivered; anything else is retried for about 42 minutes). Receivers verify each delivery per Standard Webhooks: the <code>webhook-signature</code> header is an HMAC-SHA256 of <code>webhook-id.webhook-timestamp.body</code> with the webhook's secret, checked by any Standard Webhooks library.</p>
      <Alert error={error} />
      <p role="status" class="notice">{notice}</p>
      {created ? (
        <SecretOnce title={`Signing secret of the webhook to ${created.url}`} label="Signing secret" value={created.secret} testid="webhook-secret"
          onDone={() => setCreated(null)} />
      ) : null}
      {hooks === null ? (error ? null : <p>Loading…</p>) : hooks.length === 0 ? <p>No webhooks yet.</p> : (
        <table class="cards" aria-labelledby="webhooks-title">
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {hooks.map((h) => (
              <Fragment key={h.id}>
                <tr data-testid="webhook" data-webhook-id={h.id}>
                  <td class="card-title">
                    <span data-testid="webhook-url">{h.url}</span>
                    {h.format === "slack" ? <> <Badge kind="ai">Slack</Badge></> : null}
                    {h.description ? <div class="hint">{h.description}</div> : null}
                  </td>
                  <td data-testid="webhook-events" data-label="Events">{eventTypesText(h.event_types)}</td>
                  <td>{h.active ? <Badge kind="sla-ok">active</Badge> : <Badge kind="sla-warning">paused</Badge>}</td>
                  <td data-label="Created">{when(h.created_at)} <span class="hint">by {h.created_by}</span></td>
                  <td>
                    <button type="button" class="link" aria-expanded={deliveriesOf === h.id}
                      onClick={() => setDeliveriesOf(deliveriesOf === h.id ? null : h.id)}>
                      Deliveries <span class="sr-only">to {h.url}</span>
                    </button>{" "}
                    {confirming === h.id ? (
                      <span role="group" aria-label={`Delete the webhook to ${h.url}?`}>
                        <button type="button" class="danger" data-testid="delete-webhook-confirm" onClick={() => void remove(h)}>Delete it</button>{" "}
                        <button type="button" class="link" onClick={() => setConfirming(null)}>Keep</button>
                      </span>
                    ) : (
                      <button type="button" class="link" data-testid="delete-webhook" onClick={() => setConfirming(h.id)}>
                        Delete <span class="sr-only">the webhook to {h.url}</span>
                      </button>
                    )}
                  </td>
                </tr>
                {deliveriesOf === h.id ? (
                  <tr><td colSpan={5}><WebhookDeliveries api={api} id={h.id} /></td></tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <WebhookForm draft={draft} eventTypes={eventTypes} onChange={set} onSubmit={create} />
    </div>
  );
}

function WebhookForm({ draft, eventTypes, onChange, onSubmit }: {
  draft: WebhookDraft;
  eventTypes: string[];
  onChange: (change: DraftChange) => void;
  onSubmit: (e: Event) => void;
}) {
  const slack = draft.format === "slack";
  return (
    <form class="stack" aria-labelledby="new-webhook-title" onSubmit={onSubmit} data-testid="webhook-form">
      <h3 id="new-webhook-title">Add a webhook</h3>
      <label>URL (https, a public address)
        <input name="webhook-url" type="url" required maxLength={2048} value={draft.url} placeholder="https://crm.example.com/hooks/helpdesk"
          onInput={(e) => onChange({ url: e.currentTarget.value })} />
      </label>
      <label>Description (what receives it)
        <input name="webhook-description" maxLength={500} value={draft.description} onInput={(e) => onChange({ description: e.currentTarget.value })} />
      </label>
      <label>Format
        <select name="webhook-format" value={draft.format} onChange={(e) => onChange({ format: FORMATS.find(([f]) => f === e.currentTarget.value)?.[0] ?? "standard_webhooks" })}>
          {FORMATS.map(([f, text]) => <option key={f} value={f}>{text}</option>)}
        </select>
      </label>
      {slack ? (
        <p class="hint">Slack gets a short message for SLA warnings and breaches and for new urgent tickets, unsigned: the URL is Slack's credential, shown only now and masked from then on.</p>
      ) : (
        <fieldset data-testid="webhook-event-types">
          <legend>Events</legend>
          <label class="check">
            <input type="checkbox" name="webhook-all-events" checked={draft.all} onChange={(e) => onChange({ all: e.currentTarget.checked })} />
            All events, those added later too
          </label>
          <div>
            {eventTypes.map((t) => (
              <label class="check" key={t}>
                <input type="checkbox" name={`webhook-event-${t}`} disabled={draft.all} checked={draft.all || draft.types.includes(t)}
                  onChange={(e) => { const on = e.currentTarget.checked; onChange((d) => ({ types: on ? [...d.types, t] : d.types.filter((x) => x !== t) })); }} />
                {t}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div class="reply-actions"><button type="submit">Add webhook</button></div>
    </form>
  );
}
