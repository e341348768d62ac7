import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Macro, TicketField } from "../src/api/types";
import { draftOf, EMPTY_MACRO, fieldsOf } from "../src/console/macro-form";
import { macroSummary, MacrosAdmin, mayChange, ownerGroups, shelves } from "../src/console/macros-admin";

const at = "2026-01-01T00:00:00Z";
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function macro(id: string, name: string, rest: Partial<Macro> = {}): Macro {
  return { id, name, tenant_id: "acme", created_by: "sam", created_at: at, updated_at: at, version: 1, scope: "personal",
    owner_id: "sam", description: "", actions: { reply: "Hi {{ requester.first_name }}", add_tags: [], remove_tags: [] }, ...rest };
}

const FIELDS: TicketField[] = [
  { key: "plan", label: "Plan", type: "dropdown", options: ["free", "pro"], required_to_resolve: true },
  { key: "order_number", label: "Order number", type: "text" },
  { key: "needs_engineering", label: "Needs engineering", type: "checkbox" },
  { key: "legacy_sku", label: "Legacy SKU", type: "text", active: false },
];

const GROUPS = [{ id: "billing", name: "Billing", members: [], tenant_id: "acme", created_at: at, updated_at: at },
  { id: "platform", name: "Platform", members: [], tenant_id: "acme", created_at: at, updated_at: at }];

describe("a macro in one line", () => {
  it("says what applying does", () => {
    expect(macroSummary({ reply: "r", note: "n", status: "pending", priority: "high", group: "billing", assign_to_me: true,
      add_tags: ["vip"], remove_tags: ["new"] }, (id) => id === "billing" ? "Billing" : id))
      .toBe("Reply · Internal note · Status → pending · Priority → high · Group → Billing · Assign to me · Tags +vip −new");
    expect(macroSummary({ status: "resolved" })).toBe("Status → resolved");
    expect(macroSummary({})).toBe("");
  });
  it("goes to the API as typed, blank templates and fields left as nothing", () => {
    expect(draftOf({ ...EMPTY_MACRO, name: " Refund ", reply: " ", note: "Checked {{ ticket.number }}", addTags: "refund, vip;",
      scope: "personal", group: "billing" })).toEqual({ name: "Refund", description: "", scope: "personal", group: null,
      actions: { reply: null, note: "Checked {{ ticket.number }}", format: "markdown", status: null, priority: null, group: null, assign_to_me: false,
        add_tags: ["refund", "vip"], remove_tags: [] } });
    const m = macro("m1", "Refund", { scope: "group", group: "billing", actions: { status: "pending", add_tags: ["a", "b"] } });
    expect(draftOf(fieldsOf(m))).toEqual({ name: "Refund", description: "", scope: "group", group: "billing",
      actions: { reply: null, note: null, format: "text", status: "pending", priority: null, group: null, assign_to_me: false, add_tags: ["a", "b"],
        remove_tags: [] } }); // a macro saved before as text stays text until its reply or note is written here
  });
});

describe("who may change which macro (kernel/sharing.py)", () => {
  const tenant = macro("t", "T", { scope: "tenant", owner_id: null });
  const billing = macro("g", "G", { scope: "group", group: "billing", owner_id: null });
  it("leaves tenant macros to admins and group macros to the group's agents", () => {
    expect(mayChange(tenant, { admin: false, groups: [] })).toBe(false);
    expect(mayChange(tenant, { admin: true, groups: [] })).toBe(true);
    expect(mayChange(billing, { admin: false, groups: ["platform"] })).toBe(false);
    expect(mayChange(billing, { admin: false, groups: ["billing"] })).toBe(true);
    expect(mayChange(billing, { admin: false, groups: [] })).toBe(true); // agents without groups work every group
    expect(mayChange(macro("p", "P"), { admin: false, groups: ["platform"] })).toBe(true);
  });
  it("offers an agent their token's groups, others every group", () => {
    expect(ownerGroups({ admin: false, groups: ["billing", "legacy"] }, GROUPS)).toEqual([{ id: "billing", name: "Billing" }, { id: "legacy", name: "legacy" }]);
    expect(ownerGroups({ admin: false, groups: [] }, GROUPS).map((g) => g.id)).toEqual(["billing", "platform"]);
    expect(ownerGroups({ admin: true, groups: ["billing"] }, GROUPS).map((g) => g.id)).toEqual(["billing", "platform"]);
  });
  it("shelves personal, then each group's, then the tenant's", () => {
    const list = [macro("p", "P"), billing, macro("h", "H", { scope: "group", group: "platform", owner_id: null }), tenant];
    expect(shelves(list, (id) => id.toUpperCase()).map((s) => [s.title, s.macros.map((m) => m.id)])).toEqual([
      ["Only me", ["p"]], ["Group: BILLING", ["g"]], ["Group: PLATFORM", ["h"]], ["Everyone in the team", ["t"]]]);
  });
});

