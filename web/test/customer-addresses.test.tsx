// A customer's other addresses on their page: the linked ones listed, one added (sent again while the API says more
// tickets are left to move) and one taken back, the tickets read again after each; an agent limited to their groups
// reads the list without the buttons; the page of a linked address opens its customer's; the history's line.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { AddressesLinked } from "../src/api/types";
import { CustomerPage, customerHref, ownAddress } from "../src/console/customer";
import { requesterLine } from "../src/console/ticket";
import { json, shown } from "./helpers";

const KEY = "email:dana@example.com";
const WORK = "dana.k@corp.example";

/** The API holding Dana's addresses: a link moves two tickets a request (`more` until all of `waiting` moved);
 * `refusal`: what it answers a link instead. */
function server(linked: string[], waiting = 3, refusal?: () => Response) {
  const sent: { method: string; path: string; body: unknown }[] = [];
  let ticketReads = 0;
  let left = waiting;
  const answer = (moved: number): AddressesLinked => ({
    customer: { tenant_id: "acme", id: KEY, addresses: [...linked], version: 1, updated_at: null, updated_by: null },
    moved, more: left > 0,
  });
  const fetch = (async (url: string, init?: RequestInit) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const method = init?.method ?? "GET";
    if (path.startsWith(`/customers/${KEY}/addresses`) || path === `/customers/email:${WORK}/addresses`) {
      sent.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (path === `/customers/email:${WORK}/addresses`) return json({ tenant_id: "acme", id: KEY, addresses: [WORK], version: 1 });
      if (method === "POST" && refusal) return refusal();
      if (method === "POST") {
        const { email } = JSON.parse(String(init?.body)) as { email: string };
        if (!linked.includes(email)) linked.push(email);
      }
      if (method === "DELETE") linked.splice(linked.indexOf(path.split("/").pop() ?? ""), 1);
      if (method === "GET") return json({ tenant_id: "acme", id: KEY, addresses: linked, version: 1 });
      const moved = Math.min(2, left);
      left -= moved;
      return json(answer(moved));
    }
    if (path === "/tickets") {
      ticketReads += 1;
      return json({ items: [], next_cursor: null });
    }
    if (path === "/users") return json({ items: [], next_cursor: null });
    return json({ tenant_id: "acme", id: KEY, notes: "", version: 0 });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), sent, reads: () => ticketReads };
}

function mount(api: ApiClient, key = KEY, mayLink = true): HTMLElement {
  const host = document.body.appendChild(document.createElement("div"));
  render(<CustomerPage api={api} requesterKey={key} mayLink={mayLink} />, host);
  return host;
}

const rendered = () => new Promise((done) => setTimeout(done, 0));

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

describe("a customer's other addresses", () => {
  it("adds one, sending it again until every ticket moved, and reads the tickets again", async () => {
    const { api, sent, reads } = server([]);
    const host = mount(api);
    await shown(host, "[data-testid=customer-addresses-none]");
    const input = await shown<HTMLInputElement>(host, "[data-testid=customer-address-input]");
    input.value = ` ${WORK} `;
    input.dispatchEvent(new Event("input"));
    await rendered();
    const before = reads();
    host.querySelector<HTMLButtonElement>("[data-testid=customer-address-add]")?.click();

    const notice = await shown(host, "[data-testid=customer-addresses-notice]");
    expect(notice.textContent).toBe(`${WORK} is theirs now: 3 tickets moved to this customer.`);
    expect(sent.filter((s) => s.method === "POST").map((s) => s.body)).toEqual([{ email: WORK }, { email: WORK }]);
    expect([...host.querySelectorAll("[data-testid=customer-address]")].map((li) => li.textContent)).toEqual([`${WORK} Remove`]);
    await expect.poll(reads).toBeGreaterThan(before);
    expect(input.value).toBe("");
  });

  it("takes one back", async () => {
    const { api, sent } = server([WORK], 1);
    const host = mount(api);
    (await shown<HTMLButtonElement>(host, "[data-testid=customer-address-remove]")).click();
    const notice = await shown(host, "[data-testid=customer-addresses-notice]");
    expect(notice.textContent).toBe(`${WORK} is a customer of its own again: 1 ticket moved back to it.`);
    expect(sent.filter((s) => s.method === "DELETE").map((s) => s.path)).toEqual([`/customers/${KEY}/addresses/${WORK}`]);
    await shown(host, "[data-testid=customer-addresses-none]");
  });

  it("says why an address cannot be linked", async () => {
    const { api } = server([], 0, () => json({ error: { code: "address_linked_elsewhere",
      message: "that address is linked to another customer", details: { customer: "email:erin@example.com" } } }, 409));
    const host = mount(api);
    const input = await shown<HTMLInputElement>(host, "[data-testid=customer-address-input]");
    input.value = WORK;
    input.dispatchEvent(new Event("input"));
    await rendered();
    host.querySelector<HTMLButtonElement>("[data-testid=customer-address-add]")?.click();
    await expect.poll(() => host.querySelector("[data-testid=customer-addresses] [role=alert]")?.textContent ?? "")
      .toContain("that address is linked to another customer");
    expect(host.querySelector("[data-testid=customer-addresses-notice]")).toBeNull();
  });

  it("shows an agent limited to their groups the list without the buttons", async () => {
    const { api } = server([WORK]);
    const host = mount(api, KEY, false);
    await shown(host, "[data-testid=customer-address]");
    expect(host.querySelector("[data-testid=customer-address-remove]")).toBeNull();
    expect(host.querySelector("[data-testid=customer-address-input]")).toBeNull();
    expect(host.querySelector("[data-testid=customer-addresses]")?.textContent).toContain("Admins and agents who see every ticket");
  });

  it("is not offered for a customer known by a chat id", async () => {
    const { api, sent } = server([]);
    const host = mount(api, "chat:s1");
    await rendered();
    expect(host.querySelector("[data-testid=customer-addresses]")).toBeNull();
    expect(sent).toEqual([]);
  });

  it("opens the customer's page for an address linked to them", async () => {
    const { api } = server([WORK]);
    mount(api, `email:${WORK}`);
    await expect.poll(() => window.location.hash).toBe(customerHref(KEY));
  });
});

describe("the history's line of a requester change", () => {
  const work = { id: `email:${WORK}`, email: WORK };
  it("names the address and the customer it was linked to or taken from", () => {
    expect(requesterLine({ from: work, to: { ...work, linked_to: KEY }, linked_to: KEY, linked_from: null }))
      .toBe(`${WORK} linked to the customer dana@example.com`);
    expect(requesterLine({ from: { ...work, linked_to: KEY }, to: work, linked_to: null, linked_from: KEY }))
      .toBe(`${WORK} no longer linked to dana@example.com`);
    expect(requesterLine({ from: { id: "chat:s1", email: null }, to: work })).toBe(`requester: chat:s1 → ${WORK}`);
  });
});

describe("the customer's own address", () => {
  it("is as their ticket writes it, or their key's for a ticket from a linked address", () => {
    expect(ownAddress(KEY, "Dana@Example.com")).toBe("Dana@Example.com");
    expect(ownAddress(KEY, WORK)).toBe("dana@example.com");
    expect(ownAddress("chat:s1", null)).toBeNull();
  });
});
