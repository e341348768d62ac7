import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/client";
import { fromDraft, guessText, toDraft } from "../src/console/ai-categories";
import { changedFields } from "../src/console/audit-log";
import { fromRuleDraft, toRuleDraft } from "../src/console/ai-routing";
import { entries, lines, moved } from "../src/shared/lists";
import { errorText, invalidFields } from "../src/shared/ui";

describe("lists typed into one box", () => {
  it("keep commas inside a line when read one a line", () => {
    expect(lines(" where is my order, please\n\n  refund?  \n")).toEqual(["where is my order, please", "refund?"]);
  });
  it("split on commas, semicolons and line breaks otherwise", () => {
    expect(entries("credit card, invoice;\nrefund ,, ")).toEqual(["credit card", "invoice", "refund"]);
  });
});

describe("a category as the form holds it", () => {
  it("goes back to the API's shape, blanks as no group or priority", () => {
    const draft = toDraft({ name: "api_errors", description: "Errors from our API", examples: ["429, again", "500"], group: "platform", priority: "high" });
    expect(draft.examples).toBe("429, again\n500");
    expect(fromDraft({ ...draft, name: " api_errors ", group: "", priority: "" }))
      .toEqual({ name: "api_errors", description: "Errors from our API", examples: ["429, again", "500"], group: null, priority: null });
  });
});

describe("routing rules as the form holds them", () => {
  it("keep every condition through the round trip", () => {
    const rule = { group: "billing", keywords: ["credit card", "invoice"], categories: ["payment"], channels: ["email" as const], requester_domains: ["acme.example"] };
    expect(fromRuleDraft(toRuleDraft(rule))).toEqual({ ...rule, priority: null, tags: [] });
  });
  it("set a priority without a group, or both", () => {
    const vip = { priority: "high" as const, keywords: [], categories: [], channels: [], requester_domains: ["bigcustomer.com"] };
    expect(fromRuleDraft(toRuleDraft(vip))).toEqual({ ...vip, group: null, tags: [] });
    const both = { ...vip, group: "security", priority: "urgent" as const, tags: [] };
    expect(toRuleDraft(both)).toMatchObject({ group: "security", priority: "urgent" });
    expect(fromRuleDraft(toRuleDraft(both))).toEqual(both);
  });
  it("only tag, the tags typed as a list", () => {
    const tagging = { tags: ["vip", "outage"], keywords: ["down"], categories: [], channels: [], requester_domains: [] };
    expect(toRuleDraft(tagging).tags).toBe("vip, outage");
    expect(fromRuleDraft({ ...toRuleDraft(tagging), tags: "vip; outage ,," })).toEqual({ ...tagging, group: null, priority: null });
  });
  it("move within the list and no further", () => {
    expect(moved(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moved(["a", "b", "c"], 1, 5)).toEqual(["a", "c", "b"]);
  });
});

describe("a 422 names the entry to fix", () => {
  const details = { errors: [
    { loc: ["body", "categories", 0, "name"], type: "string_pattern_mismatch", msg: "String should match pattern '^[a-z][a-z0-9_]*$'" },
    { loc: ["body", "widget_origins"], type: "value_error", msg: "Value error, not an origin (https://host[:port]): 'www.x.com'" },
  ] };
  it("one 'where: why' per error, positions from 1", () => {
    expect(invalidFields(details)).toEqual([
      "categories › #1 › name: String should match pattern '^[a-z][a-z0-9_]*$'",
      "widget_origins: Value error, not an origin (https://host[:port]): 'www.x.com'",
    ]);
    expect(errorText(new ApiError(422, "validation_error", "request does not match the schema", details)))
      .toContain("(422 validation_error): categories › #1 › name");
  });
  it("nothing for other errors", () => {
    expect(invalidFields(null)).toEqual([]);
    expect(invalidFields({ field: "group" })).toEqual([]);
    expect(errorText(new ApiError(409, "conflict", "changed meanwhile"))).toBe("changed meanwhile (409 conflict)");
  });
});

describe("an audit entry's changes", () => {
  it("are the fields whose values differ, each shown short", () => {
    const before = { name: "Office", hours: { mon: [] }, holidays: ["2026-12-25"], id: "office" };
    const after = { name: "Head office", hours: { mon: [] }, holidays: ["2026-12-25", "2026-12-26"], id: "office", note: "x".repeat(200) };
    const changes = changedFields(before, after);
    expect(changes.map((c) => c.field)).toEqual(["holidays", "name", "note"]);
    expect(changes[1]).toEqual({ field: "name", before: '"Office"', after: '"Head office"' });
    expect(changes[2]?.before).toBe("—");
    expect(changes[2]?.after.length).toBe(120);
  });
  it("are every field of a creation", () => {
    expect(changedFields(null, { retention_days: 30 })).toEqual([{ field: "retention_days", before: "—", after: "30" }]);
  });
});

describe("where a tried ticket would go", () => {
  it("names the category, its group and the runners-up", () => {
    expect(guessText({ category: "api_errors", confidence: 0.934, group: "platform", method: "m",
      ranking: [["api_errors", 0.934], ["subscriptions", 0.04], ["sso_access", 0.02]] }))
      .toBe("api_errors (0.93), to platform; then subscriptions 0.04, sso_access 0.02");
    expect(guessText({ category: "billing", confidence: 0.5, group: null, method: "m", ranking: [] })).toBe("billing (0.50)");
    expect(guessText({ category: null, confidence: 0, method: "m" })).toBe("No category: triage would leave it unclassified.");
  });
});

describe("the chat widget's script tag on the AI screen", () => {
  it("loads the widget beside the console and talks to the API, for this tenant", async () => {
    const { widgetSnippet } = await import("../src/console/ai-settings");
    expect(widgetSnippet("https://help.acme.example", "https://abc.execute-api.eu-west-1.amazonaws.com/prod/", "acme")).toBe(
      '<script src="https://help.acme.example/widget/helpdesk-chat.js" data-tenant="acme" '
      + 'data-api="https://abc.execute-api.eu-west-1.amazonaws.com/prod"></script>');
    expect(widgetSnippet("http://127.0.0.1:8000", "http://127.0.0.1:8000", 'a"b')).toContain('data-tenant="a&quot;b"');
  });
});
