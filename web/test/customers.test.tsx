// The Customers list: everyone with a ticket, A–Z, each linking to their page, with their organisation by name, the
// counts and the latest ticket; the search box narrows it after a pause in typing and keeps the words in the
// address (`#/customers?q=…`); "Show more" reads on by the cursor; what it says when there is nothing to list.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Customer } from "../src/api/types";
import { customerOfRoute, customerOrganizationOfRoute, customerSearchOfRoute, customersHref, PAGE } from "../src/console/customer";
import { CustomerList } from "../src/console/customers";
import { useHashRoute } from "../src/shared/route";
import { json, shown } from "./helpers";

const at = new Date(Date.now() - 3 * 3_600_000).toISOString(); // three hours ago

function customer(n: number, name: string | null, email: string, organization: string | null = null): Customer {
  return {
    key: `email:${email}`, name, email, organization_id: organization, tickets: n + 1, unsolved: n % 2,
    latest_ticket: { id: `t${n}`, number: `HD-${n}`, subject: `Question ${n}`, status: "open", updated_at: at },
  };
}

const JANA = customer(7, "Jana Müller", "jana@example.com", "org-1");
const PEOPLE = [customer(1, "Anna Berg", "anna@example.com"), JANA, customer(2, null, "lee@example.org", "org-gone")];

/** The API's `GET /customers` over `people` (A–Z by key, `q` matching words of the name or address, the last one a
 * beginning), paged by an offset cursor; the organisations for their names. */
