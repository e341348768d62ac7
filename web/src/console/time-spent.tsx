// Time spent on a ticket, in its side panel: the team's total and a small form to log more (POST
// /tickets/{id}/time). A negative entry corrects an earlier one (the API keeps both in the history, as a timesheet
// does, and never lets the total go below nothing). Team only: customers see neither.
import { useState } from "preact/hooks";
import type { ApiClient, Reply } from "../api/client";
import type { Ticket } from "../api/types";
import { Alert } from "../shared/ui";

/** The API's bound on one entry: at most a day's work (a longer job is logged day by day). */
export const MAX_ENTRY_MINUTES = 24 * 60;

/** Minutes as people read them: "25 min", "1 h", "1 h 25 min"; a negative one with a minus sign ("−10 min"). */
export function duration(minutes: number): string {
  const sign = minutes < 0 ? "−" : "";
  const whole = Math.abs(Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const text = hours === 0 ? `${rest} min` : rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  return sign + text;
}

/** A ticket's total as its page shows it: nothing logged (0, or an API that does not say) reads "none logged". */
export function timeSpentText(total: number | null | undefined): string {
  return total ? duration(total) : "none logged";
}

/** What the agent typed, in minutes: "25", "1h 30m", "1 h", "45min", "1:30"; a leading "-" (or "−") makes it a
 * correction. Null when it is not one of those, is zero, or is more than a day either way. */
export function parseMinutes(text: string): number | null {
  const typed = text.trim().toLowerCase().replace(/^−/, "-");
  const negative = typed.startsWith("-");
  const body = typed.replace(/^[-+]\s*/, "");
  let minutes: number;
  let match: RegExpExecArray | null;
  if (/^\d+$/.test(body)) minutes = Number(body);
  else if ((match = /^(\d+):([0-5]\d)$/.exec(body))) minutes = Number(match[1]) * 60 + Number(match[2]);
  else if ((match = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$/.exec(body)) && (match[1] || match[2])) {
    minutes = Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  } else return null;
  if (minutes === 0 || minutes > MAX_ENTRY_MINUTES) return null;
  return negative ? -minutes : minutes;
}

/** The line of a `time_logged` event in the ticket's history. */
export function timeLoggedLine(data: Record<string, unknown>): string {
  const minutes = typeof data.minutes === "number" ? data.minutes : 0;
  const total = typeof data.total === "number" ? ` (total ${duration(data.total)})` : "";
  return minutes < 0 ? `corrected time by ${duration(minutes)}${total}` : `logged ${duration(minutes)}${total}`;
}

/** The ticket's time spent and the form that logs more; `onLogged` gets the API's answer (the ticket with its new
 * total) for the page to show it and reload the history. */
export function TimeSpent({ api, ticket, onLogged }: {
  api: ApiClient;
  ticket: Ticket;
  onLogged: (reply: Reply<Ticket>) => Promise<unknown>;
}) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const minutes = parseMinutes(text);
  const log = async (entry: number) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await api.call("post", "/tickets/{ticket_id}/time", { path: { ticket_id: ticket.id }, body: { minutes: entry } });
      setText("");
      await onLogged(reply);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="time-title" data-testid="time-spent">
      <h2 id="time-title">Time spent</h2>
      <p data-testid="time-spent-total" aria-live="polite">Time spent: <strong>{timeSpentText(ticket.time_spent_minutes)}</strong></p>
      <Alert error={error} />
      <form aria-label="Log time" onSubmit={(e) => { e.preventDefault(); if (minutes !== null) void log(minutes); }}>
        <label>Minutes{" "}
          <input data-testid="time-minutes" size={8} inputMode="text" placeholder="25" value={text} aria-describedby="time-hint"
            onInput={(e) => setText(e.currentTarget.value)} />
        </label>{" "}
        <button type="submit" data-testid="log-time" disabled={busy || minutes === null}>Log time</button>
      </form>
      <p class="hint" id="time-hint" data-testid="time-hint">
        {text.trim() && minutes === null
          ? "Enter minutes (25), hours and minutes (1h 30m or 1:30), at most a day."
          : minutes !== null && minutes < 0
            ? `Corrects the total by ${duration(minutes)}.`
            : "Also 1h 30m or 1:30. To correct, enter a negative number (-10)."}
      </p>
    </section>
  );
}
