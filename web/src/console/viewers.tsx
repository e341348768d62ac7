// Who else has this ticket open: the page checks in while it is open (and at once when the agent starts or stops
// writing), so two agents do not answer one customer twice. A failed check-in only hides the notice.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Viewer } from "../api/types";

/** The other agents on the ticket, refreshed every `check_in_s` the API names (20 s). */
export function useViewers(api: ApiClient, ticketId: string, replying: boolean): Viewer[] {
  const [others, setOthers] = useState<Viewer[]>([]);
  const [interval, setIntervalS] = useState(20);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    api.call("put", "/tickets/{ticket_id}/viewers/me", { path: { ticket_id: ticketId }, body: { replying } })
      .then((r) => { if (live) { setOthers(r.data.others); setIntervalS(r.data.check_in_s ?? 20); } })
      .catch(() => { if (live) setOthers([]); });
    const timer = window.setTimeout(() => setTick((n) => n + 1), interval * 1000);
    return () => { live = false; window.clearTimeout(timer); };
  }, [ticketId, replying, tick]);
  useEffect(() => () => {
    void api.call("delete", "/tickets/{ticket_id}/viewers/me", { path: { ticket_id: ticketId } }).catch(() => undefined);
  }, [ticketId]);
  return others;
}

/** "Ada Lovelace is writing a reply." / "Ada Lovelace and Bob have this ticket open." */
export function viewersLine(others: Viewer[], name: (id: string) => string | undefined): string | null {
  if (!others.length) return null;
  const called = (v: Viewer) => name(v.user_id) ?? v.name ?? v.user_id;
  const writing = others.filter((v) => v.replying).map(called);
  const reading = others.filter((v) => !v.replying).map(called);
  const parts: string[] = [];
  if (writing.length) parts.push(`${listed(writing)} ${writing.length > 1 ? "are" : "is"} writing a reply`);
  if (reading.length) parts.push(`${listed(reading)} ${reading.length > 1 ? "have" : "has"} this ticket open`);
  return `${parts.join("; ")}.`;
}

function listed(names: string[]): string {
  return names.length < 2 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function ViewersNotice({ others, name }: { others: Viewer[]; name: (id: string) => string | undefined }) {
  const line = viewersLine(others, name);
  return (
    <p class={line ? "notice viewers" : "sr-only"} role="status" aria-live="polite" data-testid="ticket-viewers">
      {line ?? ""}
    </p>
  );
}
