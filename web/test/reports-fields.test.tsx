import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { OverviewReport } from "../src/console/reports";

const times = { count: 1, median_minutes: 5, p90_minutes: 9 };
const row = (key: string, tickets: number) => ({
  key, tickets, backlog: 0, by_channel: {}, first_response: times, resolution: times, resolved: 0, reopened: 0,
  reopen_rate: null, csat: { score: null, good: 0, bad: 0, count: 0 },
});

afterEach(() => { document.body.innerHTML = ""; });

describe("the overview by a custom field", () => {
  it("offers the tenant's active fields as breakdowns and asks the API for the one picked", async () => {
    const asked: URL[] = [];
    const fetch = (async (url: string) => {
      const at = new URL(url);
      if (at.pathname === "/ticket-fields") {
        return Response.json({ version: 1, fields: [
          { key: "plan", label: "Plan", type: "dropdown", options: ["pro", "enterprise"], active: true },
          { key: "legacy", label: "Legacy", type: "text", options: [], active: false }] });
      }
      asked.push(at);
      const byField = at.searchParams.get("by_field");
      return Response.json({
        since: "2026-11-03T00:00:00Z", until: "2026-12-03T00:00:00Z", period: "day", filters: {}, truncated: false,
        totals: row("", 3), by_group: [row("billing", 3)], by_agent: [], by_category: [], by_organization: [],
        by_period: [], by_field: byField ? [row("(none)", 1), row("pro", 2)] : null, field: byField,
      });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    const range = { from: "2026-11-03T00:00:00Z", to: "2026-12-03T00:00:00Z" };
    render(<OverviewReport api={new ApiClient({ baseUrl: "https://api.example", fetch })} range={range} />, host);
    const select = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[data-testid=overview-by]");
      if (!found || !found.querySelector("option[value='field:plan']")) throw new Error("no field yet");
      return found;
    });
    expect(select.querySelector("option[value='field:legacy']")).toBeNull(); // not offered any more
    select.value = "field:plan";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=overview-rows] caption")?.textContent).toBe("By Plan"));
    expect(asked.at(-1)!.searchParams.get("by_field")).toBe("plan");
    expect([...host.querySelectorAll("[data-testid=overview-rows] tbody th")].map((th) => th.textContent)).toEqual(["(none)", "pro"]);
  });
});

describe("the overview by request form", () => {
  it("names each form's row by the form's name and keeps the key of a form since removed", async () => {
    const fetch = (async (url: string) => {
      const at = new URL(url);
      if (at.pathname === "/ticket-fields") {
        return Response.json({ version: 1, fields: [], forms: [
          { key: "billing", name: "Billing question", fields: [], group: "billing", active: true }] });
      }
      return Response.json({
        since: "2026-11-03T00:00:00Z", until: "2026-12-03T00:00:00Z", period: "day", filters: {}, truncated: false,
        totals: row("", 4), by_group: [row("billing", 4)], by_agent: [], by_category: [], by_organization: [],
        by_form: [row("(none)", 1), row("billing", 2), row("old_form", 1)], by_tag: [], by_period: [], by_field: null, field: null,
      });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    const range = { from: "2026-11-03T00:00:00Z", to: "2026-12-03T00:00:00Z" };
    render(<OverviewReport api={new ApiClient({ baseUrl: "https://api.example", fetch })} range={range} />, host);
    const select = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[data-testid=overview-by]");
      if (!found || !host.querySelector("[data-testid=overview-rows]")) throw new Error("not loaded");
      return found;
    });
    select.value = "by_form";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=overview-rows] caption")?.textContent).toBe("By request form"));
    await vi.waitFor(() => expect([...host.querySelectorAll("[data-testid=overview-rows] tbody th")].map((th) => th.textContent))
      .toEqual(["(none)", "Billing question", "old_form"]));
  });
});

describe("the overview by tag", () => {
  it("lists a row per tag and says a ticket counts under each of its tags", async () => {
    const fetch = (async (url: string) => {
      const at = new URL(url);
      if (at.pathname === "/ticket-fields") return Response.json({ version: 1, fields: [], forms: [] });
      return Response.json({
        since: "2026-11-03T00:00:00Z", until: "2026-12-03T00:00:00Z", period: "day", filters: {}, truncated: false,
        totals: row("", 3), by_group: [row("billing", 3)], by_agent: [], by_category: [], by_organization: [], by_form: [],
        by_tag: [row("(none)", 1), row("outage", 2), row("vip", 1)], by_period: [], by_field: null, field: null,
      });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    const range = { from: "2026-11-03T00:00:00Z", to: "2026-12-03T00:00:00Z" };
    render(<OverviewReport api={new ApiClient({ baseUrl: "https://api.example", fetch })} range={range} />, host);
    const select = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[data-testid=overview-by]");
      if (!found || !host.querySelector("[data-testid=overview-rows]")) throw new Error("not loaded");
      return found;
    });
    expect(host.querySelector("[data-testid=overview-tag-note]")).toBeNull();
    select.value = "by_tag";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=overview-rows] caption")?.textContent).toBe("By tag"));
    expect([...host.querySelectorAll("[data-testid=overview-rows] tbody th")].map((th) => th.textContent)).toEqual(["(none)", "outage", "vip"]);
    expect(host.querySelector("[data-testid=overview-tag-note]")?.textContent).toContain("each of its tags");
  });
});