function server(people: Customer[]) {
  const asked: URLSearchParams[] = [];
  const sorted = [...people].sort((a, b) => a.key.localeCompare(b.key));
  const fetch = (async (url: string) => {
    const address = new URL(url);
    if (address.pathname === "/customers") {
      asked.push(address.searchParams);
      const words = (address.searchParams.get("q") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      const organization = address.searchParams.get("organization");
      const matching = sorted.filter((c) => {
        const own = `${c.name ?? ""} ${c.email ?? ""}`.toLowerCase().split(/[\s@.]+/);
        return words.every((w) => own.some((o) => o.startsWith(w))) && (!organization || c.organization_id === organization);
      });
      const from = Number(address.searchParams.get("cursor") ?? 0);
      const limit = Number(address.searchParams.get("limit"));
      const next = from + limit < matching.length ? String(from + limit) : null;
      return json({ items: matching.slice(from, from + limit), next_cursor: next });
    }
    if (address.pathname === "/organizations") return json([{ id: "org-1", name: "Müller GmbH", domains: [], version: 1 }]);
    return json([]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked };
}

/** The list where the console shows it: following the address, as main.tsx passes the route. */
function Routed({ api }: { api: ApiClient }) {
  return <CustomerList api={api} route={useHashRoute()} />;
}

function mount(api: ApiClient, hash = "#/customers"): HTMLElement {
  history.replaceState(null, "", hash);
  const host = document.body.appendChild(document.createElement("div"));
  render(<Routed api={api} />, host);
  return host;
}

const names = (host: HTMLElement) => [...host.querySelectorAll("[data-testid=customer-name]")].map((a) => a.textContent);

function type(host: HTMLElement, words: string): void {
  const box = host.querySelector<HTMLInputElement>("[data-testid=customer-search]");
  if (!box) throw new Error("no search box");
  box.value = words;
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

afterEach(() => {
  for (const host of document.body.children) render(null, host);
  document.body.innerHTML = "";
  history.replaceState(null, "", "#"); // the window is shared with the other test files (isolate: false)
});

describe("the Customers list", () => {
  it("lists everyone A–Z with their organisation, counts and latest ticket, each linking to their page", async () => {
    const { api, asked } = server(PEOPLE);
    const host = mount(api);
    await shown(host, "[data-testid=customers]");
    expect(names(host)).toEqual(["Anna Berg", "Jana Müller", "lee@example.org"]); // no name: the address
    expect(asked[0]?.get("q")).toBeNull(); // nothing typed: everyone
    expect(asked[0]?.get("limit")).toBe(String(PAGE));

    const jana = host.querySelector<HTMLTableRowElement>("[data-customer-key='email:jana@example.com']");
    expect(jana?.querySelector("[data-testid=customer-name]")?.getAttribute("href")).toBe("#/customers/email%3Ajana%40example.com");
    expect(customerOfRoute((jana?.querySelector("[data-testid=customer-name]")?.getAttribute("href") ?? "").slice(1)))
      .toBe("email:jana@example.com"); // the customer page's route reads the key back
    await expect.poll(() => [...(jana?.cells ?? [])].map((c) => c.textContent))
      .toEqual(["Jana Müller", "jana@example.com", "Müller GmbH", "8", "1", "HD-7 · Question 7 open", "3 h ago"]);
    expect(jana?.querySelector("[data-testid=customer-latest]")?.getAttribute("href")).toBe("#/t/t7");
    // an organisation deleted since, as the queue's filter names it; no organisation: an empty cell (no line on a card)
    const lee = host.querySelector<HTMLTableRowElement>("[data-customer-key='email:lee@example.org']");
    expect(lee?.cells[2]?.textContent).toBe("deleted organization");
    expect(host.querySelector<HTMLTableRowElement>("[data-customer-key='email:anna@example.com']")?.cells[2]?.textContent).toBe("");
    expect(host.querySelector("table.cards")).not.toBeNull(); // a stack of cards on a phone
    expect(host.querySelector("[data-testid=customers-more]")).toBeNull();
  });

  it("searches what is typed after a pause, and keeps the words in the address", async () => {
    const { api, asked } = server(PEOPLE);
    const host = mount(api);
    await shown(host, "[data-testid=customers]");
    type(host, "ja");
    type(host, "jana mü"); // one request for the words typed in one go
    await expect.poll(() => names(host)).toEqual(["Jana Müller"]);
    expect(asked.map((a) => a.get("q"))).toEqual([null, "jana mü"]);
    expect(window.location.hash).toBe("#/customers?q=jana+m%C3%BC");
    expect(host.querySelector("caption")?.textContent).toBe("Customers matching “jana mü”");

    type(host, "nobody");
    expect((await shown(host, "[data-testid=customers-no-match]")).textContent).toBe("No customer matches “nobody”.");
    type(host, "");
    await expect.poll(() => names(host)).toHaveLength(3);
    expect(window.location.hash).toBe("#/customers");
  });

  it("opens with the address's words, and follows the address when it changes (Back, the navigation's link)", async () => {
    const { api, asked } = server(PEOPLE);
    const host = mount(api, "#/customers?q=anna");
    await expect.poll(() => names(host)).toEqual(["Anna Berg"]);
    expect(asked[0]?.get("q")).toBe("anna");
    expect(host.querySelector<HTMLInputElement>("[data-testid=customer-search]")?.value).toBe("anna");

    window.location.hash = "#/customers";
    await expect.poll(() => names(host)).toHaveLength(3);
    expect(host.querySelector<HTMLInputElement>("[data-testid=customer-search]")?.value).toBe("");
  });

  it("lists the people of one organisation, chosen in its filter, the words kept beside it in the address", async () => {
    const { api, asked } = server(PEOPLE);
    const host = mount(api);
    await shown(host, "[data-testid=customers]");
    const filter = await shown<HTMLSelectElement>(host, "[data-testid=filter-organization]");
    filter.value = "org-1";
    filter.dispatchEvent(new Event("change", { bubbles: true }));
    await expect.poll(() => names(host)).toEqual(["Jana Müller"]);
    expect(window.location.hash).toBe("#/customers?organization=org-1");
    expect(asked.at(-1)?.get("organization")).toBe("org-1");

    type(host, "anna");
    expect((await shown(host, "[data-testid=customers-no-match]")).textContent).toBe("No customer matches “anna” at Müller GmbH.");
    expect(window.location.hash).toBe("#/customers?q=anna&organization=org-1");
  });

  it("reads on by the cursor with Show more, below the customers already shown", async () => {
    const many = Array.from({ length: PAGE + 2 }, (_, i) => customer(i, `Person ${String(i).padStart(2, "0")}`, `p${String(i).padStart(2, "0")}@example.com`));
    const { api, asked } = server(many);
    const host = mount(api);
    await shown(host, "[data-testid=customers]");
    expect(names(host)).toHaveLength(PAGE);
    (await shown<HTMLButtonElement>(host, "[data-testid=customers-more]")).click();
    await expect.poll(() => names(host)).toHaveLength(PAGE + 2);
    expect(asked[1]?.get("cursor")).toBe(String(PAGE));
    expect(names(host).slice(PAGE - 1)).toEqual(["Person 24", "Person 25", "Person 26"]);
    expect(host.querySelector("[data-testid=customers-more]")).toBeNull(); // nothing more to read
  });

  it("says when there is nobody yet", async () => {
    const { api } = server([]);
    const host = mount(api);
    expect((await shown(host, "[data-testid=customers-none]")).textContent).toContain("No customers yet");
    expect(host.querySelector("[data-testid=customers-no-match]")).toBeNull();
  });

  it("shows the API's error as the other pages do", async () => {
    const fetch = (async () => json({ error: { code: "forbidden", message: "agents and admins only", details: null } }, 403)) as
      unknown as typeof globalThis.fetch;
    const host = mount(new ApiClient({ baseUrl: "https://api.example", fetch }));
    expect((await shown(host, "[role=alert]")).textContent).toBe("agents and admins only (403 forbidden)");
    expect(host.textContent).not.toContain("Loading");
  });
});

describe("the Customers list's address", () => {
  it("round-trips the words and leaves a customer's page to its own route", () => {
    expect(customersHref()).toBe("#/customers");
    expect(customersHref("  ")).toBe("#/customers");
    expect(customersHref("jana mü")).toBe("#/customers?q=jana+m%C3%BC");
    expect(customerSearchOfRoute(customersHref("jana mü").slice(1))).toBe("jana mü");
    expect(customerSearchOfRoute(customersHref("a&b=c #1").slice(1))).toBe("a&b=c #1");
    expect(customerSearchOfRoute("/customers")).toBe("");
    expect(customerSearchOfRoute("/customers/")).toBe("");
    expect(customerSearchOfRoute("/customers/email%3Ajana%40example.com")).toBeNull(); // a customer's page
    expect(customerOfRoute("/customers?q=jana")).toBeNull();
    expect(customerOfRoute("/customers")).toBeNull();
    expect(customerSearchOfRoute("/customersx")).toBeNull();
    expect(customerSearchOfRoute("/")).toBeNull();
    expect(customersHref("", "org-1")).toBe("#/customers?organization=org-1");
    expect(customerOrganizationOfRoute(customersHref("jana", "org-1").slice(1))).toBe("org-1");
    expect(customerSearchOfRoute(customersHref("jana", "org-1").slice(1))).toBe("jana");
    expect(customerOrganizationOfRoute("/customers?q=jana")).toBe("");
    expect(customerOrganizationOfRoute("/customers/email%3Ajana%40example.com")).toBe("");
  });
});
