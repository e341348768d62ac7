// A customer's page: who they are, as their profile (customer-profile.tsx) or else their newest ticket names them,
// every ticket of theirs the agent may see, newest first, a page at a time (what the ticket page's "Other tickets"
// panel shows five of), the other addresses they write from (customer-addresses.tsx) and the team's notes on them.
// Customers live on their tickets: the profile, the notes and the linked addresses are all that is stored about the
// person. Reached from a ticket's requester and from the Customers list (customers.tsx).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket } from "../api/types";
import { Alert } from "../shared/ui";
import { useStaffAndGroups } from "./assignment";
import { addressOfKey, CustomerAddresses } from "./customer-addresses";
import { CustomerProfilePanel, useCustomerProfile } from "./customer-profile";
import { NotesPanel } from "./notes-panel";
import { OrganizationName, OrganizationNotes, useOrganization } from "./organization";
import { lineOfTicket, TicketTable } from "./ticket-table";

export const PAGE = 25;
const SOLVED = new Set(["resolved", "closed"]);

/** The console's address of the customer a ticket's `requester_key` names. */
export function customerHref(requesterKey: string): string {
  return `#/customers/${encodeURIComponent(requesterKey)}`;
}

/** The requester key a `#/customers/<key>` route names; null for another route or a key that cannot be read. */
export function customerOfRoute(route: string): string | null {
  const found = /^\/customers\/([^/?]+)$/.exec(route);
  if (!found?.[1]) return null;
  try {
    return decodeURIComponent(found[1]);
  } catch {
    return null;
  }
}

/** The Customers list's address, with the words it searches (`#/customers?q=jana`) and the organisation whose people
 * it lists (`organization=<id>`) when there are any. */
export function customersHref(q = "", organization = ""): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set("q", q.trim());
  if (organization) params.set("organization", organization);
  const query = params.toString();
  return query ? `#/customers?${query}` : "#/customers";
}

/** The organisation a `#/customers?organization=<id>` route lists the people of ("" for everyone). */
export function customerOrganizationOfRoute(route: string): string {
  const found = /^\/customers\/?(?:\?(.*))?$/.exec(route);
  return found ? new URLSearchParams(found[1] ?? "").get("organization") ?? "" : "";
}

/** The words a `#/customers` or `#/customers?q=…` route searches ("" for none); null for another route, a customer's
 * page (`#/customers/<key>`) included. */
export function customerSearchOfRoute(route: string): string | null {
  const found = /^\/customers\/?(?:\?(.*))?$/.exec(route);
  if (!found) return null;
  return new URLSearchParams(found[1] ?? "").get("q")?.trim() ?? "";
}

/** `#/new` with the customer's address and name filled in: a ticket opened for them (a phone call). */
export function newTicketHref(requester: Ticket["requester"]): string | null {
  if (!requester.email) return null;
  const query = new URLSearchParams({ email: requester.email, ...(requester.name ? { name: requester.name } : {}) });
  return `#/new?${query.toString()}`;
}

/** The customer's own address: as a ticket of theirs writes it (`written`), or their key's when that ticket came from
 * another address linked to them. */
export function ownAddress(requesterKey: string, written: string | null): string | null {
  if (!requesterKey.startsWith("email:")) return written;
  return written && `email:${written.trim().toLowerCase()}` === requesterKey ? written : addressOfKey(requesterKey);
}

/** "4 tickets, 1 unsolved", of the tickets read so far ("25+" while there are more). */
export function ticketCount(tickets: Pick<Ticket, "status">[], more: boolean): string {
  const unsolved = tickets.filter((t) => !SOLVED.has(t.status)).length;
  const count = `${tickets.length}${more ? "+" : ""} ticket${tickets.length === 1 && !more ? "" : "s"}`;
  return `${count}, ${unsolved}${more ? "+" : ""} unsolved`;
}

