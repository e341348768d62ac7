// Automatic assignment in the console: a group's "assign in turn" switch (create form, each group, its badge),
// being away (My settings, an admin on the people list) and the history line of an automatic assignment.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketEvent } from "../src/api/types";
import { assigneeChoices } from "../src/console/directory";
import { timeZoneChoices } from "../src/console/my-profile";
import { TeamScreen } from "../src/console/team";
import { parseCapacity } from "../src/console/team-groups";
import { assignedAutomatically, describeEvent, TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

beforeEach(() => {
  window.location.hash = "";
});
afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

interface Write { method: string; path: string; body: Record<string, unknown>; ifMatch: string | null }

/** A directory of Ada (admin), Alice (agent, away) and Bruno (agent) with the groups given; records the writes. */
function teamApi(groups: Record<string, unknown>[]) {
  const writes: Write[] = [];
  const person = (id: string, name: string, role: string, extra: Record<string, unknown> = {}) =>
    ({ id, name, email: `${id}@acme.example`, role, groups: [], active: true, tenant_id: "acme", created_at: at, updated_at: at, version: 2, ...extra });
  const users = [person("ada", "Ada", "admin"), person("alice", "Alice", "agent", { away: true }), person("bruno", "Bruno", "agent")];
  const fetch = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const method = String(init.method ?? "GET");
    if (method !== "GET") {
      writes.push({ method, path: u.pathname, body: JSON.parse(String(init.body)) as Record<string, unknown>,
        ifMatch: new Headers(init.headers).get("if-match") });
      return json(u.pathname.startsWith("/groups") ? groups[0] : users[0]);
    }
    // Every list route answers a list: an object where a list belongs makes preact re-render forever.
    if (u.pathname === "/organizations") return json([]);
    if (u.pathname === "/groups") return json(groups);
    return json({ items: users.filter((x) => x.role === u.searchParams.get("role")), next_cursor: null });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), writes };
}

const group = (id: string, name: string, members: string[], auto_assign: boolean) =>
  ({ id, name, description: "", members, auto_assign, tenant_id: "acme", created_at: at, updated_at: at, version: 5 });

