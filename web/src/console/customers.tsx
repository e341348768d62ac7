// The Customers list (`#/customers`): everyone with a ticket the agent may open, A–Z by address (`GET /customers`),
// with their tickets counted and the one last updated, a page at a time. The search box narrows it as one types
// (words of a name or an address, the last one a beginning: "jan", "jana mü"), the organisation filter to the people
// of one; the address keeps both (`#/customers?q=jana&organization=<id>`), so a reload or Back shows the same list.
// Each name opens the customer's page.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Customer, Organization } from "../api/types";
import { relative, statusText } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { customerHref, customerOrganizationOfRoute, customerSearchOfRoute, customersHref, PAGE } from "./customer";
import { OrganizationFilter, organizationLabel, useOrganizations } from "./organization";

export const PAUSE_MS = 300; // a pause in typing before the list is asked for again, not every key

/** Where the list's words and organisation go: the address, in place of the current entry (a search is no new page
 * for Back). */
function searchFor(words: string, organization: string): void {
  window.location.replace(customersHref(words, organization));
}

export function CustomerList({ api, route }: { api: ApiClient; route: string }) {
  const q = customerSearchOfRoute(route) ?? "";
  const organization = customerOrganizationOfRoute(route);
  const [words, setWords] = useState(q); // what the box holds; `q` follows it after a pause
  const asked = useRef(q); // the words the address holds, or is about to
  const organizations = useOrganizations(api);
  const [found, setFound] = useState<{ q: string; organization: string; customers: Customer[]; next: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0); // the latest read: an earlier search answering late is dropped

  useEffect(() => {
    // Back, Forward or the navigation's link changed the words: the box shows them
    if (q !== asked.current) {
      asked.current = q;
      setWords(q);
    }
  }, [q]);
  useEffect(() => {
    const wanted = words.trim();
    if (wanted === asked.current) return;
    const timer = window.setTimeout(() => {
      asked.current = wanted;
      searchFor(wanted, organization);
    }, PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [words]);

  const load = async (cursor: string | null) => {
    const mine = ++latest.current;
    setBusy(true);
    setError(null);
    try {
      const page = await api.get("/customers", {
        query: { q: q || undefined, organization: organization || undefined, limit: PAGE, cursor: cursor ?? undefined },
      });
      if (mine !== latest.current) return;
      setFound((shown) => ({ q, organization, customers: cursor && shown ? [...shown.customers, ...page.items] : page.items,
        next: page.next_cursor }));
    } catch (problem) {
      if (mine === latest.current) setError(problem);
    } finally {
      if (mine === latest.current) setBusy(false);
    }
  };
  useEffect(() => {
    void load(null);
    return () => {
      latest.current += 1; // other words, or the page left: what is still on its way is not shown
    };
  }, [q, organization]);

  return (
    <section aria-labelledby="customers-title" data-testid="customer-list">
      <h1 id="customers-title">Customers</h1>
      <p class="hint">Everyone with a ticket you may open, A–Z by address.</p>
      <CustomerSearch words={words} onInput={setWords} onSubmit={() => {
        asked.current = words.trim(); // Enter: at once, no pause
        searchFor(words, organization);
      }}>
        <OrganizationFilter organizations={organizations} value={organization}
          onChange={(id) => searchFor(asked.current, id)} />
      </CustomerSearch>
      <Alert error={error} />
      {found === null ? (error ? null : <p aria-live="polite">Loading…</p>) : found.customers.length === 0 ? (
        <NoCustomers q={found.q} organization={found.organization ? organizationLabel(organizations, found.organization) : ""} />
      ) : (
        <CustomerTable q={found.q} customers={found.customers} organizations={organizations} />
      )}
      {found?.next ? (
        <button type="button" disabled={busy} data-testid="customers-more" onClick={() => void load(found.next)}>Show more</button>
      ) : null}
    </section>
  );
}

function CustomerSearch({ words, onInput, onSubmit, children }: {
  words: string; onInput: (words: string) => void; onSubmit: () => void; children?: ComponentChildren;
}) {
  return (
    <form class="filters" role="search" aria-label="Search customers" onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      <label>
        Search{" "}
        <input type="search" name="q" data-testid="customer-search" value={words} maxLength={512} size={30}
          aria-describedby="customer-search-hint" onInput={(e) => onInput(e.currentTarget.value)} />
      </label>{" "}
      <span class="hint" id="customer-search-hint">Name or address; the start of a word is enough.</span>{" "}
      {children}
    </form>
  );
}

/** No customer at all, or none the words (or the organisation) match. */
function NoCustomers({ q, organization }: { q: string; organization: string }) {
  return q || organization ? (
    <p class="hint" data-testid="customers-no-match">
      {q ? `No customer matches “${q}”` : "No customer"}{organization ? ` at ${organization}` : ""}.
    </p>
  ) : (
    <p class="hint" data-testid="customers-none">No customers yet: a customer shows here once they have a ticket you may open.</p>
  );
}

function CustomerTable({ q, customers, organizations }: { q: string; customers: Customer[]; organizations: Organization[] }) {
  return (
    <table class="cards" data-testid="customers">
      <caption class="sr-only">{q ? `Customers matching “${q}”` : "Customers"}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Address</th>
          <th scope="col">Organization</th>
          <th scope="col">Tickets</th>
          <th scope="col">Unsolved</th>
          <th scope="col">Latest ticket</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {customers.map((c) => <CustomerRow key={c.key} customer={c} organizations={organizations} />)}
      </tbody>
    </table>
  );
}

function CustomerRow({ customer: c, organizations }: { customer: Customer; organizations: Organization[] }) {
  const latest = c.latest_ticket;
  return (
    <tr data-testid="customer-row" data-customer-key={c.key}>
      <th scope="row"><a href={customerHref(c.key)} data-testid="customer-name">{c.name ?? c.email ?? c.key}</a></th>
      <td>{c.email ?? <span class="hint">—</span>}</td>
      {/* none: an empty cell, left out of the card on a phone */}
      <td data-label="Organization">{c.organization_id ? organizationLabel(organizations, c.organization_id) : null}</td>
      <td data-label="Tickets" data-testid="customer-ticket-total">{c.tickets}</td>
      <td data-label="Unsolved" data-testid="customer-unsolved">{c.unsolved}</td>
      <td data-label="Latest">
        <a href={`#/t/${latest.id}`} data-testid="customer-latest">{latest.number} · {latest.subject}</a>{" "}
        <Badge kind={latest.status}>{statusText(latest.status)}</Badge>
      </td>
      <td data-label="Updated">{relative(latest.updated_at)}</td>
    </tr>
  );
}
