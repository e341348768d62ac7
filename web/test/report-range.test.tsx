import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { addressOf, rangeInAddress, rangeOf, rangeProblem } from "../src/console/report-range";
import { ReportsPage } from "../src/console/reports-page";

// Local time: the page works in the browser's days.
const now = new Date(2026, 11, 3, 15, 30); // 3 December 2026, 15:30
const local = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString();

describe("a report range", () => {
  it("is the last 30 days when the address names none, as the API assumes", () => {
    expect(rangeInAddress("/reports", now).choice).toBe("30d");
    expect(rangeOf(rangeInAddress("/reports?range=bogus", now), now)).toEqual({ from: local(2026, 11, 4), to: now.toISOString() });
  });
  it("counts whole days, today included, and ends now rather than tonight", () => {
    expect(rangeOf(rangeInAddress("/reports?range=7d", now), now)).toEqual({ from: local(2026, 11, 27), to: now.toISOString() });
    expect(rangeOf(rangeInAddress("/reports?range=this_month", now), now)).toEqual({ from: local(2026, 12, 1), to: now.toISOString() });
    expect(rangeOf(rangeInAddress("/reports?range=last_month", now), now)).toEqual({ from: local(2026, 11, 1), to: local(2026, 12, 1) });
  });
  it("takes days picked by hand, the last one included, and keeps them in the address", () => {
    const picked = rangeInAddress("/reports?from=2026-10-01&to=2026-10-31", now);
    expect(picked).toEqual({ choice: "custom", first: "2026-10-01", last: "2026-10-31" });
    expect(rangeOf(picked, now)).toEqual({ from: local(2026, 10, 1), to: local(2026, 11, 1) });
    expect(addressOf(picked)).toBe("#/reports?from=2026-10-01&to=2026-10-31");
    expect(addressOf({ ...picked, choice: "90d" })).toBe("#/reports?range=90d");
  });
  it("says what is wrong with days that make no range the API takes", () => {
    expect(rangeProblem({ choice: "custom", first: "2026-10-31", last: "2026-10-01" })).toMatch(/before the first/);
    expect(rangeProblem({ choice: "custom", first: "", last: "2026-10-01" })).toMatch(/Pick/);
    expect(rangeProblem({ choice: "custom", first: "2026-02-30", last: "2026-03-01" })).toMatch(/Pick/);
    expect(rangeProblem({ choice: "custom", first: "2025-01-01", last: "2026-10-01" })).toMatch(/366 days/);
    expect(rangeProblem({ choice: "custom", first: "2025-10-02", last: "2026-10-01" })).toBeNull();
    // the date input takes year 1, which `new Date(1, 0, 1)` read as 1901; the API starts at 1970
    expect(rangeProblem({ choice: "custom", first: "0001-01-01", last: "0001-01-02" })).toMatch(/from 1970/);
    expect(rangeProblem({ choice: "custom", first: "9999-12-01", last: "9999-12-02" })).toMatch(/to 8999/);
  });
});

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