/** The screen in a page (happy-dom fires no change event off the page), with `fetch` answering its calls. */
function mount(props: { admin: boolean; groups: string[] }, answer: (method: string, path: string, body: unknown) => Response | undefined) {
  const calls: { method: string; path: string; body: unknown; ifMatch: string | null }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const method = String(init.method);
    calls.push({ method, path, body, ifMatch: (init.headers as Record<string, string>)["if-match"] ?? null });
    // Every list route answers a list, whatever the story: an object where a list belongs makes preact re-render forever.
    return answer(method, path, body) ?? json(path === "/groups" ? GROUPS : []);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<MacrosAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} {...props} />, host);
  const field = <T extends Element = HTMLInputElement>(name: string) => host.querySelector(`[name='${name}']`) as T | null;
  const type = (name: string, value: string) => {
    const input = field(name)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const choose = (name: string, value: string) => {
    const select = field<HTMLSelectElement>(name)!;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const submit = async () => {
    await new Promise((rendered) => setTimeout(rendered, 10)); // the form's handlers see what was typed
    host.querySelector("[data-testid=macro-form]")!.dispatchEvent(new Event("submit", { cancelable: true }));
  };
  const click = (selector: string) => host.querySelector<HTMLElement>(selector)!.click();
  const shown = (selector: string) => vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });
  const says = (selector: string, text: string) =>
    vi.waitFor(() => expect(host.querySelector(selector)?.textContent ?? "").toContain(text), { timeout: 2000 });
  return { host, calls, field, type, choose, submit, click, shown, says };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("Macros screen", () => {
  it("lists an agent's macros by whom they are for, with no edit or delete for the team's", async () => {
    const list = [macro("p1", "Invoice resent", { description: "after a billing call", actions: { reply: "Hi", status: "pending", add_tags: ["invoice"] } }),
      macro("g1", "Escalate", { scope: "group", group: "billing", owner_id: null, actions: { note: "n", priority: "high" } }),
      macro("t1", "Thanks", { scope: "tenant", owner_id: null, actions: { reply: "Thanks", status: "resolved" } })];
    const { host, shown } = mount({ admin: false, groups: ["billing"] }, (method, path) => (path === "/macros" ? json(list) : undefined));
    await shown("[data-macro-id=t1]");
    await vi.waitFor(() => expect([...host.querySelectorAll("[data-testid=macro-shelf] h2")].map((h) => h.textContent))
      .toEqual(["Only me", "Group: Billing", "Everyone in the team"]), { timeout: 2000 });
    const row = (id: string) => host.querySelector(`[data-macro-id=${id}]`)!;
    expect(row("p1").querySelector("[data-testid=macro-summary]")!.textContent).toBe("Reply · Status → pending · Tags +invoice");
    expect(row("p1").textContent).toContain("after a billing call");
    expect(row("g1").querySelector("[data-testid=edit-macro]")).not.toBeNull();
    expect(row("t1").querySelector("[data-testid=edit-macro], [data-testid=delete-macro]")).toBeNull();
    expect(row("t1").querySelector("[data-testid=macro-read-only]")!.textContent).toContain("Admins");
  });

  it("creates a macro; the scope offers an agent their groups and never the tenant", async () => {
    let list: Macro[] = [];
    const { host, calls, field, type, choose, submit, click, shown, says } = mount({ admin: false, groups: ["billing"] }, (method, path, body) => {
      if (path === "/macros" && method === "POST") {
        list = [macro("n1", (body as Macro).name, { ...(body as Macro), owner_id: null })];
        return json(list[0], 201, { etag: '"1"' });
      }
      return path === "/macros" ? json(list) : undefined;
    });
    await shown("[data-testid=macros-empty]");
    click("[data-testid=new-macro]");
    await shown("[data-testid=macro-form]");
    expect(host.querySelector("[data-testid=macro-placeholders]")!.textContent).toContain("{{ requester.first_name }}");
    expect([...field<HTMLSelectElement>("macro-scope")!.options].map((o) => o.value)).toEqual(["personal", "group"]);
    type("macro-name", "Refund sent");
    choose("macro-scope", "group");
    await shown("[name=macro-group]");
    expect([...field<HTMLSelectElement>("macro-group")!.options].map((o) => o.value)).toEqual(["billing"]);
    type("macro-reply", "Hi {{ requester.first_name }}, the refund for {{ ticket.number }} is on its way.");
    choose("macro-status", "pending");
    type("macro-add-tags", "refund, billing");
    field("macro-assign-to-me")!.click();
    await submit();
    await says("[data-testid=macros-notice]", "Macro “Refund sent” created");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Refund sent", description: "", scope: "group", group: "billing",
      actions: { reply: "Hi {{ requester.first_name }}, the refund for {{ ticket.number }} is on its way.", note: null, format: "markdown", status: "pending",
        priority: null, group: null, assign_to_me: true, add_tags: ["refund", "billing"], remove_tags: [] } });
    await shown("[data-macro-id=n1]");
    expect(field("macro-name")).toBeNull(); // the form closes once saved
  });

  it("saves an edit with the macro's version as If-Match; a 409 offers their version, a 422 names the field", async () => {
    let current = macro("p1", "Invoice resent", { version: 3, actions: { reply: "Hi", status: "pending" } });
    let answer: "conflict" | "invalid" | "ok" = "conflict";
    const { host, calls, field, type, submit, click, shown, says } = mount({ admin: false, groups: [] }, (method, path, body) => {
      if (path === "/macros") return json([current]);
      if (path === "/macros/p1" && method === "GET") return json(current, 200, { etag: `"${current.version}"` });
      if (path === "/macros/p1" && method === "PUT") {
        if (answer === "conflict") return json({ error: { code: "concurrent_update", message: "the macro changed since you read it", details: { expected_version: 3, current_version: 4 } } }, 409);
        if (answer === "invalid") {
          return json({ error: { code: "validation_error", message: "request does not match the schema", details: { errors: [
            { loc: ["body", "actions", "add_tags"], type: "value_error", msg: "Value error, tags are 1 to 64 characters" }] } } }, 422);
        }
        current = { ...current, ...(body as Macro), version: (current.version ?? 1) + 1 };
        return json(current, 200, { etag: `"${current.version}"` });
      }
      return undefined;
    });
    await shown("[data-macro-id=p1] [data-testid=edit-macro]");
    click("[data-macro-id=p1] [data-testid=edit-macro]");
    await shown("[data-testid=macro-form]");
    expect(field("macro-name")!.value).toBe("Invoice resent");
    expect(field<HTMLSelectElement>("macro-status")!.value).toBe("pending");
    type("macro-name", "Invoice sent again");

    // Someone saved it meanwhile (version 4): the form keeps the edit and offers their version.
    current = { ...current, version: 4, actions: { ...current.actions, note: "their note" } };
    await submit();
    await says("[role=alert]", "Someone changed this macro since you opened it");
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.ifMatch)).toEqual(['"3"']);
    expect(host.querySelector("[role=alert]")!.textContent).toContain("409 concurrent_update");
    expect(field("macro-name")!.value).toBe("Invoice sent again");
    [...host.querySelectorAll<HTMLButtonElement>("[data-testid=macro-conflict] button")].find((b) => b.textContent === "Reload their version")!.click();
    await vi.waitFor(() => expect(field<HTMLTextAreaElement>("macro-note")?.value).toBe("their note"), { timeout: 2000 });
    expect(field("macro-name")!.value).toBe("Invoice resent");
    expect(host.querySelector("[role=alert]")).toBeNull();

    // A tag the API refuses: the 422 names the field, the form keeps what was typed.
    answer = "invalid";
    type("macro-add-tags", "x".repeat(70));
    await submit();
    await says("[role=alert]", "actions › add_tags: Value error, tags are 1 to 64 characters");
    expect(field("macro-add-tags")!.value).toBe("x".repeat(70));
    expect(host.querySelector("[data-testid=macro-conflict]")).toBeNull();

    answer = "ok";
    type("macro-add-tags", "invoice");
    await submit();
    await says("[data-testid=macros-notice]", "Macro “Invoice resent” saved");
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.ifMatch)).toEqual(['"3"', '"4"', '"4"']);
    // saved as text before, its note untouched here: still text
    expect(calls.filter((c) => c.method === "PUT").at(-1)!.body).toMatchObject({ actions: { note: "their note", add_tags: ["invoice"], format: "text" } });
    await says("[data-macro-id=p1] [data-testid=macro-summary]", "Tags +invoice");

    // its note written here: Markdown from now on, as the form's hint says
    click("[data-macro-id=p1] [data-testid=edit-macro]");
    await shown("[data-testid=macro-form]");
    type("macro-note", "**Resent** by {{ agent.name }}");
    await submit();
    await vi.waitFor(() => expect(calls.filter((c) => c.method === "PUT")).toHaveLength(4));
    expect(calls.filter((c) => c.method === "PUT").at(-1)!.body).toMatchObject({ actions: { note: "**Resent** by {{ agent.name }}", format: "markdown" } });
  });

  it("deletes only after a second click", async () => {
    let list = [macro("p1", "Old one")];
    const { host, calls, click, shown, says } = mount({ admin: true, groups: [] }, (method, path) => {
      if (method === "DELETE") {
        list = [];
        return json(null, 204);
      }
      return path === "/macros" ? json(list) : undefined;
    });
    await shown("[data-macro-id=p1] [data-testid=delete-macro]");
    click("[data-macro-id=p1] [data-testid=delete-macro]");
    await shown("[data-testid=delete-macro-confirm]");
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    click("[data-testid=delete-macro-confirm]");
    await says("[data-testid=macros-notice]", "Macro “Old one” deleted");
    await shown("[data-testid=macros-empty]");
    expect(calls.find((c) => c.method === "DELETE")?.path).toBe("/macros/p1");
    expect(host.querySelector("[data-macro-id=p1]")).toBeNull();
  });
});

