// Tickets that belong together, on the ticket page: this ticket's links (related, duplicate, parent, child, a
// follow-up, a merge), linking another ticket found by its number or words, and merging this ticket into another
// (a customer who wrote twice). The API keeps the rules: a merge closes this ticket and its messages show on the
// other; a closed or merged ticket takes no merge.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket } from "../api/types";
import { Alert, Badge } from "../shared/ui";
import { statusText } from "../shared/format";

export const LINK_TYPES = ["related", "duplicate", "parent", "child"] as const;
type LinkType = (typeof LINK_TYPES)[number];
const FOUND = 5;

/** How a link reads: "merged into", "follow up", ... */
export function linkName(type: string): string {
  return type.replace("_", " ");
}

/** Whether agents add and remove this kind of link by hand (merges and follow-ups are recorded, not edited). */
export function editable(type: string): type is LinkType {
  return (LINK_TYPES as readonly string[]).includes(type);
}

/** Another ticket by its number and subject (its id until it has loaded, or when it cannot be read). Read again
 * whenever this ticket changes (`seen`: its version), since a reply to the child tickets changes theirs too. */
function LinkedTicket({ api, id, seen }: { api: ApiClient; id: string; seen: number }) {
  const [other, setOther] = useState<Ticket | null>(null);
  useEffect(() => {
    let live = true;
    api.get("/tickets/{ticket_id}", { path: { ticket_id: id } }).then((t) => live && setOther(t)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id, seen]);
  return (
    <a href={`#/t/${id}`}>
      {other ? <>{other.number} · {other.subject} <Badge kind={other.status}>{statusText(other.status)}</Badge></> : id}
    </a>
  );
}

export function TicketLinks({ api, ticket, onChanged }: { api: ApiClient; ticket: Ticket; onChanged: () => Promise<unknown> }) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<Ticket[] | null>(null);
  const [type, setType] = useState<LinkType>("related");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const find = () =>
    act(async () => {
      const page = await api.get("/tickets/search", { query: { q: query.trim(), limit: FOUND + 1 } });
      // a hit carries the ticket as GET /tickets/{id} shows it to the caller (the search API types it loosely)
      const found = page.items.map((h) => h.ticket as unknown as Ticket);
      setHits(found.filter((t) => t.id !== ticket.id).slice(0, FOUND));
    });
  const link = (other: Ticket) =>
    act(async () => {
      await api.call("post", "/tickets/{ticket_id}/links", { path: { ticket_id: ticket.id }, body: { type, ticket_id: other.id } });
      setHits(null);
      setQuery("");
      await onChanged();
    });
  const unlink = (kind: LinkType, otherId: string) =>
    act(async () => {
      await api.call("delete", "/tickets/{ticket_id}/links/{link_type}/{other_id}", { path: { ticket_id: ticket.id, link_type: kind, other_id: otherId } });
      await onChanged();
    });
  const merge = (other: Ticket) => {
    if (!window.confirm(`Merge ${ticket.number} into ${other.number}? This ticket closes and its messages show on ${other.number}.`)) return;
    void act(async () => {
      await api.call("post", "/tickets/{ticket_id}/merge", { path: { ticket_id: ticket.id }, body: { into: other.id } });
      window.location.hash = `#/t/${other.id}`; // the conversation goes on there
    });
  };
  const links = ticket.links ?? [];
  const open = ticket.status !== "closed";
  return (
    <section class="panel" aria-labelledby="links-title" data-testid="ticket-links">
      <h2 id="links-title">Linked tickets</h2>
      <Alert error={error} />
      {links.length ? (
        <ul class="ticket-links">
          {links.map((l) => (
            <li key={`${l.type}-${l.ticket_id}`} data-testid="ticket-link">
              {linkName(l.type)}: <LinkedTicket api={api} id={l.ticket_id} seen={ticket.version} />{" "}
              {editable(l.type) ? (
                <button type="button" class="link" disabled={busy} onClick={() => void unlink(l.type as LinkType, l.ticket_id)}>
                  Unlink <span class="sr-only">{l.ticket_id}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p class="hint">None.</p>}
      {open ? (
        <>
          <form role="search" aria-label="Find a ticket to link or merge" onSubmit={(e) => { e.preventDefault(); if (query.trim()) void find(); }}>
            <label>Find a ticket (number or words){" "}
              <input data-testid="link-query" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
            </label>{" "}
            <button type="submit" disabled={busy || !query.trim()}>Find</button>
          </form>
          {hits !== null ? (
            hits.length === 0 ? <p class="hint" data-testid="link-none">No other ticket matches.</p> : (
              <>
                <label>Link as{" "}
                  <select data-testid="link-type" value={type} onChange={(e) => setType(e.currentTarget.value as LinkType)}>
                    {LINK_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                  </select>
                </label>
                <ul class="link-candidates">
                  {hits.map((t) => (
                    <li key={t.id} data-testid="link-candidate">
                      {t.number} · {t.subject} <Badge kind={t.status}>{statusText(t.status)}</Badge>{" "}
                      <button type="button" disabled={busy} onClick={() => void link(t)}>Link <span class="sr-only">{t.number}</span></button>{" "}
                      <button type="button" class="secondary" disabled={busy || t.status === "closed"} onClick={() => merge(t)}>
                        Merge into <span class="sr-only">{t.number}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : null}
        </>
      ) : null}
    </section>
  );
}
