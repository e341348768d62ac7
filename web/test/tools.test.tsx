import { describe, expect, it } from "vitest";
import { changedValues } from "../src/console/field-changes";
import { fieldChanges } from "../src/console/macros";
import { countsById, describeFilters, filtersOf } from "../src/console/views";
import { when } from "../src/shared/format";

describe("saved views", () => {
  it("saves only the filters that are set", () => {
    expect(filtersOf({ status: "open", priority: "", tag: "  " })).toEqual({ status: "open" });
    expect(filtersOf({ assignee: "me", sla: "at_risk", priority: "high", tag: " vip " })).toEqual({
      assignee: "me", sla: "at_risk", priority: "high", tag: "vip",
    });
    expect(filtersOf({})).toEqual({});
    expect(filtersOf({ organization: "org-globex", priority: "" })).toEqual({ organization: "org-globex" });
  });

  it("maps counts by view and describes filters", () => {
    expect(countsById([{ view_id: "a", name: "A", count: 3 }, { view_id: "b", name: "B", count: 0 }])).toEqual({ a: 3, b: 0 });
    expect(describeFilters({ status: "open", tag: "vip", group: null })).toBe("status: open, tag: vip");
    expect(describeFilters(undefined)).toBe("all tickets");
  });
});

describe("macro preview", () => {
  const base = { status: "new" as const, priority: "normal" as const, group: null, assignee_id: null, tags: ["a", "b"] };
  it("lists only the fields a macro changes", () => {
    expect(fieldChanges(base, { ...base, tags: ["b", "a"] })).toEqual([]);
    expect(fieldChanges(base, { ...base, status: "pending", assignee_id: "sam", tags: ["a", "b", "c"] })).toEqual([
      { field: "status", from: "new", to: "pending" },
      { field: "assignee", from: "—", to: "sam" },
      { field: "tags", from: "a, b", to: "a, b, c" },
    ]);
  });
  it("names the snooze a macro sets; a snooze already over is none", () => {
    const until = new Date(Date.now() + 72 * 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect(fieldChanges({ ...base, snoozed_until: past }, { ...base, snoozed_until: until })).toEqual([
      { field: "snoozed until", from: "—", to: when(until) }]);
    expect(fieldChanges({ ...base, snoozed_until: past }, { ...base, snoozed_until: null })).toEqual([]);
  });
});

describe("macro preview of custom fields", () => {
  it("lists each field the fields_changed event sets or clears, by key", () => {
    const events = [{ type: "internal_note", data: { body: "n" } }, { type: "fields_changed", data: {
      from: { crm: 7, plan: "free", seats: 5 }, to: { plan: "pro", seats: 5, urgent: true } } }];
    expect(changedValues(events)).toEqual([
      { field: "crm", from: "7", to: "—" }, { field: "plan", from: "free", to: "pro" }, { field: "urgent", from: "—", to: "ticked" }]);
    expect(changedValues([{ type: "status_changed", data: {} }])).toEqual([]);
  });
});