describe("a macro's custom fields", () => {
  it("go to the API as the merge patch picked (null clears), and only when some are picked", () => {
    expect(draftOf({ ...EMPTY_MACRO, name: "Pro", fieldValues: { plan: "pro", order_number: null } }).actions.custom_fields)
      .toEqual({ plan: "pro", order_number: null });
    expect("custom_fields" in draftOf({ ...EMPTY_MACRO, name: "None" }).actions).toBe(false);
    const m = macro("m1", "Pro", { actions: { custom_fields: { plan: "pro", crm_id: null } } });
    expect(fieldsOf(m).fieldValues).toEqual({ plan: "pro", crm_id: null });
    expect(macroSummary(m.actions, undefined, (key) => FIELDS.find((f) => f.key === key)?.label ?? key))
      .toBe("Plan → pro, crm_id cleared");
    expect(macroSummary({ status: "resolved", custom_fields: { needs_engineering: true } })).toBe("Status → resolved · needs_engineering → ticked");
  });

  it("are picked from the active fields and filled with the ticket page's inputs", async () => {
    const { host, calls, field, type, choose, submit, click, shown, says } = mount({ admin: true, groups: [] }, (method, path, body) => {
      if (path === "/ticket-fields") return json({ fields: FIELDS, version: 1 });
      if (path === "/macros" && method === "POST") return json(macro("n1", (body as Macro).name, body as Partial<Macro>), 201);
      return undefined;
    });
    await shown("[data-testid=macros-empty]");
    click("[data-testid=new-macro]");
    await shown("[name=macro-set-field]");
    expect([...field<HTMLSelectElement>("macro-set-field")!.options].map((o) => o.value))
      .toEqual(["", "plan", "order_number", "needs_engineering"]); // the inactive field is not offered
    type("macro-name", "Upgrade to pro");
    choose("macro-status", "resolved");
    choose("macro-set-field", "plan");
    await shown("[data-testid=field-plan]");
    expect(host.querySelector("[data-testid=macro-set-field-changes]")!.textContent).toContain("Plan (required to resolve)");
    choose("macro-set-field", "needs_engineering");
    await shown("[data-testid=field-needs_engineering]");
    expect(host.querySelector<HTMLInputElement>("[data-testid=field-needs_engineering]")!.checked).toBe(true); // ticked when picked
    choose("macro-set-field", "order_number");
    await shown("[data-testid=field-order_number]");
    expect(field("macro-set-field")).toBeNull(); // every active field picked: nothing more to offer
    const plan = host.querySelector<HTMLSelectElement>("[data-testid=field-plan]")!;
    plan.value = "pro";
    plan.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((rendered) => setTimeout(rendered, 10)); // the form holds the plan before the next click
    // the order number left empty: the macro clears it; "Needs engineering" left out again
    [...host.querySelectorAll<HTMLButtonElement>("[data-testid=field-change] button")].find((b) => b.textContent?.includes("Needs engineering"))!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=field-needs_engineering]")).toBeNull(), { timeout: 2000 });
    await submit();
    await says("[data-testid=macros-notice]", "Macro “Upgrade to pro” created");
    expect(calls.find((c) => c.method === "POST")?.body).toMatchObject({
      name: "Upgrade to pro", actions: { status: "resolved", custom_fields: { plan: "pro", order_number: null } } });
    expect(Object.keys((calls.find((c) => c.method === "POST")!.body as Macro).actions.custom_fields ?? {})).toEqual(["plan", "order_number"]);
  });

  it("keeps, listed, a value no active field shows, and says the API's refusal of a value", async () => {
    const current = macro("p1", "Legacy", { actions: { custom_fields: { legacy_sku: "SKU-1", plan: "pro" } } });
    const { host, calls, submit, click, shown, says } = mount({ admin: true, groups: [] }, (method, path) => {
      if (path === "/ticket-fields") return json({ fields: FIELDS, version: 1 });
      if (path === "/macros") return json([current]);
      if (path === "/macros/p1" && method === "PUT") {
        return json({ error: { code: "invalid_field_value", message: "custom_fields.plan (Plan) takes one of its options",
          details: { field: "actions.custom_fields", key: "plan", type: "dropdown", options: ["free"] } } }, 422);
      }
      return undefined;
    });
    await says("[data-macro-id=p1] [data-testid=macro-summary]", "Legacy SKU → SKU-1, Plan → pro");
    click("[data-macro-id=p1] [data-testid=edit-macro]");
    await shown("[data-testid=field-kept]");
    expect(host.querySelector("[data-testid=field-kept]")!.textContent).toContain("Legacy SKU: SKU-1");
    expect(host.querySelector<HTMLSelectElement>("[data-testid=field-plan]")!.value).toBe("pro");
    await submit();
    await says("[role=alert]", "takes one of its options");
    expect(calls.find((c) => c.method === "PUT")?.body).toMatchObject({ actions: { custom_fields: { legacy_sku: "SKU-1", plan: "pro" } } });
    expect(host.querySelector<HTMLSelectElement>("[data-testid=field-plan]")!.value).toBe("pro"); // the form keeps it
  });
});

describe("a macro that snoozes", () => {
  it("goes to the API in hours, comes back into the form and reads as a snooze in its line", () => {
    const draft = draftOf({ ...EMPTY_MACRO, name: "Waiting for the supplier", note: "Asked them", status: "pending", snoozeHours: 72 });
    expect(draft.actions.snooze_hours).toBe(72);
    expect("snooze_hours" in draftOf({ ...EMPTY_MACRO, name: "No snooze", note: "n" }).actions).toBe(false);
    expect(macroSummary(draft.actions)).toBe("Internal note · Status → pending · Snooze 3 days");
    expect(macroSummary({ note: "n", snooze_hours: 10 })).toBe("Internal note · Snooze 10 hours");
    const at = "2026-01-01T00:00:00Z";
    const macro = { ...draft, id: "m1", tenant_id: "acme", created_by: "ada", created_at: at, updated_at: at, version: 1 };
    expect(fieldsOf(macro).snoozeHours).toBe(72);
  });
});