/** Ticks a box or types into an input, and lets Preact render it (its updates are batched). */
async function tick(box: HTMLInputElement) {
  box.click();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
async function enter(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const notice = (host: HTMLElement) => host.querySelector("[data-testid=team-notice]")!.textContent;

describe("a group's automatic assignment on the Team screen", () => {
  it("shows which groups assign automatically, to agents too, and who of their members is away", async () => {
    const { api } = teamApi([group("billing", "Billing", ["alice", "bruno"], true), group("orders", "Orders", ["bruno"], false)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    await shown(host, "[data-group-id=orders]");
    const heading = (id: string) => host.querySelector(`[data-group-id=${id}] h3`)!;
    expect(heading("billing").querySelector(".badge-auto-assign")?.textContent).toBe("Auto-assign");
    expect(heading("orders").querySelector(".badge-auto-assign")).toBeNull();
    const members = [...host.querySelectorAll("[data-group-id=billing] [data-testid=group-member]")].map((m) => m.textContent);
    expect(members).toEqual(["Alice <alice@acme.example> away", "Bruno <bruno@acme.example>"]);
    expect(host.querySelector("[data-testid=auto-assign-nobody]")).toBeNull(); // Bruno takes them
    expect(host.querySelector("input[name^=group-auto-assign]")).toBeNull(); // read-only
  });

  it("says when nobody of a group that assigns automatically takes tickets", async () => {
    const { api } = teamApi([group("billing", "Billing", ["alice"], true)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    const hint = await shown(host, "[data-testid=auto-assign-nobody]");
    expect(hint.textContent).toContain("new tickets wait in the queue");
  });

  it("creates a group that assigns automatically: the form posts auto_assign", async () => {
    const { api, writes } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const form = await shown<HTMLFormElement>(host, "[data-testid=group-form]");
    await enter(form.querySelector<HTMLInputElement>("[name=group-name]")!, "Billing");
    await tick(form.querySelector<HTMLInputElement>("[name=group-member-bruno]")!);
    const auto = form.querySelector<HTMLInputElement>("[name=group-auto-assign]")!;
    expect(auto.closest("label")!.textContent).toContain("Assign new tickets automatically");
    expect(auto.checked).toBe(false);
    expect(form.querySelector("[name=group-assignment]")).toBeNull(); // the method only once it assigns
    await tick(auto);
    const method = form.querySelector<HTMLSelectElement>("[name=group-assignment]")!;
    expect([...method.options].map((o) => o.textContent)).toEqual(["to the members in turn", "to whoever has the fewest open tickets"]);
    method.value = "least_busy";
    method.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(notice(host)).toBe("Group Billing created"));
    expect(writes).toEqual([{ method: "POST", path: "/groups", ifMatch: null,
      body: { name: "Billing", description: "", members: ["bruno"], auto_assign: true, assignment: "least_busy" } }]);
    expect(form.querySelector<HTMLInputElement>("[name=group-auto-assign]")!.checked).toBe(false); // ready for the next
  });

  it("turns a group's automatic assignment off and on with the version of the group shown", async () => {
    const { api, writes } = teamApi([group("billing", "Billing", ["bruno"], true), group("orders", "Orders", ["bruno"], false)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const billing = await shown<HTMLInputElement>(host, "[name=group-auto-assign-billing]");
    expect(billing.checked).toBe(true);
    expect(host.querySelector<HTMLInputElement>("[name=group-auto-assign-orders]")!.checked).toBe(false);
    await tick(billing);
    await vi.waitFor(() => expect(notice(host)).toBe("Billing no longer assigns tickets automatically"));
    await tick(host.querySelector<HTMLInputElement>("[name=group-auto-assign-orders]")!);
    await vi.waitFor(() => expect(notice(host)).toBe("Orders assigns new tickets automatically"));
    expect(writes).toEqual([
      { method: "PATCH", path: "/groups/billing", body: { auto_assign: false }, ifMatch: '"5"' },
      { method: "PATCH", path: "/groups/orders", body: { auto_assign: true }, ifMatch: '"5"' },
    ]);
  });

  it("switches a group to the least busy member, and its badge says so", async () => {
    const { api, writes } = teamApi([{ ...group("billing", "Billing", ["bruno"], true), assignment: "least_busy" }]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const method = await shown<HTMLSelectElement>(host, "[name=group-assignment-billing]");
    expect(method.value).toBe("least_busy");
    expect(host.querySelector("[data-group-id=billing] .badge-auto-assign")!.textContent).toBe("Auto-assign: least busy");
    method.value = "round_robin";
    method.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(notice(host)).toBe("Billing assigns to the members in turn"));
    expect(writes).toEqual([{ method: "PATCH", path: "/groups/billing", body: { assignment: "round_robin" }, ifMatch: '"5"' }]);
  });
});

describe("a group's capacity on the Team screen", () => {
  const capped = (capacity: number, extra: Record<string, unknown> = {}) =>
    ({ ...group("billing", "Billing", ["bruno"], true), capacity, ...extra });
  /** Types into the capacity input and leaves it (what a number input's change event is). */
  async function setTo(input: HTMLInputElement, value: string) {
    await enter(input, value);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  it("the badge says how many open tickets each member gets at most, with either method", async () => {
    const { api } = teamApi([capped(5), { ...capped(3, { assignment: "least_busy" }), id: "orders", name: "Orders" },
      group("sales", "Sales", ["bruno"], true)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    await shown(host, "[data-group-id=sales]");
    const badge = (id: string) => host.querySelector(`[data-group-id=${id}] .badge-auto-assign`)!;
    expect(badge("billing").textContent).toBe("Auto-assign: max 5 each");
    expect(badge("billing").getAttribute("title")).toContain("at most 5 open tickets each");
    expect(badge("orders").textContent).toBe("Auto-assign: least busy, max 3 each");
    expect(badge("sales").textContent).toBe("Auto-assign"); // no limit
    expect(host.querySelector("input[name^=group-capacity]")).toBeNull(); // read-only for agents
  });

  it("an admin sets it beside the method, and a bad number is not sent", async () => {
    const { api, writes } = teamApi([group("billing", "Billing", ["bruno"], true), group("orders", "Orders", [], false)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const input = await shown<HTMLInputElement>(host, "[name=group-capacity-billing]");
    expect(input.closest("p")!.querySelector("[name=group-assignment-billing]")).not.toBeNull(); // beside the method
    expect(input.closest("label")!.textContent).toContain("At most");
    expect(input.closest("label")!.textContent).toContain("open tickets per member");
    expect(input.value).toBe(""); // no limit yet
    expect(host.querySelector("[name=group-capacity-orders]")).toBeNull(); // only where it assigns automatically

    await setTo(input, "0");
    expect(input.closest("label")!.querySelector("[role=alert]")!.textContent).toContain("1 to 1000");
    await setTo(input, "1001");
    await setTo(input, "2.5");
    expect(writes).toEqual([]);
    await setTo(input, "5");
    await vi.waitFor(() => expect(notice(host)).toBe("Billing gives each member at most 5 open tickets"));
    expect(input.closest("label")!.querySelector("[role=alert]")).toBeNull();
    expect(writes).toEqual([{ method: "PATCH", path: "/groups/billing", body: { capacity: 5 }, ifMatch: '"5"' }]);
  });

  it("an empty box clears it; leaving it as it was sends nothing", async () => {
    const { api, writes } = teamApi([capped(4)]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const input = await shown<HTMLInputElement>(host, "[name=group-capacity-billing]");
    expect(input.value).toBe("4");
    await setTo(input, "4");
    expect(writes).toEqual([]);
    await setTo(input, "");
    await vi.waitFor(() => expect(notice(host)).toBe("Billing gives its members tickets without a limit"));
    expect(writes).toEqual([{ method: "PATCH", path: "/groups/billing", body: { capacity: null }, ifMatch: '"5"' }]);
  });

  it("a new group that assigns automatically is created with its capacity", async () => {
    const { api, writes } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    const form = await shown<HTMLFormElement>(host, "[data-testid=group-form]");
    await enter(form.querySelector<HTMLInputElement>("[name=group-name]")!, "Billing");
    expect(form.querySelector("[name=group-capacity]")).toBeNull(); // only once it assigns
    await tick(form.querySelector<HTMLInputElement>("[name=group-auto-assign]")!);
    await setTo(form.querySelector<HTMLInputElement>("[name=group-capacity]")!, "10");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(notice(host)).toBe("Group Billing created"));
    expect(writes).toEqual([{ method: "POST", path: "/groups", ifMatch: null, body: {
      name: "Billing", description: "", members: [], auto_assign: true, assignment: "round_robin", capacity: 10 } }]);
  });

  it("reads what was typed: empty is no limit, only whole numbers 1 to 1000 count", () => {
    expect(["", " ", "1", "1000", "0", "1001", "2.5", "-3", "x"].map(parseCapacity))
      .toEqual([null, null, 1, 1000, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe("being away", () => {
  it("My settings: the away box saves PATCH /users/me {away}", async () => {
    const { api, writes } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    const form = await shown<HTMLFormElement>(host, "[data-testid=my-profile]");
    const away = form.querySelector<HTMLInputElement>("[name=my-away]")!;
    expect(away.closest("label")!.textContent).toContain("Away — take no new tickets from automatic assignment");
    expect(away.checked).toBe(false);
    await tick(away);
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(notice(host)).toBe("Your settings are saved"));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: "PATCH", path: "/users/me", body: { away: true, notify_by_mail: true } });
  });

  it("My settings: the time zone of mails, this browser's offered first; saved with the rest", async () => {
    const { api, writes } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    const form = await shown<HTMLFormElement>(host, "[data-testid=my-profile]");
    const zone = form.querySelector<HTMLSelectElement>("[name=my-time-zone]")!;
    expect(zone.value).toBe(""); // not set: UTC
    expect([...zone.options].map((o) => o.value)).toContain("Europe/Berlin");
    zone.value = "Europe/Berlin";
    zone.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(notice(host)).toBe("Your settings are saved"));
    expect(writes[0]).toMatchObject({ method: "PATCH", path: "/users/me", body: { time_zone: "Europe/Berlin" } });
  });

  it("offers a saved zone even where the browser lists it under another name", () => {
    expect(timeZoneChoices("Asia/Calcutta")[0]).toBe("Asia/Calcutta");
    expect(new Set(timeZoneChoices(null)).size).toBe(timeZoneChoices(null).length); // each once
  });

  it("My settings show an away agent as away", async () => {
    const { api } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="alice" />, host);
    await vi.waitFor(() => expect((host.querySelector<HTMLInputElement>("[name=my-away]"))?.checked).toBe(true));
  });

  it("People: a badge beside who is away; an admin sets and clears it with the version of the person shown", async () => {
    const { api, writes } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin me="ada" />, host);
    await shown(host, "[data-user-id=bruno] [data-testid=toggle-away]");
    const row = (id: string) => host.querySelector(`[data-testid=team-user][data-user-id=${id}]`)!;
    expect(row("alice").querySelector("td")!.textContent).toBe("Alice away");
    expect(row("bruno").querySelector(".badge-away")).toBeNull();
    const box = (id: string) => row(id).querySelector<HTMLInputElement>("[data-testid=toggle-away]")!;
    expect(box("alice").checked).toBe(true);
    expect(box("bruno").getAttribute("aria-label")).toBe("Bruno is away (no new tickets from automatic assignment)");
    await tick(box("bruno"));
    await vi.waitFor(() => expect(notice(host)).toBe("Bruno is away: no new tickets from automatic assignment"));
    await tick(box("alice"));
    await vi.waitFor(() => expect(notice(host)).toBe("Alice is back: takes tickets in turn again"));
    expect(writes).toEqual([
      { method: "PATCH", path: "/users/bruno", body: { away: true }, ifMatch: '"2"' },
      { method: "PATCH", path: "/users/alice", body: { away: false }, ifMatch: '"2"' },
    ]);
  });

  it("People, read by an agent: the badge, no box", async () => {
    const { api } = teamApi([]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TeamScreen api={api} admin={false} me="bruno" />, host);
    await shown(host, "[data-user-id=alice] .badge-away");
    expect(host.querySelector("[data-testid=toggle-away]")).toBeNull();
  });
});

describe("the assignee picker", () => {
  it("marks a member who is away, still offering them (a person may give them a ticket)", () => {
    const person = (id: string, name: string, away: boolean) =>
      ({ id, name, email: `${id}@acme.example`, role: "agent" as const, groups: [], active: true, away, tenant_id: "acme",
         created_at: at, updated_at: at, version: 1 });
    const choices = assigneeChoices([person("alice", "Alice", true), person("bruno", "Bruno", false)],
      [group("billing", "Billing", ["alice", "bruno"], true)], "billing", null);
    expect(choices.map((c) => c.label)).toEqual(["Alice <alice@acme.example> (away)", "Bruno <bruno@acme.example>"]);
  });
});

describe("an automatic assignment in the ticket's history", () => {
  const event = (actor: string, data: Record<string, unknown>, seq = 3) =>
    ({ seq, type: "assignee_changed", actor, at, internal: true, data }) as unknown as TicketEvent;

  it("reads as assigned automatically, in turn, to the person by name", () => {
    const automatic = event("system", { from: null, to: "ada", automatic: "round_robin" });
    expect(assignedAutomatically(automatic)).toBe(true);
    expect(describeEvent(automatic, (id) => (id === "ada" ? "Ada" : id))).toBe("Assigned to Ada automatically (in turn)");
    expect(describeEvent(automatic)).toBe("Assigned to ada automatically (in turn)"); // not in the directory: the id
    const byHand = event("system", { from: null, to: "ada" });
    expect(assignedAutomatically(byHand)).toBe(false);
    const byLoad = event("system", { from: null, to: "ada", automatic: "least_busy" });
    expect(describeEvent(byLoad, () => "Ada")).toBe("Assigned to Ada automatically (fewest open tickets)");
    expect(describeEvent(byHand, () => "Ada")).toBe("assignee: — → Ada");
  });

  it("on the ticket page names no actor for it, and the person for a hand-made one", async () => {
    const ticket = {
      id: "t1", number: "T-000001", subject: "Refund", description: "twice charged", status: "new", priority: "normal",
      channel: "api", requester: { id: "c1", email: "dana@example.com", name: null, email_verified: true }, requester_key: "email:dana@example.com",
      assignee_id: "ada", group: "billing", tags: [], custom_fields: {}, participants: [], links: [], version: 3,
      created_at: at, updated_at: at, first_response_at: null, resolved_at: null, closed_at: null, ai: { cited_article_ids: [] },
    };
    const events = [
      event("system", { from: null, to: "ada", automatic: "round_robin" }, 2),
      event("bruno", { from: "ada", to: "bruno" }, 3),
    ];
    const users = [
      { id: "ada", name: "Ada", email: "ada@acme.example", role: "agent", active: true, groups: ["billing"], tenant_id: "acme", created_at: at, updated_at: at },
      { id: "bruno", name: "Bruno", email: "bruno@acme.example", role: "agent", active: true, groups: ["billing"], tenant_id: "acme", created_at: at, updated_at: at },
    ];
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1") return json(ticket, 200, '"3"');
      if (path === "/tickets/t1/events") return json(events);
      return ticketPageSurroundings(path, users);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="bruno" />, host);
    await vi.waitFor(() => {
      const lines = [...host.querySelectorAll("[data-testid=events] li")]
        .map((li) => li.textContent!.slice(li.querySelector("time")!.textContent!.length).trim());
      expect(lines).toEqual(["Assigned to Ada automatically (in turn)", "Bruno assignee: Ada → Bruno"]);
    }, { timeout: 2000 });
    expect(host.querySelector("[data-testid=events] li strong")!.textContent).toBe("Bruno"); // the automatic line has none
  });
});
