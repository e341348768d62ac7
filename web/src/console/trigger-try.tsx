// A trigger tried on one ticket as it stands, saved or not (POST /triggers/try): would it act, and what would it
// change. Nothing is written; the admin checks a trigger before saving it.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Tools } from "../api/schema/tools";
import type { TicketEvent } from "../api/types";
import { when } from "../shared/format";
import { useTrial } from "../shared/trial";
import { Alert } from "../shared/ui";
import { describeEvent } from "./ticket";

type Trigger = Tools["schemas"]["Trigger"];
type TriggerTrial = Tools["schemas"]["TriggerTrial"];

/** The conditions by the API's field names, as the card's "If" names them. */
const CONDITIONS: Record<string, string> = {
  statuses: "status", from_statuses: "status before the change", priorities: "priority", groups: "group",
  channels: "how it came in", tags: "tags it must have", without_tags: "tags it must not have", assigned: "assigned",
  organizations: "requester's organisation", forms: "request form", fields: "custom fields", keywords: "the message's words",
  after: "its time has not come (or it acted for this time already)",
};

/** "T-000123 would match: priority: normal → urgent, tags: …" or "T-000123 would not match: status, group."; for a
 * time trigger whose hours have not passed, when they do. */
export function trialText(trial: TriggerTrial): string {
  if (!trial.matches) {
    const due = trial.due_at && (trial.unmet ?? []).includes("after") ? ` Its time comes ${when(trial.due_at)}.` : "";
    return `${trial.number} would not match: ${(trial.unmet ?? []).map((c) => CONDITIONS[c] ?? c).join(", ")}.${due}`;
  }
  const changes = (trial.changes ?? []).map((c) =>
    describeEvent({ seq: 0, type: c.type, actor: "trigger", at: "", internal: false, data: c.data ?? {} } as unknown as TicketEvent));
  return `${trial.number} would match: ${changes.join("; ") || "nothing would change"}.`;
}

export function TriggerTry({ api, trigger, asksForWords }: { api: ApiClient; trigger: () => Trigger; asksForWords: boolean }) {
  const [ticket, setTicket] = useState("");
  const [message, setMessage] = useState("");
  const { result: trial, error, busy, run } = useTrial<TriggerTrial>();
  const tryIt = () => run(async () => (await api.call("post", "/triggers/try", { body: { trigger: trigger(), ticket: ticket.trim(), message } })).data);
  return (
    <div class="filters" data-testid="trigger-try">
      <label>Try on ticket <input name="trigger-try-ticket" value={ticket} size={10} placeholder="T-000123" onInput={(e) => setTicket(e.currentTarget.value)} /></label>
      {asksForWords ? (
        <label>with the message <input name="trigger-try-message" value={message} placeholder="Our site is down" onInput={(e) => setMessage(e.currentTarget.value)} /></label>
      ) : null}
      <button type="button" disabled={busy || !ticket.trim()} onClick={() => void tryIt()}>Try</button>
      <Alert error={error} />
      {trial ? <p role="status" data-testid="trigger-trial">{trialText(trial)}</p> : null}
    </div>
  );
}
