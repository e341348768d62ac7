// Snoozed tickets in the console: the queue's built-in views leave them out (`snoozed=false`, counts too), the
// Snoozed view lists only them and a view saved from it keeps that; the table's badge only while a snooze is ahead;
// the ticket page's panel (a preset, a time typed, Unsnooze, a solved ticket, a refusal, someone's change meanwhile)
// and header badge; the history lines of `snoozed` events.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket, TicketEvent } from "../src/api/types";
import { Queue, VIEWS } from "../src/console/queue";
import { presets } from "../src/console/reminders";
import { snoozedUntil } from "../src/console/snooze";
import { describeEvent, TicketPage } from "../src/console/ticket";
import { lineOfTicket, TicketTable } from "../src/console/ticket-table";
import { describeFilters } from "../src/console/views";
import { when } from "../src/shared/format";
import { listedTicket } from "./ticket-fixture";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";
const HOUR = 3600_000;
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

beforeEach(() => {
  window.location.hash = "";
});
afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

async function enter(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("snoozed tickets in the queue", () => {
  /** A queue over a fake API recording each `GET /tickets` query and each view saved. */
  function mount(route: string, items: Ticket[] = []) {
    const lists: URLSearchParams[] = [];
    const saved: { filters: Record<string, unknown> }[] = [];
    const fetch = (async (url: string, init: RequestInit = {}) => {
      const u = new URL(url);
      if (u.pathname === "/tickets") {
        lists.push(u.searchParams);
        return Response.json({ items, next_cursor: null });
      }
      if (u.pathname === "/views" && init.method === "POST") {
        const body = JSON.parse(String(init.body)) as { name: string; filters: Record<string, unknown> };
        saved.push(body);
        return Response.json({ id: "v1", name: body.name, scope: "personal", owner_id: "ada", filters: body.filters }, { status: 201 });
      }
      if (u.pathname === "/ticket-fields") return Response.json({ fields: [], forms: [], version: 1 });
      return Response.json(u.pathname === "/users" ? { items: [], next_cursor: null } : []);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route={route} />, host);
    return { host, lists, saved };
  }

  /** Saves the view shown as "Mine" and answers the filters it posted. */
  async function saveView(host: HTMLElement, saved: { filters: Record<string, unknown> }[]) {
    (await shown<HTMLButtonElement>(host, "[data-testid=save-view]")).click();
    await enter(await shown<HTMLInputElement>(host, "[data-testid=view-name]"), "Mine");
    expect(host.querySelector("[data-testid=view-filters]")!.textContent).not.toContain("snoozed: false");
    host.querySelector<HTMLFormElement>("form.save-view")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    return saved[0]!.filters;
  }

  it("has a Snoozed view just before All", () => {
    expect(VIEWS.map((v) => v.id).slice(-2)).toEqual(["snoozed", "all"]);
  });

  it("leaves snoozed tickets out of the built-in views and their counts; All asks for both, Snoozed for them only", async () => {
    const { host, lists } = mount("/?view=open");
    await vi.waitFor(() => expect(host.querySelector("[data-testid=view-snoozed] .count")!.textContent).toBe("0"));
    expect(lists[0]!.get("status")).toBe("open");
    expect(lists[0]!.get("snoozed")).toBe("false");
    // one count per view, each as its view asks (limit 100); the list itself asks for a page of 25
    const counts = lists.filter((q) => q.get("limit") === "100").map((q) => q.get("snoozed"));
    expect(counts).toHaveLength(VIEWS.length);
    expect(counts.filter((s) => s === "false")).toHaveLength(VIEWS.length - 2);
    expect(counts.filter((s) => s === "true")).toHaveLength(1); // Snoozed
    expect(counts.filter((s) => s === null)).toHaveLength(1); // All
  });

  it("the Snoozed view lists only snoozed tickets, each with its time, and a view saved from it keeps that", async () => {
    const until = ahead(48 * HOUR);
    const { host, lists, saved } = mount("/?view=snoozed", [{ ...listedTicket("a", "Waiting for the supplier"), snoozed_until: until }]);
    const row = await shown(host, "[data-testid=ticket-row]");
    expect(lists[0]!.get("snoozed")).toBe("true");
    expect(lists[0]!.get("status")).toBeNull();
    expect(row.textContent).toContain(`snoozed until ${when(until)}`);
    expect(host.querySelector("[data-testid=view-snoozed]")!.getAttribute("aria-current")).toBe("page");
    expect(await saveView(host, saved)).toEqual({ snoozed: true });
  });

  it("a view saved from another built-in view leaves snoozed tickets out", async () => {
    const { host, lists, saved } = mount("/?view=mine");
    await vi.waitFor(() => expect(lists.length).toBeGreaterThan(0));
    expect(lists[0]!.get("snoozed")).toBe("false");
    expect(lists[0]!.get("unsolved")).toBe("true"); // "Mine" is Zendesk's "Your unsolved tickets"
    expect(await saveView(host, saved)).toEqual({ assignee: "me", unsolved: true, snoozed: false });
    // as the saved view's title reads its filters
    expect(describeFilters({ assignee: "me", snoozed: false })).toBe("assignee: me");
    expect(describeFilters({ assignee: "me", unsolved: true, snoozed: false })).toBe("assignee: me, unsolved");
    expect(describeFilters({ snoozed: true })).toBe("snoozed");
  });

  it("All lists snoozed tickets beside the others, told apart by the badge", async () => {
    const { host, lists } = mount("/?view=all", [
      { ...listedTicket("a", "Snoozed"), snoozed_until: ahead(HOUR) },
      { ...listedTicket("b", "Woke by itself"), snoozed_until: ahead(-HOUR) },
      listedTicket("c", "Never snoozed"),
    ]);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=ticket-row]")).toHaveLength(3));
    expect(lists[0]!.get("snoozed")).toBeNull();
    expect([...host.querySelectorAll("[data-testid=ticket-row]")].map((r) => !!r.querySelector(".badge-snoozed"))).toEqual([true, false, false]);
  });

  it("a view saved from All keeps the snoozed tickets (filter null), and says so", async () => {
    const { host, saved } = mount("/?view=all");
    expect(await saveView(host, saved)).toEqual({ snoozed: null });
    expect(describeFilters({ snoozed: null })).toBe("snoozed too");
    expect(describeFilters({})).toBe("all tickets");
  });
});

describe("the ticket table's snooze badge", () => {
  it("shows only for a time still ahead", () => {
    const future = ahead(2 * HOUR);
    const lines = [
      lineOfTicket({ ...listedTicket("a", "ahead"), snoozed_until: future }),
      lineOfTicket({ ...listedTicket("b", "past"), snoozed_until: ahead(-60_000) }),
      lineOfTicket({ ...listedTicket("c", "never"), snoozed_until: null }),
      lineOfTicket(listedTicket("d", "not said")),
    ];
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketTable caption="All tickets" lines={lines} />, host);
    const badges = [...host.querySelectorAll("[data-testid=ticket-row]")].map((r) => r.querySelector(".badge-snoozed")?.textContent ?? null);
    expect(badges).toEqual([`snoozed until ${when(future)}`, null, null, null]);
  });

  it("counts a time past, or none, as not snoozed", () => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(snoozedUntil("2026-06-01T12:00:01Z", now)).toBe("2026-06-01T12:00:01Z");
    expect(snoozedUntil("2026-06-01T12:00:00Z", now)).toBeNull(); // its time came
    expect(snoozedUntil("2026-05-01T00:00:00+02:00", now)).toBeNull();
    expect(snoozedUntil(null, now)).toBeNull();
    expect(snoozedUntil(undefined, now)).toBeNull();
  });
});

