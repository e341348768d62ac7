import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketField } from "../src/api/types";
import { RequestFormName, TicketPage } from "../src/console/ticket";
import { keyFrom } from "../src/console/ticket-field-card";
import { editableFields, fits } from "../src/shared/ticket-field-inputs";
import { TicketFieldsAdmin } from "../src/console/ticket-fields-admin";
import { json } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

const PLAN: TicketField = { key: "plan", label: "Plan", type: "dropdown", options: ["free", "pro", "enterprise"], description: "", active: true };
const FIELDS: TicketField[] = [
  { key: "order_number", label: "Order number", type: "text", options: [], description: "From the order mail", active: true },
  PLAN,
  { key: "affected_users", label: "Affected users", type: "number", options: [], description: "", active: true },
  { key: "needs_engineering", label: "Needs engineering", type: "checkbox", options: [], description: "", active: true,
    required_to_resolve: true },
  { key: "legacy_sku", label: "Legacy SKU", type: "text", options: [], description: "", active: false },
];

/** Types into an input or picks in a select, and lets Preact render it (its updates are batched). */
async function enter(element: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  element.value = value;
  element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const button = (host: HTMLElement, text: string) =>
  [...host.querySelectorAll("button")].find((b) => b.textContent?.startsWith(text))!;

describe("the Ticket fields screen", () => {
  it("adds a dropdown keyed from its label, reorders and deactivates, and saves with the version it read", async () => {
    const puts: { body: { fields: TicketField[] }; ifMatch: string | null }[] = [];
    let version = 4;
    let refuse = true;
    const fetch = (async (url: string, init: RequestInit) => {
      if (init.method === "PUT") {
        const body = JSON.parse(String(init.body)) as { fields: TicketField[] };
        puts.push({ body, ifMatch: new Headers(init.headers).get("if-match") });
        if (refuse) return json({ error: { code: "concurrent_update", message: "it changed since it was read", details: null } }, 409);
        version += 1;
        return json({ ...body, version }, 200, `"${version}"`);
      }
      if (new URL(url).pathname === "/groups") return json([]);
      expect(new URL(url).pathname).toBe("/ticket-fields");
      return json({ fields: FIELDS.slice(0, 1), version }, 200, `"${version}"`);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketFieldsAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const form = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFormElement>("[data-testid=ticket-fields]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    const cards = () => [...form.querySelectorAll<HTMLElement>("[data-testid=ticket-field]")];
    expect(cards()[0]!.querySelector<HTMLInputElement>("[name=field-key]")!.readOnly).toBe(true); // tickets hold values under it

    button(host, "Add field").click();
    await vi.waitFor(() => expect(cards()).toHaveLength(2));
    const added = cards()[1]!;
    await enter(added.querySelector<HTMLInputElement>("[name=field-label]")!, "Plan tier");
    expect(added.querySelector<HTMLInputElement>("[name=field-key]")!.value).toBe("plan_tier");
    await enter(added.querySelector<HTMLSelectElement>("[name=field-type]")!, "dropdown");
    await enter(added.querySelector<HTMLTextAreaElement>("[name=field-options]")!, "free\n pro \n\nenterprise");
    added.querySelector<HTMLInputElement>("[name=field-required]")!.click(); // agents fill it before solving
    await vi.waitFor(() => expect(added.querySelector<HTMLInputElement>("[name=field-required]")!.checked).toBe(true));
    expect(added.querySelector("[name=field-required-of-customers]")).toBeNull(); // only for a field customers fill
    added.querySelector<HTMLInputElement>("[name=field-editable]")!.click(); // customers pick their plan
    const ofCustomers = await vi.waitFor(() => {
      const found = added.querySelector<HTMLInputElement>("[name=field-required-of-customers]");
      if (!found) throw new Error("not offered yet");
      return found;
    });
    const shownToThem = added.querySelector<HTMLInputElement>("[name=field-shown]")!;
    expect([shownToThem.checked, shownToThem.disabled]).toEqual([true, true]); // what they fill, they see
    ofCustomers.click();
    await vi.waitFor(() => expect(added.querySelector<HTMLInputElement>("[name=field-required-of-customers]")!.checked).toBe(true));
    button(added, "Up").click();
    await vi.waitFor(() => expect(cards()[0]!.querySelector("legend")?.textContent).toBe("Plan tier"));
    const order = cards()[1]!.querySelector<HTMLInputElement>("[name=field-active]")!;
    order.click();
    await vi.waitFor(() => expect(cards()[1]!.querySelector("legend")?.textContent).toContain("(not offered)"));

    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Another admin saved the ticket fields meanwhile"));
    expect(puts[0]!.ifMatch).toBe('"4"');
    expect(puts[0]!.body.fields).toEqual([
      { key: "plan_tier", label: "Plan tier", type: "dropdown", options: ["free", "pro", "enterprise"], description: "", active: true,
        required_to_resolve: true, customer_visible: true, customer_editable: true, required_for_customers: true },
      { ...FIELDS[0], active: false, required_to_resolve: false, customer_visible: false, customer_editable: false,
        required_for_customers: false },
    ]);

    version = 6; // what the other admin saved
    refuse = false;
    button(host, "Reload the ticket fields").click();
    await vi.waitFor(() => expect(cards()).toHaveLength(1)); // theirs, in place of the edits
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Ticket fields saved"));
    expect(puts[1]!.ifMatch).toBe('"6"');
  });

  it("makes keys the API takes from any label", () => {
    expect(keyFrom("Order number")).toBe("order_number");
    expect(keyFrom("  Résumé / CV #2 ")).toBe("resume_cv_2");
    expect(keyFrom("x".repeat(60))).toHaveLength(40);
    // A cut that ends on a separator drops it, as the server's field_key does (the key was "xxx…_" before).
    expect(keyFrom(`${"x".repeat(39)} more`)).toBe("x".repeat(39));
  });
});

describe("the ticket page's custom fields", () => {
  it("offers an input per active field and saves only what the agent changed, with the ticket's ETag", async () => {
    const values = { plan: "pro", crm_id: "C-7", legacy_sku: "SKU-9", affected_users: "many" };
    const ticket = {
      id: "t1", number: "T-000001", subject: "Export fails", description: "since the upgrade", status: "open", priority: "normal",
      channel: "api", requester: { id: "c1", email: "dana@example.com", name: null, email_verified: true }, requester_key: "email:dana@example.com",
      assignee_id: null, group: null, tags: [], custom_fields: values, participants: [], links: [], version: 3, form: "billing",
      created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", first_response_at: null, resolved_at: null, closed_at: null,
      ai: { cited_article_ids: [] },
    };
    const patches: { body: Record<string, unknown>; ifMatch: string | null }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1" && init.method === "PATCH") {
        patches.push({ body: JSON.parse(String(init.body)) as Record<string, unknown>, ifMatch: new Headers(init.headers).get("if-match") });
        return json(ticket, 200, '"4"');
      }
      if (path === "/tickets/t1") return json(ticket, 200, '"3"');
      if (path === "/ticket-fields") {
        const forms = [{ key: "billing", name: "Billing question", description: "", fields: [], group: null, active: false }];
        return json({ fields: FIELDS, forms, version: 2 }, 200, '"2"');
      }
      if (path === "/tickets/t1/assist") return json({ error: { code: "not_found", message: "not triaged", details: null } }, 404);
      if (path === "/tickets/t1/viewers/me") return json({ others: [], check_in_s: 20 });
      if (path === "/tickets" || path === "/users") return json({ items: [], next_cursor: null });
      return json([]); // events, groups, macros
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="a1" />, host);
    const input = <T extends Element>(key: string) => host.querySelector<T>(`[data-testid=field-${key}]`);
    const plan = await vi.waitFor(() => {
      const found = input<HTMLSelectElement>("plan");
      if (!found) throw new Error("no fields yet");
      return found;
    });
    expect(plan.value).toBe("pro");
    expect(host.querySelector("[data-testid=ticket-form]")!.textContent).toBe("form: Billing question"); // what they picked
    expect(input("needs_engineering")!.closest("label")!.textContent).toBe("Needs engineering (required to resolve)");
    expect([...plan.options].map((o) => o.value)).toEqual(["", "free", "pro", "enterprise"]);
    expect(input<HTMLInputElement>("order_number")!.value).toBe("");
    expect(input("legacy_sku")).toBeNull(); // no longer offered
    expect(input("affected_users")).toBeNull(); // its value is not a number: shown as it is, not in an input
    const readOnly = host.querySelector("[data-testid=custom-fields]")!.textContent;
    expect(readOnly).toContain("crm_id");
    expect(readOnly).toContain("SKU-9");
    expect(readOnly).toContain("many");
    expect(readOnly).not.toContain("pro");

    await enter(plan, "enterprise");
    await enter(input<HTMLInputElement>("order_number")!, "ORD-7");
    input<HTMLInputElement>("needs_engineering")!.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await enter(input<HTMLInputElement>("order_number")!, ""); // typed, then emptied again: cleared
    host.querySelector<HTMLFormElement>("form.props")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({ body: { custom_fields: { plan: "enterprise", order_number: null, needs_engineering: true } }, ifMatch: '"3"' });
  });

  it("names the request form a ticket was opened with, or gives its key when no form has it any more", () => {
    const host = document.body.appendChild(document.createElement("div"));
    const forms = [{ key: "billing", name: "Billing question", description: "", fields: [], group: null, active: true }];
    render(<RequestFormName forms={forms} formKey="billing" />, host);
    expect(host.textContent).toBe("form: Billing question");
    render(<RequestFormName forms={forms} formKey="returns" />, host);
    expect(host.textContent).toBe("form: returns");
  });

  it("takes a stored value only when it fits its field", () => {
    expect(fits(PLAN, "pro")).toBe(true);
    expect(fits(PLAN, "gold")).toBe(false); // an option removed since
    expect(fits(FIELDS[2]!, 3.5)).toBe(true);
    expect(fits(FIELDS[2]!, "3")).toBe(false);
    expect(fits(FIELDS[3]!, "yes")).toBe(false);
    expect(fits(FIELDS[0]!, null)).toBe(true);
    expect(editableFields(FIELDS, { plan: "gold" }).map((f) => f.key)).toEqual(["order_number", "affected_users", "needs_engineering"]);
  });
});
