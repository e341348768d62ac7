import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { bulkChanges, bulkSummary } from "../src/console/bulk-bar";
import { Queue } from "../src/console/queue";
import { listedTicket as ticket } from "./ticket-fixture";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a bulk change", () => {
  it("asks only for what was chosen, with 'me' and 'nobody' spelled as the API reads them", () => {
    expect(bulkChanges("", "", "", "", "ada")).toEqual({});
    expect(bulkChanges("pending", "high", "billing", "me", "ada")).toEqual({ status: "pending", priority: "high", group: "billing", assignee_id: "ada" });
    expect(bulkChanges("", "", "-", "-", "ada")).toEqual({ group: null, assignee_id: null });
    expect(bulkChanges("", "", "", "", "ada", " outage, vip ", ",")).toEqual({ add_tags: ["outage", "vip"] });
    expect(bulkChanges("", "", "", "", "ada", "", "", { plan: "pro", order_number: null })).toEqual({
      custom_fields: { plan: "pro", order_number: null } });
    expect(bulkChanges("", "", "", "", "ada", "", "", {}, "2026-12-07T08:00:00.000Z")).toEqual({ snoozed_until: "2026-12-07T08:00:00.000Z" });
    expect(bulkChanges("", "", "", "", "ada", "", "", {}, null)).toEqual({ snoozed_until: null }); // back now
  });
  it("says why a ticket could not make the change, not that it changed meanwhile", () => {
    const out = { counts: { updated: 0, conflict: 1, forbidden: 0, not_found: 0 }, results: [
      { id: "a", outcome: "conflict" as const, code: "invalid_transition", message: "only a ticket still to be solved is snoozed" }] };
    expect(bulkSummary(out, [ticket("a", "x", 1)])).toBe("0 tickets changed. Not changed: T-a: only a ticket still to be solved is snoozed.");
  });
  it("names each ticket left as it was, and why", () => {
    const out = { counts: { updated: 1, conflict: 1, forbidden: 1, not_found: 0 }, results: [
      { id: "a", outcome: "updated" as const, version: 2 },
      { id: "b", outcome: "conflict" as const, code: "conflict", message: "stale" },
      { id: "c", outcome: "forbidden" as const, code: "invalid_assignment", message: "bo is not in billing" },
    ] };
    expect(bulkSummary(out, [ticket("a", "x", 1), ticket("b", "y", 1), ticket("c", "z", 1)])).toBe(
      "1 ticket changed. Not changed: T-b: changed meanwhile, open it and try again; T-c: bo is not in billing.");
  });
});

describe("the queue's bulk bar", () => {
  it("changes the ticked tickets at the versions the list showed, says what happened and reads the list again", async () => {
    const posted: unknown[] = [];
    let lists = 0;
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      if (u.pathname === "/tickets/bulk") {
        posted.push(JSON.parse(String(init.body)));
        return Response.json({ counts: { updated: 1, conflict: 1, forbidden: 0, not_found: 0 }, results: [
          { id: "a", outcome: "updated", version: 4 }, { id: "b", outcome: "conflict", code: "conflict", message: "stale" }] });
      }
      if (u.pathname === "/tickets") {
        if (u.searchParams.get("limit") === "25") lists += 1;
        return Response.json({ items: [ticket("a", "Printer jams", 3), ticket("b", "VPN down", 7), ticket("c", "Invoice", 1)], next_cursor: null });
      }
      if (u.pathname === "/groups") return Response.json([{ id: "billing", name: "Billing", members: ["ada"] }]);
      return Response.json([]); // no saved views, users or organisations
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route="/" />, host);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=select-ticket]")).toHaveLength(3));
    expect(host.querySelector("[data-testid=bulk-bar]")).toBeNull(); // nothing ticked, no bar
    const boxes = [...host.querySelectorAll<HTMLInputElement>("[data-testid=select-ticket]")];
    boxes[0]!.click();
    boxes[1]!.click();
    const bar = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFormElement>("[data-testid=bulk-bar]");
      if (!found) throw new Error("no bar yet");
      return found;
    });
    expect(bar.textContent).toContain("2 selected");
    const status = bar.querySelector<HTMLSelectElement>("[name=bulk-status]")!;
    status.value = "pending";
    status.dispatchEvent(new Event("change", { bubbles: true }));
    const assignee = bar.querySelector<HTMLSelectElement>("[name=bulk-assignee]")!;
    assignee.value = "me";
    assignee.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 10));
    const before = lists;
    bar.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=bulk-notice]")?.textContent).toBe(
      "1 ticket changed. Not changed: T-b: changed meanwhile, open it and try again."));
    expect(posted).toEqual([{ ids: ["a", "b"], changes: { status: "pending", assignee_id: "ada" }, versions: { a: 3, b: 7 } }]);
    await vi.waitFor(() => expect(lists).toBe(before + 1));
    expect(host.querySelector("[data-testid=bulk-bar]")).toBeNull(); // the ticks are gone with the change

    host.querySelector<HTMLInputElement>("[data-testid=select-all]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=bulk-bar]")?.textContent).toContain("3 selected"));
  });
});