describe("a snoozed event in the history", () => {
  const event = (data: Record<string, unknown>) =>
    ({ seq: 5, type: "snoozed", actor: "alice", at, internal: true, data }) as unknown as TicketEvent;
  const to = "2026-12-07T09:00:00+01:00";

  it("says until when, a moved snooze, and why the ticket came back", () => {
    expect(describeEvent(event({ from: null, to }))).toBe(`snoozed until ${when(to)}`);
    expect(describeEvent(event({ from: "2026-12-05T09:00:00+01:00", to }))).toBe(`snooze moved to ${when(to)}`);
    expect(describeEvent(event({ from: to, to: null }))).toBe("back from snooze");
    expect(describeEvent(event({ from: to, to: null, woke: "customer_replied" }))).toBe("back from snooze (the customer replied)");
    expect(describeEvent(event({ from: to, to: null, woke: "solved" }))).toBe("back from snooze (solved)");
    expect(describeEvent(event({ from: to, to: null, woke: "time", by: "a1" }))).toBe("back from snooze (its time came)");
  });
});

interface Patch { body: Record<string, unknown>; ifMatch: string | null }

/** A ticket page's API: `PATCH /tickets/t1` answering as the API does (If-Match checked, a time past refused, a
 * `snoozed` event added); `changeMeanwhile` is someone else's change the page has not read. */
