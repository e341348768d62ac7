// The requester's other tickets beside the one open (newest first): whether this person wrote before, about what,
// and whether that is still open, as helpdesk sidebars show a customer's history. Lists only what the agent may
// see (the ticket API filters by the caller's groups).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket } from "../api/types";
import { relative, statusText } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { customerHref } from "./customer";

export const SHOWN = 5;

/** Up to SHOWN of a requester's tickets other than `current`, and whether there are more. */
export function others(page: { items: Ticket[]; next_cursor?: string | null }, current: string): { tickets: Ticket[]; more: boolean } {
  const rest = page.items.filter((t) => t.id !== current);
  return { tickets: rest.slice(0, SHOWN), more: rest.length > SHOWN || Boolean(page.next_cursor) };
}

export function RequesterTickets({ api, ticket }: { api: ApiClient; ticket: Ticket }) {
  const [found, setFound] = useState<{ tickets: Ticket[]; more: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setFound(null);
    setError(null);
    api.get("/tickets", { query: { requester: ticket.requester_key, limit: SHOWN + 1 } })
      .then((page) => live && setFound(others(page, ticket.id)))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [ticket.id, ticket.requester_key]);
  const who = ticket.requester.name ?? ticket.requester.email ?? "this requester";
  return (
    <section class="panel" aria-labelledby="requester-tickets-title" data-testid="requester-tickets">
      <h2 id="requester-tickets-title">Other tickets from {who}</h2>
      <Alert error={error} />
      {found === null ? (error ? null : <p aria-live="polite">Loading…</p>) : found.tickets.length === 0 ? (
        <p class="hint" data-testid="requester-tickets-none">None: this is their first ticket.</p>
      ) : (
        <ul class="requester-tickets">
          {found.tickets.map((t) => (
            <li key={t.id} data-testid="requester-ticket">
              <a href={`#/t/${t.id}`}>{t.number} · {t.subject}</a> <Badge kind={t.status}>{statusText(t.status)}</Badge>{" "}
              <span class="hint">{relative(t.updated_at)}</span>
            </li>
          ))}
        </ul>
      )}
      {found?.more ? (
        <p class="hint">The latest {SHOWN} are shown. <a href={customerHref(ticket.requester_key)} data-testid="requester-all">Every ticket from {who}</a></p>
      ) : null}
    </section>
  );
}
