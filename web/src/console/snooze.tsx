// Snoozing a ticket: out of the team's queues until a time (the queues ask for `snoozed=false`), back sooner when
// the customer writes or it is solved. The ticket page's panel sets, moves and ends a snooze; the header, the queue's
// rows and the history say so. A time already past is no snooze: the SLA scan's schedule clears the field (and mails
// whoever has the ticket) a few minutes after its time, so whatever shows it compares with now.
import { useEffect, useState } from "preact/hooks";
import type { Ticket } from "../api/types";
import { statusText, when } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { presets } from "./reminders";

/** The time a ticket is snoozed until while that is still ahead; null when it is not snoozed (or no longer). */
export function snoozedUntil(until: string | null | undefined, now = Date.now()): string | null {
  return until && Date.parse(until) > now ? until : null;
}

/** "snoozed until …" beside a ticket's status, only while it is snoozed. */
export function SnoozedBadge({ until, now }: { until: string | null | undefined; now?: number }) {
  const ahead = snoozedUntil(until, now);
  return ahead ? <Badge kind="snoozed" title="Out of the team's queues until then">snoozed until {when(ahead)}</Badge> : null;
}

/** A `snoozed` event's history line: `to` set is a snooze (moved when `from` is), `to` null is the ticket back,
 * with `woke` saying why when it came back by itself. */
export function snoozeLine(data: Record<string, unknown>): string {
  if (typeof data.to === "string") return `${typeof data.from === "string" ? "snooze moved to" : "snoozed until"} ${when(data.to)}`;
  const why = data.woke === "customer_replied" ? " (the customer replied)" : data.woke === "solved" ? " (solved)"
    : data.woke === "time" ? " (its time came)" : "";
  return `back from snooze${why}`;
}

/** The ticket page's "Snooze" panel. `onSnooze` sends the change (null: back now) and shows the ticket after it; what
 * it throws shows here. */
export function SnoozePanel({ ticket, onSnooze }: {
  ticket: Pick<Ticket, "status" | "snoozed_until">;
  onSnooze: (until: string | null) => Promise<unknown>;
}) {
  const [custom, setCustom] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const until = snoozedUntil(ticket.snoozed_until);
  // a refusal is about the snooze as it was: once the ticket's snooze changed (the page's "reapply" after a 409, a
  // customer's reply waking it) it no longer applies
  useEffect(() => setError(null), [ticket.snoozed_until]);
  const act = async (to: Date | null) => {
    setBusy(true);
    setError(null);
    try {
      await onSnooze(to ? to.toISOString() : null);
      setCustom("");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // a solved ticket is in no queue to leave (solving it ended any snooze): the API refuses one, so nothing is offered
  const solved = ticket.status === "resolved" || ticket.status === "closed";
  return (
    <section class="panel" aria-labelledby="snooze-title" data-testid="snooze">
      <h2 id="snooze-title">Snooze</h2>
      <Alert error={error} />
      {solved ? (
        <p class="hint" data-testid="snooze-hint">A {statusText(ticket.status)} ticket is in no queue: reopen it to snooze it.</p>
      ) : (
        <>
          {until ? (
            <p data-testid="snoozed" aria-live="polite">
              Snoozed until {when(until)} ·{" "}
              <button type="button" class="link" data-testid="unsnooze" disabled={busy} onClick={() => void act(null)}>Unsnooze</button>
            </p>
          ) : null}
          <p class="hint" data-testid="snooze-hint">Out of the queues until then; back sooner when the customer writes. Whoever has it (or you) is mailed when it is back.</p>
          <div class="reply-actions">
            {presets(new Date()).map((p) => (
              <button key={p.label} type="button" class="secondary" data-testid="snooze-preset" disabled={busy}
                title={when(p.at.toISOString())} onClick={() => void act(p.at)}>{p.label}</button>
            ))}
          </div>
          <form class="filters" aria-label="Snooze until" onSubmit={(e) => { e.preventDefault(); if (custom) void act(new Date(custom)); }}>
            <label>Until <input type="datetime-local" name="snooze-until" data-testid="snooze-at" value={custom}
              onInput={(e) => setCustom(e.currentTarget.value)} /></label>
            <button type="submit" data-testid="snooze-submit" disabled={busy || !custom}>{until ? "Move snooze" : "Snooze"}</button>
          </form>
        </>
      )}
    </section>
  );
}