function ticketApi(fields: { status?: string; snoozed_until?: string | null } = {}) {
  const patches: Patch[] = [];
  let version = 3;
  const status = fields.status ?? "open";
  let snoozed: string | null = fields.snoozed_until ?? null;
  const events: unknown[] = [{ seq: 1, type: "created", actor: "c1", at, internal: false, data: { description: "CSV" } }];
  const ticket = () => ({
    id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status, priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
    participants: [], links: [], version, created_at: at, updated_at: at, ai: { cited_article_ids: [] }, snoozed_until: snoozed,
  });
  const users = [{ id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", active: true, groups: [],
    tenant_id: "acme", created_at: at, updated_at: at }];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    if (method === "PATCH" && path === "/tickets/t1") {
      const body = JSON.parse(String(init.body)) as { snoozed_until?: string | null };
      const ifMatch = new Headers(init.headers).get("if-match");
      patches.push({ body, ifMatch });
      if (ifMatch && ifMatch !== `"${version}"`) {
        return json({ error: { code: "concurrent_update", message: "the ticket changed meanwhile", details: null } }, 409);
      }
      const until = body.snoozed_until ?? null;
      if (until !== null && Date.parse(until) <= Date.now()) {
        return json({ error: { code: "invalid_input", message: "snooze until a time in the future, at most a year ahead",
          details: { field: "snoozed_until" } } }, 400);
      }
      const before = snoozed && Date.parse(snoozed) > Date.now() ? snoozed : null;
      snoozed = until;
      version += 1;
      events.push({ seq: version, type: "snoozed", actor: "alice", at, internal: true, data: { from: before, to: until } });
      return json(ticket(), 200, `"${version}"`);
    }
    if (path === "/tickets/t1") return json(ticket(), 200, `"${version}"`);
    if (path === "/tickets/t1/events") return json(events);
    return ticketPageSurroundings(path, users);
  }) as unknown as typeof globalThis.fetch;
  const changeMeanwhile = () => {
    version += 1;
  };
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), patches, changeMeanwhile };
}

const historyLines = (host: HTMLElement) =>
  [...host.querySelectorAll("[data-testid=events] li")].map((li) => li.textContent!.slice(li.querySelector("time")!.textContent!.length).trim());

function mountPage(api: ApiClient) {
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketPage api={api} id="t1" me="alice" />, host);
  return host;
}

const presetButton = (host: HTMLElement, label: string) =>
  [...host.querySelectorAll<HTMLButtonElement>("[data-testid=snooze-preset]")].find((b) => b.textContent === label)!;

