// Full-text search results in the queue (`GET /tickets/search`): each hit with its snippets, the
// matched words marked (built as elements from the text, see shared/snippet.tsx), cursor paging, and the bulk
// change of the hits ticked (as in the queue).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { LinkType, Priority, Status, Ticket, TicketHit } from "../api/types";
import { relative, statusText } from "../shared/format";
import { Snippet } from "../shared/snippet";
import { Alert, Badge } from "../shared/ui";
import { BulkChange, useRowSelection } from "./bulk-bar";

export interface SearchFilters {
  status?: Status;
  assignee?: string;
  unassigned?: boolean;
  group?: string;
  priority?: Priority;
  tag?: string;
  organization?: string;
  form?: string; // the request form tickets were opened with
  follower?: string; // a team member's id, or "me": the tickets they follow
  link_type?: LinkType; // "child": the problems
  field?: string[]; // custom field terms, `key:value` each
}

export function TicketSearchResults({ api, q, filters, me }: { api: ApiClient; q: string; filters: SearchFilters; me: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [hits, setHits] = useState<TicketHit[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0); // after a bulk change: the hits as they are now
  const cursor = cursors[cursors.length - 1] ?? null;
  const tickets = hits?.map((h) => h.ticket as unknown as Ticket) ?? null;
  const selection = useRowSelection(tickets);
  const key = JSON.stringify([q, filters]);
  useEffect(() => setCursors([null]), [key]);
  useEffect(() => {
    let live = true;
    setError(null);
    setHits(null);
    api
      .get("/tickets/search", { query: { q, ...filters, cursor: cursor ?? undefined, limit: 25 } })
      .then((page) => {
        if (!live) return;
        setHits(page.items);
        setNext(page.next_cursor);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [key, cursor, reloads]);
  return (
    <div data-testid="search-results">
      <h2 id="search-title">Tickets matching “{q}”</h2>
      <Alert error={error} />
      <BulkChange api={api} me={me} selection={selection} onChanged={() => setReloads(reloads + 1)} />
      {hits === null ? (error ? null : <p aria-live="polite">Searching…</p>) : hits.length === 0 ? (
        <p data-testid="search-empty">No tickets match.</p>
      ) : (
        <ul class="hits" aria-labelledby="search-title">
          {hits.map((h) => {
            const t = h.ticket as unknown as Ticket;
            return (
              <li key={t.id} data-testid="search-hit">
                <input type="checkbox" data-testid="select-ticket" checked={selection.selected.has(t.id)}
                  aria-label={`Select ${t.number} ${t.subject}`} onChange={() => selection.toggle(t.id)} />{" "}
                <a href={`#/t/${t.id}`} data-testid="ticket-subject">{t.number} · {t.subject}</a>{" "}
                <Badge kind={t.status}>{statusText(t.status)}</Badge> <Badge kind={`p-${t.priority}`}>{t.priority}</Badge>{" "}
                <span class="method">{t.requester?.email ?? t.requester?.id} · {relative(t.updated_at)}</span>
                {h.snippets.map((s, i) => <Snippet key={i} html={s.text} internal={s.internal} />)}
              </li>
            );
          })}
        </ul>
      )}
      <nav class="pager" aria-label="Result pages">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>Next</button>
      </nav>
    </div>
  );
}
