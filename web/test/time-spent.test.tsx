// Time tracking in the console: the duration formatter and what the agent may type, the ticket page's "Time spent"
// box logging an entry (the body it posts, the total it shows from the answer, the history reloaded, an error), the
// history line of a `time_logged` event, and the overview report's figure and column.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketEvent } from "../src/api/types";
import { OverviewReport } from "../src/console/reports";
import { describeEvent, TicketPage } from "../src/console/ticket";
import { duration, parseMinutes, timeLoggedLine, timeSpentText } from "../src/console/time-spent";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

beforeEach(() => {
  window.location.hash = "";
});
afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

describe("durations", () => {
  it("reads minutes as hours and minutes, a correction with a minus sign", () => {
    expect(duration(25)).toBe("25 min");
    expect(duration(60)).toBe("1 h");
    expect(duration(85)).toBe("1 h 25 min");
    expect(duration(1500)).toBe("25 h"); // hours are billed, not days
    expect(duration(0)).toBe("0 min");
    expect(duration(-10)).toBe("−10 min");
    expect(duration(-90)).toBe("−1 h 30 min");
  });

  it("shows a ticket with nothing logged as none logged", () => {
    expect(timeSpentText(0)).toBe("none logged");
    expect(timeSpentText(null)).toBe("none logged");
    expect(timeSpentText(undefined)).toBe("none logged");
    expect(timeSpentText(85)).toBe("1 h 25 min");
  });

  it("takes minutes, hours and minutes, or h:mm; a minus makes a correction", () => {
    expect(parseMinutes("25")).toBe(25);
    expect(parseMinutes(" 90 ")).toBe(90);
    expect(parseMinutes("1h 30m")).toBe(90);
    expect(parseMinutes("1 h 30 min")).toBe(90);
    expect(parseMinutes("2h")).toBe(120);
    expect(parseMinutes("45m")).toBe(45);
    expect(parseMinutes("1:30")).toBe(90);
    expect(parseMinutes("0:05")).toBe(5);
    expect(parseMinutes("-10")).toBe(-10);
    expect(parseMinutes("−10")).toBe(-10); // the minus sign the page shows
    expect(parseMinutes("-1h")).toBe(-60);
    expect(parseMinutes("1440")).toBe(1440);
  });

  it("refuses what the API would: nothing, zero, more than a day, fractions and words", () => {
    for (const bad of ["", " ", "0", "-0", "0:00", "1441", "-1441", "25:00", "1:75", "1.5", "2,5", "h", "m", "abc", "1h30x", "--5"]) {
      expect(parseMinutes(bad), bad).toBeNull();
    }
  });
});

describe("a time_logged event in the history", () => {
  const event = (data: Record<string, unknown>) =>
    ({ seq: 5, type: "time_logged", actor: "alice", at, internal: true, data }) as unknown as TicketEvent;

  it("says what was logged and the total after it", () => {
    expect(describeEvent(event({ minutes: 25, total: 85 }))).toBe("logged 25 min (total 1 h 25 min)");
    expect(describeEvent(event({ minutes: 90, total: 90 }))).toBe("logged 1 h 30 min (total 1 h 30 min)");
  });

  it("says a negative entry corrected the time", () => {
    expect(describeEvent(event({ minutes: -10, total: 75 }))).toBe("corrected time by −10 min (total 1 h 15 min)");
    expect(timeLoggedLine({ minutes: -25, total: 0 })).toBe("corrected time by −25 min (total 0 min)");
  });
});

interface Post { path: string; body: unknown; headers: Headers }

/** A ticket page's API: the ticket with `total` logged, its events, and POST /time answering as the API does (the
 * ticket with the new total, a `time_logged` event added), or refusing a correction below zero. */
function ticketApi(total: number) {
  const posts: Post[] = [];
  const eventReads: number[] = [];
  let version = 3;
  const ticket = () => ({
    id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status: "open", priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
    participants: [], links: [], version, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
    time_spent_minutes: total,
  });
  const events: unknown[] = [{ seq: 1, type: "created", actor: "c1", at, internal: false, data: { description: "CSV" } }];
  const users = [{ id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", active: true, groups: [],
    tenant_id: "acme", created_at: at, updated_at: at }];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    if (method === "POST" && path === "/tickets/t1/time") {
      const body = JSON.parse(String(init.body)) as { minutes: number };
      posts.push({ path, body, headers: new Headers(init.headers) });
      if (total + body.minutes < 0) {
        return json({ error: { code: "invalid_input", message: `the ticket has ${total} minutes logged: a correction of ${body.minutes} would take it below zero`,
          details: { field: "minutes", time_spent_minutes: total } } }, 400);
      }
      total += body.minutes;
      version += 1;
      events.push({ seq: version, type: "time_logged", actor: "alice", at, internal: true, data: { minutes: body.minutes, total } });
      return json(ticket(), 200, `"${version}"`);
    }
    if (path === "/tickets/t1") return json(ticket(), 200, `"${version}"`);
    if (path === "/tickets/t1/events") {
      eventReads.push(events.length);
      return json(events);
    }
    return ticketPageSurroundings(path, users);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), posts, eventReads };
}