describe("the ticket page's snooze panel", () => {
  it("snoozes with a preset's time and the page's ETag, then shows the state, the header badge and the history line", async () => {
    const { api, patches } = ticketApi();
    const host = mountPage(api);
    const panel = await shown(host, "[data-testid=snooze]");
    expect(panel.querySelector("[data-testid=snooze-hint]")!.textContent).toBe("Out of the queues until then; back sooner when the customer writes. Whoever has it (or you) is mailed when it is back.");
    expect(panel.querySelector("[data-testid=snoozed]")).toBeNull();
    expect([...panel.querySelectorAll("[data-testid=snooze-preset]")].map((b) => b.textContent)).toEqual(presets(new Date()).map((p) => p.label));
    expect(host.querySelector(".meta .badge-snoozed")).toBeNull();
    const tomorrow = presets(new Date()).find((p) => p.label === "Tomorrow 9:00")!.at.toISOString();
    presetButton(host, "Tomorrow 9:00").click();
    const state = await shown(host, "[data-testid=snoozed]");
    expect(patches).toEqual([{ body: { snoozed_until: tomorrow }, ifMatch: '"3"' }]);
    expect(state.textContent).toBe(`Snoozed until ${when(tomorrow)} · Unsnooze`);
    expect(host.querySelector(".meta .badge-snoozed")!.textContent).toBe(`snoozed until ${when(tomorrow)}`);
    await vi.waitFor(() => expect(historyLines(host)).toContain(`Alice snoozed until ${when(tomorrow)}`));
    expect(panel.querySelector("[data-testid=snooze-submit]")!.textContent).toBe("Move snooze");
  });

  it("snoozes until a time typed, and Unsnooze sends null and brings the ticket back", async () => {
    const { api, patches } = ticketApi({ snoozed_until: ahead(5 * HOUR) });
    const host = mountPage(api);
    await shown(host, "[data-testid=snoozed]");
    const input = host.querySelector<HTMLInputElement>("[data-testid=snooze-at]")!;
    const submit = host.querySelector<HTMLButtonElement>("[data-testid=snooze-submit]")!;
    expect(submit.disabled).toBe(true); // nothing typed
    const later = new Date(Date.now() + 72 * HOUR);
    later.setSeconds(0, 0);
    const local = new Date(later.getTime() - later.getTimezoneOffset() * 60_000).toISOString().slice(0, 16); // as the input gives it
    await enter(input, local);
    submit.click();
    await vi.waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]!.body).toEqual({ snoozed_until: later.toISOString() });
    await vi.waitFor(() => expect(host.querySelector("[data-testid=snoozed]")!.textContent).toContain(when(later.toISOString())));
    await vi.waitFor(() => expect(historyLines(host)).toContain(`Alice snooze moved to ${when(later.toISOString())}`));
    expect(input.value).toBe("");

    host.querySelector<HTMLButtonElement>("[data-testid=unsnooze]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=snoozed]")).toBeNull());
    expect(patches[1]).toEqual({ body: { snoozed_until: null }, ifMatch: '"4"' });
    expect(host.querySelector(".meta .badge-snoozed")).toBeNull();
    await vi.waitFor(() => expect(historyLines(host)).toContain("Alice back from snooze"));
  });

  it("does not show a snooze whose time has passed", async () => {
    const { api } = ticketApi({ snoozed_until: ahead(-HOUR) });
    const host = mountPage(api);
    await shown(host, "[data-testid=snooze-preset]");
    expect(host.querySelector("[data-testid=snoozed]")).toBeNull();
    expect(host.querySelector(".meta .badge-snoozed")).toBeNull();
    expect(host.querySelector("[data-testid=snooze-submit]")!.textContent).toBe("Snooze");
  });

  it("offers nothing on a solved ticket and says why", async () => {
    const { api } = ticketApi({ status: "resolved" });
    const host = mountPage(api);
    const panel = await shown(host, "[data-testid=snooze]");
    expect(panel.querySelector("[data-testid=snooze-hint]")!.textContent).toBe("A resolved ticket is in no queue: reopen it to snooze it.");
    expect(panel.querySelector("button, input")).toBeNull();
  });

  it("shows the API's refusal in the panel", async () => {
    const { api, patches } = ticketApi();
    const host = mountPage(api);
    await shown(host, "[data-testid=snooze-preset]");
    const input = host.querySelector<HTMLInputElement>("[data-testid=snooze-at]")!;
    await enter(input, "2020-01-01T09:00");
    host.querySelector<HTMLButtonElement>("[data-testid=snooze-submit]")!.click();
    const alert = await shown(host, "[data-testid=snooze] [role=alert]");
    expect(alert.textContent).toContain("(400 invalid_input)");
    expect(input.value).toBe("2020-01-01T09:00"); // kept, to correct
    expect(patches).toHaveLength(1);
    expect(host.querySelector("[data-testid=reapply]")).toBeNull(); // a time refused is no change meanwhile
  });

  it("after someone's change meanwhile shows the page's conflict banner, whose reapply snoozes on the fresh version", async () => {
    const { api, patches, changeMeanwhile } = ticketApi();
    const host = mountPage(api);
    await shown(host, "[data-testid=snooze-preset]");
    changeMeanwhile();
    presetButton(host, "Monday 9:00").click();
    const reapply = await shown<HTMLButtonElement>(host, "[data-testid=reapply]");
    expect(reapply.closest("[role=alert]")!.textContent).toContain("Someone changed this ticket since you opened it.");
    expect(host.querySelector("[data-testid=snooze] [role=alert]")!.textContent).toContain("(409 concurrent_update)");
    expect(host.querySelector("[data-testid=snoozed]")).toBeNull();
    reapply.click();
    const state = await shown(host, "[data-testid=snoozed]");
    const monday = patches[0]!.body.snoozed_until as string;
    expect(patches).toEqual([{ body: { snoozed_until: monday }, ifMatch: '"3"' }, { body: { snoozed_until: monday }, ifMatch: '"4"' }]);
    expect(state.textContent).toContain(when(monday));
    expect(host.querySelector("[data-testid=reapply]")).toBeNull();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=snooze] [role=alert]")).toBeNull());
  });
});
