// The conditions of a request form on the Ticket fields screen ("Asked only when…"): fields a form asks only after a
// given answer to one of its dropdowns or checkboxes. Saving the screen must never lose them.
import axe from "axe-core";
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketField, TicketForm } from "../src/api/types";
import { TicketFieldsAdmin } from "../src/console/ticket-fields-admin";
import { json } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

const fillable = (key: string, label: string, type: TicketField["type"], options: string[] = []): TicketField =>
  ({ key, label, type, options, description: "", active: true, customer_visible: true, customer_editable: true });
const FIELDS: TicketField[] = [
  fillable("device", "Device", "dropdown", ["laptop", "phone", "tablet"]),
  fillable("serial", "Serial number", "text"),
  fillable("under_warranty", "Under warranty", "checkbox"),
  fillable("receipt", "Receipt number", "text"),
  fillable("os", "Operating system", "dropdown", ["android", "ios"]),
  fillable("notes", "Notes", "text"),
];
// Nested (the warranty checkbox is itself shown by the device), and `show` not in the fields' order: kept as given.
const REPAIR: TicketForm = {
  key: "repair", name: "Repair", description: "", group: null, active: true,
  fields: ["device", "serial", "under_warranty", "receipt", "os", "notes"],
  conditions: [
    { when: "device", value: "laptop", show: ["under_warranty", "serial"], required: ["serial"] },
    { when: "under_warranty", value: true, show: ["receipt"], required: [] },
    { when: "device", value: "phone", show: ["os"], required: [] },
  ],
};

