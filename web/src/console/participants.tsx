// Who besides the requester is copied on the ticket's mail (Cc): their mail replies thread into the ticket and
// every public reply is copied to them. Agents add a colleague of the customer or take someone off; the
// requester always stays (the API keeps them first).
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket } from "../api/types";
import { Alert } from "../shared/ui";

/** The addresses copied besides the requester's own. */
export function copied(ticket: Pick<Ticket, "participants" | "requester">): string[] {
  const requester = ticket.requester.email?.toLowerCase();
  return (ticket.participants ?? []).filter((a) => a.toLowerCase() !== requester);
}

export function Participants({ api, ticket, etag, onChanged }: {
  api: ApiClient;
  ticket: Ticket;
  etag: string | null;
  onChanged: () => Promise<unknown>;
}) {
  const [address, setAddress] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const others = copied(ticket);
  const save = async (participants: string[]) => {
    setBusy(true);
    setError(null);
    try {
      // If-Match: someone else's change since the page loaded is a 409 to reload, not an address lost
      await api.call("put", "/tickets/{ticket_id}/participants", { path: { ticket_id: ticket.id }, body: { participants }, ifMatch: etag ?? undefined });
      setAddress("");
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="participants-title" data-testid="participants">
      <h2 id="participants-title">Copied on mail</h2>
      <Alert error={error} />
      {others.length ? (
        <ul>
          {others.map((a) => (
            <li key={a} data-testid="participant">
              {a}{" "}
              <button type="button" class="link" disabled={busy} onClick={() => void save(others.filter((o) => o !== a))}>
                Remove <span class="sr-only">{a}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : <p class="hint">Only the requester.</p>}
      {ticket.status !== "closed" ? (
        <form onSubmit={(e) => { e.preventDefault(); if (address.trim()) void save([...others, address.trim()]); }}>
          <label>Add an address <input type="email" data-testid="participant-address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} /></label>{" "}
          <button type="submit" disabled={busy || !address.trim()}>Add</button>
        </form>
      ) : null}
    </section>
  );
}
