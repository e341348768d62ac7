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

/** The tickets API holding `count` tickets of the customer, paged as the server pages them, and the team's notes on
 * her (a save with another version than the stored one is a 409, as the API answers). */
function server(count: number) {
  const asked: URLSearchParams[] = [];
  const notes = { text: "Prefers a call.", version: 2 };
  const saves: { ifMatch: string | null; body: unknown }[] = [];
  const all = Array.from({ length: count }, (_, i) => ticket(count - i, i % 3 === 0 ? "resolved" : "open"));
  const fetch = (async (url: string, init?: RequestInit) => {
    const address = new URL(url);
    if (address.pathname === `/customers/${encodeURIComponent(KEY)}/notes`) {
      if (init?.method === "PUT") {
        const ifMatch = new Headers(init.headers).get("if-match");
        saves.push({ ifMatch, body: JSON.parse(String(init.body)) });
        if (ifMatch !== `"${notes.version}"`) {
          return json({ error: { code: "concurrent_update", message: "the notes changed since you read them", details: {} } }, 409);
        }
        notes.text = (JSON.parse(String(init.body)) as { notes: string }).notes;
        notes.version += 1;
      }
      return json({ tenant_id: "acme", id: KEY, notes: notes.text, version: notes.version }, 200, `"${notes.version}"`);
    }
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
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked, notes, saves };
}

/** Preact renders a state change on its next tick: the form's handler then holds what was typed. */
const rendered = () => new Promise((done) => setTimeout(done, 0));

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
      .toBe(`jana.mueller@example.com · Müller GmbH (everyone there) · ${PAGE}+ tickets, 16+ unsolved`);
    expect(host.querySelector("[data-testid=customer-organization-people]")?.getAttribute("href"))
      .toBe("#/customers?organization=org-1"); // the people of her organisation
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

describe("the team's notes on a customer", () => {
  it("shows them, saves an edit with the version read, and says so when a teammate saved meanwhile", async () => {
    const { api, notes, saves } = server(1);
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    expect((await shown(host, "[data-testid=customer-notes-text]")).textContent).toBe("Prefers a call.");
    const edit = () => [...host.querySelectorAll<HTMLButtonElement>("[data-testid=customer-notes] button")]
      .find((b) => b.textContent === "Edit notes");
    edit()?.click();
    const box = await shown<HTMLTextAreaElement>(host, "textarea[name=customer-notes]");
    box.value = "Prefers a call before 10:00.";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await rendered();
    host.querySelector<HTMLFormElement>("[data-testid=customer-notes] form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await expect.poll(() => host.querySelector("[data-testid=customer-notes-text]")?.textContent).toBe("Prefers a call before 10:00.");
    expect(saves[0]).toEqual({ ifMatch: '"2"', body: { notes: "Prefers a call before 10:00." } });

    notes.version = 7; // a teammate saved meanwhile
    edit()?.click();
    const again = await shown<HTMLTextAreaElement>(host, "textarea[name=customer-notes]");
    again.value = "Mine";
    again.dispatchEvent(new Event("input", { bubbles: true }));
    await rendered();
    host.querySelector<HTMLFormElement>("[data-testid=customer-notes] form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    expect((await shown(host, "[data-testid=customer-notes] [role=alert]")).textContent).toContain("A teammate changed these notes");
    expect(again.value).toBe("Mine"); // what was typed stays
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