/** The screen on a fake API giving `forms`; `puts` collects the bodies it is sent. */
async function mount(forms: TicketForm[], fields: TicketField[] = FIELDS) {
  const puts: { fields: TicketField[]; forms: TicketForm[] }[] = [];
  let version = 1;
  const fetch = (async (url: string, init: RequestInit) => {
    if (new URL(url).pathname === "/groups") return json([]);
    if (init.method === "PUT") {
      const body = JSON.parse(String(init.body)) as { fields: TicketField[]; forms: TicketForm[] };
      puts.push(body);
      version += 1;
      return json({ ...body, version }, 200, `"${version}"`);
    }
    return json({ fields, forms, version }, 200, `"${version}"`);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketFieldsAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
  const form = await vi.waitFor(() => {
    const found = host.querySelector<HTMLFormElement>("[data-testid=ticket-fields]");
    if (!found || !found.querySelector("[data-testid=ticket-form]")) throw new Error("not loaded");
    return found;
  });
  /** Saves the screen: the body sent, once the screen shows what the API answered (new cards: new drafts). */
  const save = async () => {
    const before = puts.length;
    const card = host.querySelector("[data-testid=ticket-form]");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(before + 1));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=ticket-form]")).not.toBe(card));
    return puts[before]!;
  };
  return { host, form, save };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Types into an input or textarea and lets Preact render it (its updates are batched). */
async function enter(element: HTMLInputElement | HTMLTextAreaElement, value: string) {
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
  await tick();
}

/** Picks the option of `select` that reads `text`. */
async function pick(select: HTMLSelectElement, text: string) {
  const option = [...select.options].find((o) => o.textContent === text);
  if (!option) throw new Error(`no option ${text} in ${[...select.options].map((o) => o.textContent).join(", ")}`);
  select.value = option.value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await tick();
}

const button = (host: Element, text: string) =>
  [...host.querySelectorAll("button")].find((b) => b.textContent?.startsWith(text))!;
const formCard = (host: HTMLElement, position = 0) => host.querySelectorAll<HTMLElement>("[data-testid=ticket-form]")[position]!;
const fieldCard = (host: HTMLElement, key: string) => [...host.querySelectorAll<HTMLElement>("[data-testid=ticket-field]")]
  .find((c) => c.querySelector<HTMLInputElement>("[name=field-key]")!.value === key)!;
const rows = (card: HTMLElement) => [...card.querySelectorAll<HTMLElement>("[data-testid=form-condition]")];
/** The checkbox `name` for the field `key` under `host` (a card's "Fields it asks", a condition's "ask"). */
const box = (host: HTMLElement, name: string, key: string) =>
  host.querySelector<HTMLInputElement>(`input[name=${name}][value=${key}]`)!;
async function click(input: HTMLInputElement) {
  input.click();
  await tick();
}

describe("a request form's conditions on the Ticket fields screen", () => {
  it("saves a form's conditions as the API gave them", async () => {
    const { save } = await mount([REPAIR]);
    const body = await save();
    expect(body.forms).toEqual([REPAIR]);
  });

  it("shows each condition as a row: the field, the answer, the fields it asks and which are required", async () => {
    const { host } = await mount([REPAIR]);
    const [laptop, warranty] = rows(formCard(host));
    const select = (row: HTMLElement, name: string) => row.querySelector<HTMLSelectElement>(`[name=${name}]`)!;
    expect(select(laptop!, "condition-when").selectedOptions[0]!.textContent).toBe("Device");
    // the form's dropdowns and checkboxes only
    expect([...select(laptop!, "condition-when").options].map((o) => o.textContent)).toEqual(["Device", "Under warranty", "Operating system"]);
    expect([...select(laptop!, "condition-value").options].map((o) => o.textContent)).toEqual(["laptop", "phone", "tablet"]);
    expect(select(laptop!, "condition-value").value).toBe("laptop");
    expect([...select(warranty!, "condition-value").options].map((o) => o.textContent)).toEqual(["ticked", "not ticked"]);
    expect(select(warranty!, "condition-value").selectedOptions[0]!.textContent).toBe("ticked");
    const asks = [...laptop!.querySelectorAll<HTMLInputElement>("[name=condition-show]")];
    expect(asks.map((c) => [c.value, c.checked])).toEqual([ // the form's other fields
      ["serial", true], ["under_warranty", true], ["receipt", false], ["os", false], ["notes", false]]);
    expect([...laptop!.querySelectorAll<HTMLInputElement>("[name=condition-required]")].map((c) => [c.value, c.checked]))
      .toEqual([["serial", true], ["under_warranty", false]]); // offered for the fields it asks only
    // no loop: the warranty (shown by the device) cannot show the device
    expect(box(warranty!, "condition-show", "device").disabled).toBe(true);
    expect(button(warranty!, "Remove").textContent).toBe("Remove condition 2: when Under warranty is ticked");
    const result = await axe.run(host, { runOnly: { type: "rule", values: ["label", "select-name", "button-name", "aria-valid-attr-value"] } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(", ")}`)).toEqual([]);
  });

  it("adds conditions in the card (nested ones too) and sends them in the PUT body", async () => {
    const support: TicketForm = { key: "support", name: "Support", description: "", group: null, active: true,
      fields: ["device", "serial", "under_warranty", "receipt"] };
    const { host, save } = await mount([support]);
    const card = formCard(host);
    button(card, "Add condition").click();
    await vi.waitFor(() => expect(rows(card)).toHaveLength(1));
    let row = rows(card)[0]!;
    expect(row.querySelector<HTMLSelectElement>("[name=condition-when]")!.selectedOptions[0]!.textContent).toBe("Device"); // the first
    await pick(row.querySelector<HTMLSelectElement>("[name=condition-value]")!, "tablet");
    await click(box(row, "condition-show", "serial"));
    await click(box(row, "condition-required", "serial"));
    await click(box(row, "condition-show", "under_warranty"));

    button(card, "Add condition").click();
    await vi.waitFor(() => expect(rows(card)).toHaveLength(2));
    row = rows(card)[1]!;
    await pick(row.querySelector<HTMLSelectElement>("[name=condition-when]")!, "Under warranty");
    await pick(row.querySelector<HTMLSelectElement>("[name=condition-value]")!, "not ticked");
    expect(box(row, "condition-show", "device").disabled).toBe(true); // the device shows the warranty: no loop
    await click(box(row, "condition-show", "receipt"));
    await click(box(row, "condition-required", "receipt"));
    await click(box(row, "condition-required", "receipt")); // not required after all

    const body = await save();
    expect(body.forms).toEqual([{ ...support, conditions: [
      { when: "device", value: "tablet", show: ["serial", "under_warranty"], required: ["serial"] },
      { when: "under_warranty", value: false, show: ["receipt"], required: [] },
    ] }]);
  });

  it("drops the fields the form no longer asks from its conditions, and a condition left showing nothing", async () => {
    const { host, save } = await mount([REPAIR]);
    const card = formCard(host);
    await click(box(card, "form-field", "serial"));
    await click(box(card, "form-field", "os")); // the only field the phone showed
    const body = await save();
    expect(body.forms[0]!.fields).toEqual(["device", "under_warranty", "receipt", "notes"]);
    expect(body.forms[0]!.conditions).toEqual([
      { when: "device", value: "laptop", show: ["under_warranty"], required: [] },
      { when: "under_warranty", value: true, show: ["receipt"], required: [] },
    ]);
  });

  it("drops a condition whose field the form no longer asks or no longer has its answer", async () => {
    const { host, save } = await mount([REPAIR]);
    const card = formCard(host);
    await click(box(card, "form-field", "under_warranty")); // it decided the receipt
    await enter(fieldCard(host, "device").querySelector<HTMLTextAreaElement>("[name=field-options]")!, "laptop\nmobile\ntablet");
    // until saved, the card says what is dropped
    const phone = rows(card)[2]!;
    expect(phone.querySelector<HTMLSelectElement>("[name=condition-value]")!.selectedOptions[0]!.textContent)
      .toBe("phone (no longer an answer: dropped when saved)");
    const body = await save();
    expect(body.forms[0]!.conditions).toEqual([{ when: "device", value: "laptop", show: ["serial"], required: ["serial"] }]);

    // a field no longer a dropdown decides nothing
    await pick(fieldCard(host, "device").querySelector<HTMLSelectElement>("[name=field-type]")!, "Text");
    expect(rows(formCard(host))[0]!.querySelector<HTMLSelectElement>("[name=condition-when]")!.selectedOptions[0]!.textContent)
      .toBe("Device (not a dropdown or checkbox the form asks: dropped when saved)");
    expect((await save()).forms[0]!.conditions).toEqual([]);
  });

  it("keeps a new field in its conditions when its key changes", async () => {
    const { host, save } = await mount([REPAIR]);
    button(host, "Add field").click();
    const added = await vi.waitFor(() => {
      const found = [...host.querySelectorAll<HTMLElement>("[data-testid=ticket-field]")][FIELDS.length];
      if (!found) throw new Error("not added");
      return found;
    });
    await enter(added.querySelector<HTMLInputElement>("[name=field-label]")!, "Model");
    await click(added.querySelector<HTMLInputElement>("[name=field-editable]")!);
    const card = formCard(host);
    await click(box(card, "form-field", "model"));
    await click(box(rows(card)[0]!, "condition-show", "model"));
    await enter(added.querySelector<HTMLInputElement>("[name=field-label]")!, "Model name"); // its key follows
    const body = await save();
    expect(body.forms[0]!.conditions![0]).toEqual(
      { when: "device", value: "laptop", show: ["under_warranty", "serial", "model_name"], required: ["serial"] });
  });

  it("offers no condition on a form without a dropdown or a checkbox, and says why", async () => {
    const { host } = await mount([{ key: "order", name: "Order", fields: ["serial", "notes"] }]);
    const add = button(formCard(host), "Add condition");
    expect(add.disabled).toBe(true);
    const hint = document.getElementById(add.getAttribute("aria-describedby")!)!;
    expect(hint.textContent).toContain("dropdown or a checkbox");
  });
});
