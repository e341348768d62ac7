// The Reports page's "Time logged" section (GET /reports/time): the range it asks for, the total, the breakdowns
// with agents, organisations and groups by name and tickets as links, a range without entries, and the timesheet's
// CSV download.
import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { ReportsPage } from "../src/console/reports-page";
import { TimeLoggedReport, timesheetFile } from "../src/console/time-report";

const range = { from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" };
const row = (key: string, minutes: number, entries: number) => ({ key, minutes, entries });
const line = (agent: string, ticket: string, ticket_id: string, organization_id: string | null, group: string | null, minutes: number) =>
  ({ at: "2026-11-10T09:00:00Z", agent, ticket, ticket_id, organization_id, group, minutes });

const lines = [
  line("u-alice", "T-000042", "tk-42", "org-acme", "billing", 400),
  line("u-bruno", "T-000042", "tk-42", "org-acme", "billing", 300),
  line("u-alice", "T-000007", "tk-7", null, null, 60),
  line("u-gone", "T-000042", "tk-42", "org-acme", "billing", -10),
];
const timeReport = (over: Record<string, unknown> = {}) => ({
  since: range.from, until: range.to, filters: {}, truncated: false, minutes: 750, entries: 37,
  by_agent: [row("u-alice", 460, 20), row("u-bruno", 300, 16), row("u-gone", -10, 1)],
  by_organization: [row("org-acme", 690, 30), row("(none)", 60, 7)],
  by_group: [row("billing", 690, 30), row("(none)", 60, 7)],
  by_ticket: [row("T-000042", 690, 30), row("T-000007", 60, 7)],
  lines, ...over,
});
const user = (id: string, name: string, role: string) => ({ id, name, email: `${id}@acme.example`, role, active: true });

interface Stub { asked: URL[]; api: ApiClient; fetch: typeof globalThis.fetch }

/** An API answering the time report (`report`), the staff by role, the groups and the organisations. */
function stub(report: unknown = timeReport()): Stub {
  const asked: URL[] = [];
  const fetch = (async (url: string) => {
    const at = new URL(url);
    asked.push(at);
    switch (at.pathname) {
      case "/reports/time":
        return at.searchParams.get("format") === "csv" ? new Response("at,agent\n", { headers: { "content-type": "text/csv" } }) : Response.json(report);
      case "/users": return Response.json({ items: at.searchParams.get("role") === "admin"
        ? [user("u-bruno", "Bruno Admin", "admin")] : [user("u-alice", "Alice Agent", "agent")], next_cursor: null });
      case "/groups": return Response.json([{ id: "billing", name: "Billing desk", members: [] }]);
      case "/organizations": return Response.json([{ id: "org-acme", name: "Acme Corp", domains: [] }]);
      default: return Response.json({}, { status: 404 });
    }
  }) as unknown as typeof globalThis.fetch;
  return { asked, fetch, api: new ApiClient({ baseUrl: "https://api.example", fetch }) };
}

function show(api: ApiClient): HTMLElement {
  const host = document.body.appendChild(document.createElement("div"));
  render(<TimeLoggedReport api={api} range={range} />, host);
  return host;
}

const cells = (host: HTMLElement) => [...host.querySelectorAll("[data-testid=time-rows] tbody tr")]
  .map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent));

function pick(host: HTMLElement, by: string) {
  const select = host.querySelector<HTMLSelectElement>("[data-testid=time-by]")!;
  select.value = by;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

beforeEach(() => {
  window.location.hash = "";
});
afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
  vi.restoreAllMocks();
});