/** What the team noted about the customer (`GET/PUT /customers/{key}/notes`), with its version for the next save. */
function CustomerNotes({ api, requesterKey, name }: { api: ApiClient; requesterKey: string; name: string }) {
  const [found, setFound] = useState<{ notes: string; etag: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    api.call("get", "/customers/{customer_key}/notes", { path: { customer_key: requesterKey } })
      .then((r) => live && setFound({ notes: r.data.notes ?? "", etag: r.etag }))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [requesterKey, reads]);
  if (!found) return <Alert error={error} />;
  const save = async (notes: string) => {
    await api.call("put", "/customers/{customer_key}/notes", { path: { customer_key: requesterKey }, body: { notes },
      ifMatch: found.etag ?? '"0"' });
  };
  return (
    <NotesPanel name={name} notes={found.notes} testId="customer-notes" what="customer" save={save}
      reload={() => setReads((n) => n + 1)}
      hint="How they like to be reached, what was promised, what to watch for: the team sees these on their page, customers never do." />
  );
}

export function CustomerPage({ api, requesterKey, mayLink = false }: {
  api: ApiClient;
  requesterKey: string;
  /** May link the customer's other addresses (admins, agents who see every ticket). */
  mayLink?: boolean;
}) {
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const team = useStaffAndGroups(api);
  const newest = tickets?.[0];
  const [organization, reread] = useOrganization(api, newest?.organization_id);
  const profile = useCustomerProfile(api, requesterKey);

  const load = async (cursor: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get("/tickets", { query: { requester: requesterKey, limit: PAGE, cursor: cursor ?? undefined } });
      setTickets((shown) => (cursor && shown ? [...shown, ...page.items] : page.items));
      setNext(page.next_cursor ?? null);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setTickets(null);
    void load(null);
  }, [requesterKey]);

  // Their own address: the newest ticket may come from another address linked to them (customer-addresses.tsx).
  // ... and the name the team or they set is the one to call them by.
  const requester = newest ? {
    ...newest.requester, email: ownAddress(requesterKey, newest.requester.email),
    name: profile.found?.profile.name ?? newest.requester.name,
  } : undefined;
  const name = profile.found?.profile.name ?? requester?.name ?? requester?.email ?? requesterKey;
  const opening = requester ? newTicketHref(requester) : null;
  return (
    <section aria-labelledby="customer-title" data-testid="customer-page">
      <p><a href="#/">← Queue</a> · <a href={customersHref()} data-testid="customer-all">All customers</a></p>
      <h1 id="customer-title">{name}</h1>
      {requester ? (
        <p data-testid="customer-details">
          {[
            // the address where the heading is their name (else the heading is the address)
            requester.name && requester.email ? <span key="email">{requester.email}</span> : null,
            newest?.organization_id ? (
              <span key="org">
                <OrganizationName id={newest.organization_id} found={organization} /> (
                <a href={customersHref("", newest.organization_id)} data-testid="customer-organization-people">everyone
                  there</a>)
              </span>
            ) : null,
            tickets ? <span key="count" data-testid="customer-ticket-count">{ticketCount(tickets, next !== null)}</span> : null,
          ].filter(Boolean).flatMap((part, i) => (i === 0 ? [part] : [" · ", part]))}
        </p>
      ) : null}
      {opening ? <p><a class="button" href={opening} data-testid="customer-new-ticket">New ticket for {name}</a></p> : null}
      <Alert error={error} />
      {tickets === null ? (error ? null : <p aria-live="polite">Loading…</p>) : tickets.length === 0 ? (
        <p class="hint" data-testid="customer-no-tickets">No tickets of theirs that you may open.</p>
      ) : (
        <TicketTable caption={`Tickets from ${name}`} lines={tickets.map(lineOfTicket)} team={team} testId="customer-tickets"
          oneRequester />
      )}
      {next ? (
        <button type="button" disabled={busy} data-testid="customer-more" onClick={() => void load(next)}>Show more</button>
      ) : null}
      <CustomerProfilePanel api={api} requesterKey={requesterKey} {...profile} />
      {requesterKey.startsWith("email:") ? ( // a chat visitor's or a caller's id takes no other addresses
        <CustomerAddresses api={api} requesterKey={requesterKey} mayLink={mayLink} onMoved={() => void load(null)}
          onBelongsTo={(key) => { window.location.hash = customerHref(key); }} />
      ) : null}
      <CustomerNotes api={api} requesterKey={requesterKey} name={name} />
      <OrganizationNotes api={api} found={organization} onSaved={reread} />
    </section>
  );
}
