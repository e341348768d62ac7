// Customer satisfaction in the portal: the page the rating link mailed on resolution opens (no sign-in:
// the signed token in the link is the credential) and the rating buttons on a resolved ticket.
import { useEffect, useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import type { CsatView, Ticket } from "../api/types";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";

export type Rating = "good" | "bad";

/** `#/csat/<token>?rating=good` -> the token and the rating the customer clicked in the mail. */
export function csatRoute(hash: string): { token: string; rating: Rating | null } | null {
  const match = /^#?\/csat\/([A-Za-z0-9_.-]+)(?:\?(.*))?$/.exec(hash);
  if (!match?.[1]) return null;
  const rating = new URLSearchParams(match[2] ?? "").get("rating");
  return { token: match[1], rating: rating === "good" || rating === "bad" ? rating : null };
}

export function linkProblem(error: unknown): string | null {
  if (error instanceof ApiError && error.status === 410) return "This rating link has expired.";
  if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
    return "This rating link is not valid. Please use the link from your mail.";
  }
  return null;
}

/** The comment box first, then the ratings: a click on a rating sends it with the comment typed so far, and once
 * rated, "Send comment" sends a comment typed afterwards with the rating already given. */
function RatingButtons({ current, busy, onRate }: { current: Rating | null; busy: boolean; onRate: (r: Rating, comment: string) => void }) {
  const [comment, setComment] = useState("");
  const sendComment = (e: Event) => {
    e.preventDefault();
    if (current && comment.trim()) onRate(current, comment);
  };
  return (
    <form class="stack csat" onSubmit={sendComment}>
      <label for="csat-comment">Anything to add? (optional)</label>
      <textarea id="csat-comment" data-testid="csat-comment" rows={3} maxLength={2000} value={comment}
        onInput={(e) => setComment(e.currentTarget.value)} />
      <div role="group" aria-label="How did we do?">
        {(["good", "bad"] as const).map((r) => (
          <button key={r} type="button" data-testid={`csat-${r}`} aria-pressed={current === r} disabled={busy}
            onClick={() => onRate(r, comment)}>
            {r === "good" ? "Good" : "Bad"}
          </button>
        ))}
      </div>
      {current ? (
        <button type="submit" data-testid="csat-send-comment" disabled={busy || !comment.trim()}>Send comment</button>
      ) : null}
    </form>
  );
}

/** The page of the mailed link: rates at once when the link carried `?rating=`, then lets the customer change it. */
export function CsatPage({ api, token, rating }: { api: ApiClient; token: string; rating: Rating | null }) {
  const [view, setView] = useState<CsatView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rate = async (r: Rating, comment = "") => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() ? { rating: r, comment: comment.trim() } : { rating: r };
      setView((await api.call("post", "/csat/{token}", { path: { token }, body })).data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (rating) void rate(rating);
    else api.get("/csat/{token}", { path: { token } }).then(setView).catch(setError);
  }, [token]);
  const problem = linkProblem(error);
  return (
    <main id="main">
      <section aria-labelledby="csat-title">
        <h1 id="csat-title">How did we do?</h1>
        {problem ? <div class="alert" role="alert">{problem}</div> : <Alert error={error} />}
        {view ? (
          <>
            <p>{view.ticket} · {view.subject}</p>
            {view.rating ? (
              <p role="status" data-testid="csat-thanks">Thank you: you rated this {view.rating}{view.rated_at ? ` (${when(view.rated_at)})` : ""}{view.comment ? ", with your comment" : ""}.</p>
            ) : null}
            <RatingButtons current={view.rating ?? null} busy={busy} onRate={(r, c) => void rate(r, c)} />
          </>
        ) : problem ? null : <p>Loading…</p>}
      </section>
    </main>
  );
}

/** On a resolved ticket in the signed-in portal. */
export function TicketRating({ api, ticket, onRated }: { api: ApiClient; ticket: Ticket; onRated: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (ticket.status !== "resolved" && ticket.status !== "closed") return null;
  const rate = async (r: Rating, comment: string) => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() ? { rating: r, comment: comment.trim() } : { rating: r };
      await api.call("post", "/tickets/{ticket_id}/csat", { path: { ticket_id: ticket.id }, body });
      onRated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="csat-box" aria-labelledby="rate-title" data-testid="ticket-rating">
      <h2 id="rate-title">How did we do?</h2>
      <Alert error={error} />
      {ticket.csat ? <p role="status">You rated this {ticket.csat.rating}. You can change your rating.</p> : null}
      <RatingButtons current={ticket.csat?.rating ?? null} busy={busy} onRate={(r, c) => void rate(r, c)} />
    </section>
  );
}