describe("the Reports page", () => {
  it("asks every report for the range picked, and puts it in the address", async () => {
    const calls: URL[] = [];
    const overview = { since: local(2026, 11, 1), until: local(2026, 12, 1), period: "week", truncated: false,
      totals: { tickets: 0, backlog: 0, first_response: {}, resolution: {}, reopen_rate: null, csat: { good: 0, bad: 0, count: 0, score: null } },
      by_group: [], by_agent: [], by_category: [], by_organization: [], by_period: [] };
    const ai = { since: local(2026, 11, 1), until: local(2026, 12, 1), tickets: 0, truncated: false,
      chat: { sessions: 0, answered_without_ticket: 0, handed_over: 0, share_answered: null },
      drafts: { sent: 0, unchanged: 0, edited: 0, share_unchanged: null }, triage: [] };
    const sla = { since: local(2026, 11, 1), until: local(2026, 12, 1), tickets: 0, truncated: false, targets: [] };
    const fetch = (async (url: string) => {
      const u = new URL(url);
      calls.push(u);
      const body = u.pathname === "/reports/overview" ? overview : u.pathname === "/reports/ai" ? ai : u.pathname === "/reports/sla" ? sla : [];
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<ReportsPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} route="/reports?range=7d" />, host);
    const asked = (from: string) => ["/reports/overview", "/reports/ai", "/reports/sla"].every(
      (path) => calls.some((u) => u.pathname === path && u.searchParams.get("from") === from && u.searchParams.get("to")));
    const reports = () => calls.filter((u) => u.pathname.startsWith("/reports/")); // (the overview also reads the fields)
    await vi.waitFor(() => expect(reports().length).toBeGreaterThanOrEqual(3), { timeout: 2000 });
    const sevenDays = reports()[0]!.searchParams.get("from")!;
    expect(asked(sevenDays)).toBe(true);
    expect(Date.parse(reports()[0]!.searchParams.get("to")!) - Date.parse(sevenDays)).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);

    const select = host.querySelector("[data-testid=report-range]") as HTMLSelectElement;
    select.value = "custom";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const first = await vi.waitFor(() => {
      const input = host.querySelector("[data-testid=report-first-day]");
      if (!input) throw new Error("no day inputs yet");
      return input as HTMLInputElement;
    }, { timeout: 2000 });
    first.value = "2026-10-01";
    first.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(asked(local(2026, 10, 1))).toBe(true), { timeout: 2000 });
    expect(window.location.hash).toMatch(/^#\/reports\?from=2026-10-01&to=\d{4}-\d{2}-\d{2}$/);

    const last = host.querySelector("[data-testid=report-last-day]") as HTMLInputElement;
    last.value = "2026-09-01";
    last.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector("[role=alert]")?.textContent).toMatch(/before the first/), { timeout: 2000 });
    expect(calls.some((u) => u.searchParams.get("to") === local(2026, 9, 2))).toBe(false);
  });

  it("shows the range picked last even when an earlier range's answer comes after it", async () => {
    const overview = (tickets: number) => ({ since: local(2026, 11, 1), until: local(2026, 12, 1), period: "day", truncated: false,
      totals: { tickets, backlog: 0, first_response: {}, resolution: {}, reopen_rate: null, csat: { good: 0, bad: 0, count: 0, score: null } },
      by_group: [], by_agent: [], by_category: [], by_organization: [], by_period: [] });
    const fetch = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === "/reports/ai") return Response.json({ since: local(2026, 11, 1), until: local(2026, 12, 1), tickets: 0, truncated: false,
        chat: { sessions: 0, answered_without_ticket: 0, handed_over: 0, share_answered: null },
        drafts: { sent: 0, unchanged: 0, edited: 0, share_unchanged: null }, triage: [] });
      if (u.pathname === "/reports/sla") return Response.json({ since: local(2026, 11, 1), until: local(2026, 12, 1), tickets: 0, truncated: false, targets: [] });
      const lastMonth = u.searchParams.get("to") === local(2026, 12, 1) || Date.parse(u.searchParams.get("to")!) < Date.now() - 86_400_000;
      if (lastMonth) await new Promise((r) => setTimeout(r, 300)); // the first range's answer is slow
      return Response.json(overview(lastMonth ? 0 : 5));
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<ReportsPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} route="/reports?range=last_month" />, host);
    const select = host.querySelector("[data-testid=report-range]") as HTMLSelectElement;
    select.value = "7d";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const tickets = () => host.querySelector("[data-testid=overview-totals] dd")?.textContent;
    await vi.waitFor(() => expect(tickets()).toBe("5"), { timeout: 2000 });
    await new Promise((r) => setTimeout(r, 500)); // the slow last-month answer has come meanwhile
    expect(tickets()).toBe("5");
  });
});