async function enter(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const historyLines = (host: HTMLElement) =>
  [...host.querySelectorAll("[data-testid=events] li")].map((li) => li.textContent!.slice(li.querySelector("time")!.textContent!.length).trim());

describe("the ticket page's time spent", () => {
  it("logs an entry: posts the minutes, shows the new total from the answer and the entry in the history", async () => {
    const { api, posts, eventReads } = ticketApi(60);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const total = await shown(host, "[data-testid=time-spent-total]");
    expect(total.textContent).toBe("Time spent: 1 h");
    const input = host.querySelector<HTMLInputElement>("[data-testid=time-minutes]")!;
    const button = host.querySelector<HTMLButtonElement>("[data-testid=log-time]")!;
    expect(button.disabled).toBe(true); // nothing typed
    await enter(input, "1:30x");
    expect(button.disabled).toBe(true);
    expect(host.querySelector("[data-testid=time-hint]")!.textContent).toContain("at most a day");
    await enter(input, "25");
    expect(button.disabled).toBe(false);
    const readsBefore = eventReads.length;
    button.click();
    await vi.waitFor(() => expect(total.textContent).toBe("Time spent: 1 h 25 min"));
    expect(posts.map((p) => [p.path, p.body])).toEqual([["/tickets/t1/time", { minutes: 25 }]]);
    expect(posts[0]!.headers.get("content-type")).toBe("application/json");
    await vi.waitFor(() => expect(historyLines(host)).toContain("Alice logged 25 min (total 1 h 25 min)"));
    expect(eventReads.length).toBeGreaterThan(readsBefore);
    expect(input.value).toBe(""); // ready for the next entry
    expect(host.querySelector("[data-testid=time-spent] [role=alert]")).toBeNull();
  });

  it("takes hours and minutes, and a negative entry as a correction", async () => {
    const { api, posts } = ticketApi(0);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const total = await shown(host, "[data-testid=time-spent-total]");
    expect(total.textContent).toBe("Time spent: none logged");
    const input = host.querySelector<HTMLInputElement>("[data-testid=time-minutes]")!;
    const form = input.closest("form")!;
    await enter(input, "1h 30m");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(total.textContent).toBe("Time spent: 1 h 30 min"));
    await enter(input, "-10");
    expect(host.querySelector("[data-testid=time-hint]")!.textContent).toBe("Corrects the total by −10 min.");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(total.textContent).toBe("Time spent: 1 h 20 min"));
    expect(posts.map((p) => p.body)).toEqual([{ minutes: 90 }, { minutes: -10 }]);
    await vi.waitFor(() => expect(historyLines(host)).toContain("Alice corrected time by −10 min (total 1 h 20 min)"));
  });

  it("shows the API's refusal of a correction below zero and keeps what was typed", async () => {
    const { api, posts } = ticketApi(20);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const total = await shown(host, "[data-testid=time-spent-total]");
    const input = host.querySelector<HTMLInputElement>("[data-testid=time-minutes]")!;
    await enter(input, "-30");
    host.querySelector<HTMLButtonElement>("[data-testid=log-time]")!.click();
    const alert = await shown(host, "[data-testid=time-spent] [role=alert]");
    expect(alert.textContent).toContain("would take it below zero (400 invalid_input)");
    expect(posts).toHaveLength(1);
    expect(total.textContent).toBe("Time spent: 20 min");
    expect(input.value).toBe("-30");
    expect(historyLines(host).some((l) => l.includes("time"))).toBe(false);
  });
});

describe("time spent in the overview report", () => {
  const times = { count: 1, median_minutes: 5, p90_minutes: 9 };
  const row = (key: string, tickets: number, spent?: number) => ({
    key, tickets, backlog: 0, by_channel: {}, first_response: times, resolution: times, resolved: 0, reopened: 0,
    reopen_rate: null, csat: { score: null, good: 0, bad: 0, count: 0 }, ...(spent === undefined ? {} : { time_spent_minutes: spent }),
  });

  it("shows the total and a column per breakdown row", async () => {
    const fetch = (async (url: string) => {
      if (new URL(url).pathname === "/ticket-fields") return json({ version: 1, fields: [] });
      return json({
        since: "2026-11-03T00:00:00Z", until: "2026-12-03T00:00:00Z", period: "day", filters: {}, truncated: false,
        totals: row("", 3, 145), by_group: [row("billing", 2, 145), row("(none)", 1, 0), row("legacy", 0)],
        by_agent: [], by_category: [], by_organization: [], by_form: [], by_tag: [], by_period: [], by_field: null, field: null,
      });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    const range = { from: "2026-11-03T00:00:00Z", to: "2026-12-03T00:00:00Z" };
    render(<OverviewReport api={new ApiClient({ baseUrl: "https://api.example", fetch })} range={range} />, host);
    const table = await shown(host, "[data-testid=overview-rows]");
    expect(host.querySelector("[data-testid=overview-time-spent]")!.textContent).toBe("2 h 25 min");
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
    const column = headings.indexOf("Time spent");
    expect(column).toBe(headings.length - 1);
    const cells = [...table.querySelectorAll("tbody tr")].map((tr) => [tr.children[0]!.textContent, tr.children[column]!.textContent]);
    expect(cells).toEqual([["billing", "2 h 25 min"], ["(none)", "0 min"], ["legacy", "—"]]);
  });
});
