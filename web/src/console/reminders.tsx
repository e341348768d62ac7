// Reminders (each agent's own): "remind me of this ticket on Monday, 9:00" on the ticket page, mailed then with its
// link by the scheduled scan; and the agent's reminders above the queue, the next first.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Tickets } from "../api/schema/tickets";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";

type Reminder = Tickets["schemas"]["ReminderView"];

/** The quick choices, from `now` in the agent's own time zone: in an hour, tomorrow at 9:00, next Monday at 9:00. */
export function presets(now: Date): { label: string; at: Date }[] {
  const nine = (days: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(9, 0, 0, 0);
    return d;
  };
  const toMonday = ((8 - now.getDay()) % 7) || 7;  // the coming Monday, a week on when today is one
  return [{ label: "In an hour", at: new Date(now.getTime() + 3600_000) }, { label: "Tomorrow 9:00", at: nine(1) },
    { label: "Monday 9:00", at: nine(toMonday) }];
}

function useMyReminders(api: ApiClient): [Reminder[] | null, unknown, () => Promise<void>] {
  const [reminders, setReminders] = useState<Reminder[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    try {
      setReminders(await api.get("/reminders"));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return [reminders, error, load];
}

export function ReminderPanel({ api, ticketId }: { api: ApiClient; ticketId: string }) {
  const [reminders, loadError, reload] = useMyReminders(api);
  const [custom, setCustom] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mine = reminders?.find((r) => r.ticket_id === ticketId) ?? null;
  const act = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      setCustom("");
      await reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remind = (at: Date) => act(() => api.call("put", "/tickets/{ticket_id}/reminder", { path: { ticket_id: ticketId }, body: { at: at.toISOString() } }));
  return (
    <section class="panel" aria-labelledby="reminder-title" data-testid="reminder">
      <h2 id="reminder-title">Remind me</h2>
      <Alert error={error ?? loadError} />
      {mine ? (
        <p data-testid="reminder-set">
          {mine.sent ? `Reminded you ${when(mine.at)}.` : `You will be mailed a reminder ${when(mine.at)}.`}{" "}
          <button type="button" class="link" disabled={busy}
            onClick={() => void act(() => api.call("delete", "/tickets/{ticket_id}/reminder", { path: { ticket_id: ticketId } }))}>Remove</button>
        </p>
      ) : <p class="hint">A mail with this ticket's link, to you only, at the time you choose.</p>}
      <div class="reply-actions">
        {presets(new Date()).map((p) => (
          <button key={p.label} type="button" class="secondary" disabled={busy} title={when(p.at.toISOString())} onClick={() => void remind(p.at)}>{p.label}</button>
        ))}
      </div>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); if (custom) void remind(new Date(custom)); }}>
        <label>At <input type="datetime-local" name="reminder-at" value={custom} onInput={(e) => setCustom(e.currentTarget.value)} /></label>
        <button type="submit" disabled={busy || !custom}>{mine ? "Move reminder" : "Set reminder"}</button>
      </form>
    </section>
  );
}

/** The agent's reminders above the queue: the next ones first, each opening its ticket; nothing without any. */
export function MyReminders({ api }: { api: ApiClient }) {
  const [reminders] = useMyReminders(api);
  const upcoming = (reminders ?? []).filter((r) => !r.sent);
  if (!upcoming.length) return null;
  return (
    <p class="hint" data-testid="my-reminders">
      Your reminders:{" "}
      {upcoming.slice(0, 5).map((r, i) => (
        <span key={r.ticket_id}>{i ? " · " : ""}<a href={`#/t/${encodeURIComponent(r.ticket_id)}`}>{r.number}</a> {when(r.at)}</span>
      ))}
      {upcoming.length > 5 ? ` and ${upcoming.length - 5} more` : ""}
    </p>
  );
}
