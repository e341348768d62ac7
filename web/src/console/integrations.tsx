// Integrations (admins): how a support team connects its other systems. Webhooks send ticket events out (a CRM,
// Slack); API clients let a system call in with credentials of its own; identity keys let the site the chat widget
// is on say who its signed-in visitors are.
import type { ApiClient } from "../api/client";
import { ApiClients } from "./api-clients";
import { Webhooks } from "./webhooks";
import { WidgetIdentityKeys } from "./widget-identity-keys";

export function Integrations({ api }: { api: ApiClient }) {
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <Webhooks api={api} />
      <ApiClients api={api} />
      <WidgetIdentityKeys api={api} />
    </section>
  );
}