describe("the Time logged section", () => {
  it("asks for the page's range and shows the total", async () => {
    const { asked, api } = stub();
    const host = show(api);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=time-total]")?.textContent).toBe("12 h 30 min in 37 entries"));
    const time = asked.find((u) => u.pathname === "/reports/time")!;
    expect(time.searchParams.get("from")).toBe(range.from);
    expect(time.searchParams.get("to")).toBe(range.to);
    expect(host.querySelector("h1")?.textContent).toBe("Time logged");
    expect(host.textContent).not.toContain("(truncated)");
  });

  it("is on the Reports page, over the range the page picked", async () => {
    window.location.hash = "#/reports?from=2026-10-01&to=2026-10-31";
    const { asked, api } = stub();
    const host = document.body.appendChild(document.createElement("div"));
    render(<ReportsPage api={api} route="/reports?from=2026-10-01&to=2026-10-31" />, host);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=time-total]")).not.toBeNull());
    const time = asked.find((u) => u.pathname === "/reports/time")!;
    expect(time.searchParams.get("from")).toBe(new Date(2026, 9, 1).toISOString());
    expect(time.searchParams.get("to")).toBe(new Date(2026, 10, 1).toISOString());
  });

  it("names agents, organisations and groups, and shows each breakdown's rows, most time first", async () => {
    const { api } = stub();
    const host = show(api);
    // agents by name (admins too); one not in the directory (a stranger's id) as it is; a correction with a minus
    await vi.waitFor(() => expect(cells(host)).toEqual([
      ["Alice Agent", "7 h 40 min", "20"], ["Bruno Admin", "5 h", "16"], ["u-gone", "−10 min", "1"]]));
    expect(host.querySelector("[data-testid=time-rows] caption")?.textContent).toBe("By agent");
    pick(host, "by_organization");
    await vi.waitFor(() => expect(cells(host)).toEqual([["Acme Corp", "11 h 30 min", "30"], ["(none)", "1 h", "7"]]));
    expect(host.querySelector("[data-testid=time-rows] thead th")?.textContent).toBe("Organization");
    pick(host, "by_group");
    await vi.waitFor(() => expect(cells(host)).toEqual([["Billing desk", "11 h 30 min", "30"], ["(none)", "1 h", "7"]]));
    pick(host, "by_ticket");
    await vi.waitFor(() => expect(cells(host)).toEqual([["T-000042", "11 h 30 min", "30"], ["T-000007", "1 h", "7"]]));
  });

  it("links each ticket's row to the ticket's page, by the id its lines carry", async () => {
    const { api } = stub();
    const host = show(api);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=time-rows]")).not.toBeNull());
    pick(host, "by_ticket");
    const links = await vi.waitFor(() => {
      const found = [...host.querySelectorAll<HTMLAnchorElement>("[data-testid=time-rows] tbody a")];
      if (found.length !== 2) throw new Error("no ticket links yet");
      return found;
    });
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([["T-000042", "#/t/tk-42"], ["T-000007", "#/t/tk-7"]]);
  });

  it("says so when nothing was logged in the range, and when the report was cut short", async () => {
    const { api } = stub(timeReport({ minutes: 0, entries: 0, by_agent: [], by_organization: [], by_group: [], by_ticket: [], lines: [] }));
    const host = show(api);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=time-empty]")?.textContent).toBe("No time logged in this range."));
    expect(host.querySelector("[data-testid=time-rows]")).toBeNull();
    expect(host.querySelector("[data-testid=time-total]")).toBeNull();

    document.body.innerHTML = "";
    const cut = show(stub(timeReport({ truncated: true, minutes: 25, entries: 1 })).api);
    await vi.waitFor(() => expect(cut.querySelector("[data-testid=time-total]")?.textContent).toBe("25 min in 1 entry"));
    expect(cut.textContent).toContain("(truncated)");
  });

  it("downloads the timesheet: the report's CSV over the range, as a file named by its days", async () => {
    const { asked, api, fetch } = stub();
    vi.spyOn(globalThis, "fetch").mockImplementation(fetch); // the download reads the CSV itself, with the token
    const saved: string[] = [];
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:timesheet");
    vi.spyOn(URL, "revokeObjectURL").mockReturnValue(undefined);
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const host = show(api);
    const button = await vi.waitFor(() => {
      const found = host.querySelector<HTMLButtonElement>("[data-testid=time-csv]");
      if (!found) throw new Error("no button yet");
      return found;
    });
    expect(button.textContent).toBe("Download timesheet (CSV)");
    button.click();
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    const csv = asked.find((u) => u.pathname === "/reports/time" && u.searchParams.get("format") === "csv")!;
    expect(csv.searchParams.get("from")).toBe(range.from);
    expect(csv.searchParams.get("to")).toBe(range.to);
    expect(saved[0]).toBe(timesheetFile(range));
    expect(timesheetFile({ from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 11, 1).toISOString() }))
      .toBe("timesheet-2026-11-01-2026-11-30.csv");
  });
});
