import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketField, TicketForm } from "../src/api/types";
import { TicketFieldsAdmin } from "../src/console/ticket-fields-admin";
import { json } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

const FIELDS: TicketField[] = [
  { key: "order_number", label: "Order number", type: "text", options: [], description: "", active: true,
    customer_visible: true, customer_editable: true, required_for_customers: true },
  { key: "plan", label: "Plan", type: "dropdown", options: ["free", "pro"], description: "", active: true,
    customer_visible: true, customer_editable: true },
  { key: "churn_risk", label: "Churn risk", type: "checkbox", options: [], description: "", active: true }, // the team's
];
const BILLING: TicketForm = { key: "billing", name: "Billing question", description: "Invoices and refunds",
  fields: ["plan", "order_number"], group: "g_billing", active: true };
const GROUPS = [
  { id: "g_billing", name: "Billing", tenant_id: "t", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" },
  { id: "g_tech", name: "Tech", tenant_id: "t", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" },
];

/** Types into an input or picks in a select, and lets Preact render it (its updates are batched). */
async function enter(element: HTMLInputElement | HTMLSelectElement, value: string) {
  element.value = value;
  element.dispatchEvent(new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const button = (host: HTMLElement, text: string) =>
  [...host.querySelectorAll("button")].find((b) => b.textContent?.startsWith(text))!;

describe("the request forms on the Ticket fields screen", () => {
  it("adds, reorders, deactivates and removes forms, and saves them with the fields and the version read", async () => {
    const puts: { body: { fields: TicketField[]; forms: TicketForm[] }; ifMatch: string | null }[] = [];
    let version = 3;
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/groups") return json(GROUPS);
      if (init.method === "PUT") {
        const body = JSON.parse(String(init.body)) as { fields: TicketField[]; forms: TicketForm[] };
        puts.push({ body, ifMatch: new Headers(init.headers).get("if-match") });
        version += 1;
        return json({ ...body, version }, 200, `"${version}"`);
      }
      return json({ fields: FIELDS, forms: [BILLING], version }, 200, `"${version}"`);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketFieldsAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const cards = () => [...host.querySelectorAll<HTMLElement>("[data-testid=ticket-form]")];
    const billing = await vi.waitFor(() => {
      const found = cards()[0];
      if (!found || found.querySelectorAll("[name=form-group] option").length < 3) throw new Error("not loaded");
      return found;
    });
    expect(billing.querySelector("legend")!.textContent).toBe("Billing question");
    expect(billing.querySelector<HTMLInputElement>("[name=form-key]")!.readOnly).toBe(true); // tickets carry it
    const asked = (card: HTMLElement) => [...card.querySelectorAll<HTMLInputElement>("[name=form-field]")];
    // only the fields customers fill in, in the fields' order; the required one says so
    expect(asked(billing).map((c) => [c.value, c.checked, c.closest("label")!.textContent])).toEqual([
      ["order_number", true, "Order number (required)"], ["plan", true, "Plan"]]);
    expect(billing.querySelector<HTMLSelectElement>("[name=form-group]")!.value).toBe("g_billing");

    button(host, "Add form").click();
    await vi.waitFor(() => expect(cards()).toHaveLength(2));
    const bug = cards()[1]!;
    await enter(bug.querySelector<HTMLInputElement>("[name=form-name]")!, "Bug report");
    expect(bug.querySelector<HTMLInputElement>("[name=form-key]")!.value).toBe("bug_report");
    expect(bug.querySelector<HTMLInputElement>("[name=form-key]")!.readOnly).toBe(false);
    await enter(bug.querySelector<HTMLInputElement>("[name=form-description]")!, " Something does not work ");
    asked(bug)[1]!.click(); // the plan
    await tick();
    await enter(bug.querySelector<HTMLSelectElement>("[name=form-group]")!, "g_tech");
    button(bug, "Up").click();
    await vi.waitFor(() => expect(cards()[0]!.querySelector("legend")!.textContent).toBe("Bug report"));
    cards()[1]!.querySelector<HTMLInputElement>("[name=form-active]")!.click(); // billing no longer offered
    await vi.waitFor(() => expect(cards()[1]!.querySelector("legend")!.textContent).toBe("Billing question (not offered)"));
    button(host, "Add form").click();
    await vi.waitFor(() => expect(cards()).toHaveLength(3));
    button(cards()[2]!, "Remove").click(); // added by mistake
    await vi.waitFor(() => expect(cards()).toHaveLength(2));

    const form = host.querySelector<HTMLFormElement>("[data-testid=ticket-fields]")!;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Ticket fields saved"));
    expect(puts[0]!.ifMatch).toBe('"3"');
    expect(puts[0]!.body.fields.map((f) => f.key)).toEqual(["order_number", "plan", "churn_risk"]); // one document
    expect(puts[0]!.body.forms).toEqual([
      { key: "bug_report", name: "Bug report", description: "Something does not work", fields: ["plan"], group: "g_tech", active: true,
        conditions: [] }, // always sent: the API replaces the document
      { ...BILLING, fields: ["order_number", "plan"], active: false, conditions: [] }, // asked in the fields' order
    ]);

    // A field customers no longer fill in leaves the forms (the API refuses a form asking it).
    const plan = [...host.querySelectorAll<HTMLElement>("[data-testid=ticket-field]")][1]!;
    plan.querySelector<HTMLInputElement>("[name=field-editable]")!.click();
    await vi.waitFor(() => expect(asked(cards()[0]!)).toHaveLength(1));
    await enter(cards()[0]!.querySelector<HTMLSelectElement>("[name=form-group]")!, "");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]!.ifMatch).toBe('"4"');
    expect(puts[1]!.body.forms.map((f) => [f.key, f.fields, f.group])).toEqual([["bug_report", [], null], ["billing", ["order_number"], "g_billing"]]);
  });
});
