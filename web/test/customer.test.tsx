// A customer's page: their tickets newest first a page at a time (the API's cursor), who they are as their newest
// ticket names them, their organisation, a count, "New ticket for …" filled in, and its route.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { CustomerPage, customerHref, customerOfRoute, newTicketHref, PAGE, ticketCount } from "../src/console/customer";
import { newTicketInitial } from "../src/console/new-ticket";
import { json, shown } from "./helpers";

const KEY = "email:jana.mueller@example.com";
const at = "2026-03-03T10:00:00Z";

function ticket(n: number, status = "open"): Ticket {
  return {
    id: `t${n}`, number: `T-${String(n).padStart(6, "0")}`, subject: `Question ${n}`, status, priority: "normal",
    requester: { id: KEY, email: "jana.mueller@example.com", name: "Jana Müller" }, requester_key: KEY,
    organization_id: "org-1", group: null, assignee_id: null, updated_at: at, created_at: at, sla: [],
  } as unknown as Ticket;
}

/** The tickets API holding `count` tickets of the customer, paged as the server pages them. */
function server(count: number) {
  const asked: URLSearchParams[] = [];
  const all = Array.from({ length: count }, (_, i) => ticket(count - i, i % 3 === 0 ? "resolved" : "open"));
  const fetch = (async (url: string) => {
    const address = new URL(url);
    if (address.pathname === "/tickets") {
      asked.push(address.searchParams);
      const from = Number(address.searchParams.get("cursor") ?? 0);
      const limit = Number(address.searchParams.get("limit"));
      const next = from + limit < all.length ? String(from + limit) : null;
      return json({ items: all.slice(from, from + limit), next_cursor: next });
    }
    if (address.pathname === "/organizations/org-1") return json({ id: "org-1", name: "Müller GmbH", domains: [], version: 1 }, 200, '"1"');
    if (address.pathname === "/users") return json({ items: [], next_cursor: null });
    return json([]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a customer's page", () => {
  it("lists their tickets a page at a time and says who they are", async () => {
    const { api, asked } = server(PAGE + 3);
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);

    await shown(host, "[data-testid=customer-tickets]");
    expect(host.querySelector("h1")?.textContent).toBe("Jana Müller");
    expect(asked[0]?.get("requester")).toBe(KEY);
    expect(host.querySelectorAll("[data-testid=ticket-row]")).toHaveLength(PAGE);
    // every row is hers: no Requester column
    expect([...host.querySelectorAll("th")].map((th) => th.textContent)).not.toContain("Requester");
    expect(host.querySelector("[data-testid=customer-ticket-count]")?.textContent).toBe(`${PAGE}+ tickets, 16+ unsolved`);
    await shown(host, "[data-testid=ticket-organization]");
    await expect.poll(() => host.querySelector("[data-testid=ticket-organization]")?.textContent).toBe("Müller GmbH");
    expect(host.querySelector("[data-testid=customer-details]")?.textContent)
      .toBe(`jana.mueller@example.com · Müller GmbH · ${PAGE}+ tickets, 16+ unsolved`);
    expect(host.querySelector<HTMLAnchorElement>("[data-testid=customer-new-ticket]")?.getAttribute("href"))
      .toBe("#/new?email=jana.mueller%40example.com&name=Jana+M%C3%BCller");

    (await shown<HTMLButtonElement>(host, "[data-testid=customer-more]")).click();
    await expect.poll(() => host.querySelectorAll("[data-testid=ticket-row]").length).toBe(PAGE + 3);
    expect(asked[1]?.get("cursor")).toBe(String(PAGE));
    expect(host.querySelector("[data-testid=customer-more]")).toBeNull(); // nothing more to read
    expect(host.querySelector("[data-testid=customer-ticket-count]")?.textContent).toBe(`${PAGE + 3} tickets, 18 unsolved`);
  });

  it("says so when the agent may open none of their tickets", async () => {
    const { api } = server(0);
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    expect((await shown(host, "[data-testid=customer-no-tickets]")).textContent).toContain("No tickets");
    expect(host.querySelector("h1")?.textContent).toBe(KEY);
  });
});

describe("the customer's addresses in the console", () => {
  it("round-trips a requester key through the route, and fills a new ticket in", () => {
    expect(customerHref(KEY)).toBe("#/customers/email%3Ajana.mueller%40example.com");
    expect(customerOfRoute(customerHref(KEY).slice(1))).toBe(KEY);
    expect(customerOfRoute("/customers/%E0%A4%A")).toBeNull(); // not a readable key
    expect(customerOfRoute("/t/abc")).toBeNull();
    const href = newTicketHref(ticket(1).requester);
    expect(newTicketInitial((href ?? "").slice(1))).toEqual({ email: "jana.mueller@example.com", name: "Jana Müller" });
    expect(newTicketInitial("/new")).toEqual({ email: "", name: "" });
    expect(newTicketHref({ id: "chat:abc" } as Ticket["requester"])).toBeNull(); // no address to write to
    expect(ticketCount([{ status: "open" }], false)).toBe("1 ticket, 1 unsolved");
  });
});