describe("search results", () => {
  it("tick and change their hits in bulk too, at the versions the hits showed", async () => {
    const { TicketSearchResults } = await import("../src/console/search");
    const posted: unknown[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      if (u.pathname === "/tickets/bulk") {
        posted.push(JSON.parse(String(init.body)));
        return Response.json({ counts: { updated: 1, conflict: 0, forbidden: 0, not_found: 0 }, results: [{ id: "b", outcome: "updated", version: 8 }] });
      }
      if (u.pathname === "/tickets/search") {
        return Response.json({ items: [{ ticket: ticket("a", "Printer jams", 3), snippets: [] }, { ticket: ticket("b", "Printer on fire", 7), snippets: [] }], next_cursor: null });
      }
      return Response.json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketSearchResults api={new ApiClient({ baseUrl: "https://api.example", fetch })} q="printer" filters={{}} me="ada" />, host);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=select-ticket]")).toHaveLength(2));
    host.querySelectorAll<HTMLInputElement>("[data-testid=select-ticket]")[1]!.click();
    const bar = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFormElement>("[data-testid=bulk-bar]");
      if (!found) throw new Error("no bar yet");
      return found;
    });
    const priority = bar.querySelector<HTMLSelectElement>("[name=bulk-priority]")!;
    priority.value = "urgent";
    priority.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 10));
    bar.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=bulk-notice]")?.textContent).toBe("1 ticket changed."));
    expect(posted).toEqual([{ ids: ["b"], changes: { priority: "urgent" }, versions: { b: 7 } }]);
  });
});

describe("the bulk bar's Set field", () => {
  it("offers the active fields with their typed inputs and sends what is picked as custom_fields", async () => {
    const posted: unknown[] = [];
    const fields = [{ key: "plan", label: "Plan", type: "dropdown", options: ["free", "pro"] },
      { key: "seats", label: "Seats", type: "number" }, { key: "old", label: "Old", type: "text", active: false }];
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      if (u.pathname === "/tickets/bulk") {
        posted.push(JSON.parse(String(init.body)));
        return Response.json({ counts: { updated: 2, conflict: 0, forbidden: 0, not_found: 0 }, results: [
          { id: "a", outcome: "updated", version: 4 }, { id: "b", outcome: "updated", version: 8 }] });
      }
      if (u.pathname === "/ticket-fields") return Response.json({ fields, version: 1 });
      if (u.pathname === "/tickets") return Response.json({ items: [ticket("a", "Printer jams", 3), ticket("b", "VPN down", 7)], next_cursor: null });
      return Response.json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route="/" />, host);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=select-ticket]")).toHaveLength(2));
    host.querySelector<HTMLInputElement>("[data-testid=select-all]")!.click();
    const picker = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[data-testid=bulk-bar] [name=bulk-field]");
      if (!found) throw new Error("no field picker yet");
      return found;
    });
    expect([...picker.options].map((o) => o.value)).toEqual(["", "plan", "seats"]); // not the inactive field
    picker.value = "plan";
    picker.dispatchEvent(new Event("change", { bubbles: true }));
    const plan = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[data-testid=field-plan]");
      if (!found) throw new Error("no input yet");
      return found;
    });
    plan.value = "pro";
    plan.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 10));
    host.querySelector("[data-testid=bulk-bar]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=bulk-notice]")?.textContent).toBe("2 tickets changed."));
    expect(posted).toEqual([{ ids: ["a", "b"], changes: { custom_fields: { plan: "pro" } }, versions: { a: 3, b: 7 } }]);
  });
});
