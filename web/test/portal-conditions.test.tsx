// A request form that asks some fields only after a given answer (conditional fields): "Device" Laptop asks the serial
// number, required then; a ticked "Under warranty" asks the receipt. What is not asked is neither shown nor sent, a
// value typed before the answer changed included.
import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketField, TicketForm } from "../src/api/types";
import { PortalLanguage } from "../src/portal/i18n";
import { askedNow } from "../src/shared/ticket-field-inputs";
import { NewTicket } from "../src/portal/tickets";

const field = (key: string, label: string, type: TicketField["type"], extra: Partial<TicketField> = {}): TicketField => ({
  key, label, type, options: [], description: "", active: true, customer_visible: true, customer_editable: true, ...extra });
const FIELDS = [
  field("device", "Device", "dropdown", { options: ["Laptop", "Phone"], required_for_customers: true }),
  field("serial", "Serial number", "text"),
  field("carrier", "Carrier", "text", { required_for_customers: true }),
  field("warranty", "Under warranty", "checkbox"),
  field("receipt", "Receipt number", "text"),
];
const HARDWARE: TicketForm = {
  key: "hardware", name: "Broken device", description: "", group: null, active: true,
  fields: ["device", "serial", "carrier", "warranty", "receipt"],
  conditions: [{ when: "device", value: "Laptop", show: ["serial"], required: ["serial"] },
    { when: "device", value: "Phone", show: ["carrier", "warranty"], required: [] },
    { when: "warranty", value: true, show: ["receipt"], required: ["receipt"] }],
};

describe("a form's fields asked after an answer", () => {
  it("follows the answers, nested conditions too, as the API does", () => {
    const keys = (values: Record<string, unknown>) => {
      const { asked, requiredNow } = askedNow(FIELDS, HARDWARE, values);
      return [asked.map((f) => f.key), [...requiredNow]];
    };
    expect(keys({})).toEqual([["device"], []]);
    expect(keys({ device: "Laptop", warranty: true })).toEqual([["device", "serial"], ["serial"]]);
    expect(keys({ device: "Phone" })).toEqual([["device", "carrier", "warranty"], []]);
    expect(keys({ device: "Phone", warranty: true })).toEqual([["device", "carrier", "warranty", "receipt"], ["receipt"]]);
    expect(askedNow(FIELDS, null, {}).asked).toHaveLength(5); // something else: every field
  });

  it("shows a field once its answer is given, requires it where the form says, and sends only what is asked", async () => {
    const sent: Record<string, unknown>[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      if (new URL(url).pathname === "/ticket-fields") return Response.json({ version: 1, fields: FIELDS, forms: [HARDWARE] });
      sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return Response.json({ id: "t1", number: "T-000001" }, { status: 201 });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<PortalLanguage.Provider value="en"><NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} /></PortalLanguage.Provider>, host);
    await vi.waitFor(() => expect(host.querySelector('[data-testid="request-form"][value="hardware"]')).not.toBeNull());
    const settle = () => new Promise((r) => setTimeout(r, 0));
    host.querySelector<HTMLInputElement>('[data-testid="request-form"][value="hardware"]')!.click();
    await settle();
    const asked = () => [...host.querySelectorAll<HTMLInputElement>('[data-testid^="field-"]')].map((i) => [i.dataset.testid, i.required]);
    const choose = async (key: string, value: string) => {
      const select = host.querySelector<HTMLSelectElement>(`[data-testid="field-${key}"]`)!;
      select.value = value;
      select.dispatchEvent(new Event("change"));
      await settle();
    };
    const type = async (selector: string, value: string) => {
      const input = host.querySelector<HTMLInputElement>(selector)!;
      input.value = value;
      input.dispatchEvent(new Event("input"));
      await settle();
    };
    expect(asked()).toEqual([["field-device", true]]);
    await choose("device", "Laptop");
    expect(asked()).toEqual([["field-device", true], ["field-serial", true]]);
    await type('[data-testid="field-serial"]', "SN-1"); // typed, then the answer changes: not sent
    await choose("device", "Phone");
    expect(asked()).toEqual([["field-device", true], ["field-carrier", true], ["field-warranty", false]]);
    host.querySelector<HTMLInputElement>('[data-testid="field-warranty"]')!.click();
    await settle();
    expect(asked().at(-1)).toEqual(["field-receipt", true]);
    expect(host.querySelector('[data-testid="field-receipt"]')!.closest("label")!.textContent).toContain("Receipt number (required)");
    await type('[data-testid="field-carrier"]', "Telekom");
    await type('[data-testid="field-receipt"]', "R-1");
    await type('[data-testid="new-subject"]', "Screen cracked");
    await type('[data-testid="new-description"]', "Dropped it");
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ subject: "Screen cracked", description: "Dropped it", form: "hardware",
      custom_fields: { device: "Phone", carrier: "Telekom", warranty: true, receipt: "R-1" } });
    window.location.hash = ""; // the window is shared with the other test files (isolate: false)
    host.remove();
  });
});
