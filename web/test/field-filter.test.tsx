import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TicketField } from "../src/api/types";
import {
  describeFieldFilter, fieldFilterTerm, FieldValueInput, numberTerm, parseFieldFilter,
} from "../src/console/field-filter";
import { mountQueue } from "./fake-queue";
import { listedTicket as ticket } from "./ticket-fixture";
import { describeFilters, filtersOf } from "../src/console/views";


const field = (key: string, label: string, type: TicketField["type"], extra: Partial<TicketField> = {}) =>
  ({ key, label, type, options: [], active: true, ...extra }) as TicketField;
const FIELDS = [
  field("support_plan", "Support plan", "dropdown", { options: ["free", "pro", "enterprise"] }),
  field("needs_engineering", "Needs engineering", "checkbox"),
  field("seats", "Seats", "number"),
  field("crm_account", "CRM account", "text"),
  field("legacy", "Legacy", "text", { active: false }),
];

afterEach(() => {
  document.body.innerHTML = "";
});

const choose = (el: HTMLSelectElement | HTMLInputElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
};

/** The queue over the fake API, each list's field filters as they were sent. */
function mount(route = "/", fields: TicketField[] = FIELDS, views: unknown[] = []) {
  const queue = mountQueue({ route, fields, views, tickets: [ticket("a", "Seats missing")] });
  return { ...queue, listed: () => queue.lists.map((p) => p.getAll("field").join("&")) };
}

describe("a custom field filter's terms", () => {
  it("reads and writes key:value, the value keeping its colons, and sends nothing until both are picked", () => {
    expect(parseFieldFilter("plan:enterprise")).toEqual({ key: "plan", value: "enterprise" });
    expect(parseFieldFilter("crm:url:https://x")).toEqual({ key: "crm", value: "url:https://x" });
    expect(parseFieldFilter("nocolon")).toEqual({ key: "", value: "" });
    expect(parseFieldFilter(":pro")).toEqual({ key: "", value: "" });
    expect(fieldFilterTerm({ key: "plan", value: " pro " })).toBe("plan:pro");
    expect(fieldFilterTerm({ key: "plan", value: "" })).toBe("");
    expect(fieldFilterTerm({ key: "", value: "pro" })).toBe("");
  });

  it("sends a number as the API compares it", () => {
    expect(numberTerm("40.0")).toBe("40");
    expect(numberTerm(" 2.5 ")).toBe("2.5");
    expect(numberTerm("")).toBe("");
    expect(numberTerm("abc")).toBe("");
  });

  it("says a filter by the field's label, a checkbox as yes or no, an undefined key as it is", () => {
    expect(describeFieldFilter("support_plan:pro", FIELDS)).toBe("Support plan: pro");
    expect(describeFieldFilter("needs_engineering:false", FIELDS)).toBe("Needs engineering: no");
    expect(describeFieldFilter("crm_id:C-1", FIELDS)).toBe("crm_id:C-1");
    expect(describeFilters({ status: "open", fields: ["support_plan:pro", "seats:40"] }, FIELDS))
      .toBe("status: open, Support plan: pro, Seats: 40");
    expect(describeFilters({ status: "open", fields: [] })).toBe("status: open"); // what the API gives a view without
  });

  it("is kept in a saved view's filters.fields", () => {
    expect(filtersOf({ status: "open", fields: ["support_plan:pro"] })).toEqual({ status: "open", fields: ["support_plan:pro"] });
    expect(filtersOf({ status: "open", fields: [] })).toEqual({ status: "open" });
  });
});

describe("the value input", () => {
  const shown = (f: TicketField) => {
    const host = document.body.appendChild(document.createElement("div"));
    const changes: string[] = [];
    render(<FieldValueInput field={f} value="" onChange={(v) => changes.push(v)} />, host);
    const input = host.querySelector<HTMLInputElement | HTMLSelectElement>("[data-testid=filter-field-value]")!;
    expect(input.closest("label")!.textContent).toContain("Value"); // labelled
    return { input, changes };
  };

  it("fits the field's type: a dropdown's options, a checkbox's yes/no, a number, a text", () => {
    const plan = shown(FIELDS[0]!);
    expect(plan.input.tagName).toBe("SELECT");
    expect([...(plan.input as HTMLSelectElement).options].map((o) => o.value)).toEqual(["", "free", "pro", "enterprise"]);
    choose(plan.input, "pro");
    expect(plan.changes).toEqual(["pro"]);

    const box = shown(FIELDS[1]!);
    expect([...(box.input as HTMLSelectElement).options].map((o) => [o.value, o.textContent]))
      .toEqual([["true", "yes (ticked)"], ["false", "no (unticked)"]]);
    choose(box.input, "false");
    expect(box.changes).toEqual(["false"]);

    const seats = shown(FIELDS[2]!);
    expect([seats.input.tagName, (seats.input as HTMLInputElement).type]).toEqual(["INPUT", "number"]);
    choose(seats.input, "40.0");
    expect(seats.changes).toEqual(["40"]);

    const crm = shown(FIELDS[3]!);
    expect([crm.input.tagName, (crm.input as HTMLInputElement).type]).toEqual(["INPUT", "text"]);
    choose(crm.input, " ACME-1 ");
    expect(crm.changes).toEqual(["ACME-1"]);
  });
});

describe("the queue's custom field filter", () => {
  it("offers the active fields and lists, counts and searches by the value picked", async () => {
    const { q, found, lists, listed, searches } = mount("/?view=all");
    const picker = await found<HTMLSelectElement>("[data-testid=filter-field]");
    expect(picker.closest("label")!.textContent).toContain("Field");
    expect([...picker.options].map((o) => o.textContent)).toEqual(
      ["any", "Support plan", "Needs engineering", "Seats", "CRM account"]); // not the inactive one
    expect(q("[data-testid=filter-field-value]")).toBeNull();

    choose(picker, "support_plan");
    const value = await found<HTMLSelectElement>("[data-testid=filter-field-value]");
    const before = lists.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(lists.slice(before).every((p) => !p.has("field"))).toBe(true); // a field without a value filters nothing
    choose(value, "pro");
    await vi.waitFor(() => expect(listed().filter((f) => f === "support_plan:pro").length).toBeGreaterThan(1)); // list + counts
    expect(lists.at(-1)!.get("field")).toBe("support_plan:pro");

    choose(picker, "needs_engineering"); // a checkbox filters at once, ticked
    await vi.waitFor(() => expect(listed()).toContain("needs_engineering:true"));

    const search = q<HTMLInputElement>("[data-testid=ticket-search]")!;
    search.value = "seats";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 10)); // the words rendered into the form's submit
    search.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(searches).toHaveLength(1));
    expect([searches[0]!.get("q"), searches[0]!.getAll("field")]).toEqual(["seats", ["needs_engineering:true"]]);
  });

  it("is not there when the tenant defines no fields", async () => {
    const { q, lists } = mount("/", []);
    await vi.waitFor(() => expect(q("[data-testid=ticket-row]")).not.toBeNull());
    await new Promise((r) => setTimeout(r, 20));
    expect(q("[data-testid=field-filter]")).toBeNull();
    expect(q("[data-testid=filter-organization]")).toBeNull(); // nor organisations: the filters around it stay
    expect(lists.every((p) => !p.has("field"))).toBe(true);
  });

  it("opens filtered from a link", async () => {
    const { q, lists } = mount("/?view=all&field=support_plan:enterprise");
    await vi.waitFor(() => expect(q<HTMLSelectElement>("[data-testid=filter-field-value]")?.value).toBe("enterprise"));
    expect(q<HTMLSelectElement>("[data-testid=filter-field]")!.value).toBe("support_plan");
    await vi.waitFor(() => expect(lists.length).toBeGreaterThan(1)); // the list and the views' counts
    expect(new Set(lists.map((p) => p.get("field")))).toEqual(new Set(["support_plan:enterprise"])); // from the first ask
  });

  it("is saved with the view in filters.fields", async () => {
    const hash = window.location.hash;
    try {
      const { q, found, saved } = mount("/?view=open&field=seats:40");
      await vi.waitFor(() => expect(q<HTMLInputElement>("[data-testid=filter-field-value]")?.type).toBe("number")); // fields read
      expect(q<HTMLInputElement>("[data-testid=filter-field-value]")!.value).toBe("40");
      q<HTMLButtonElement>("[data-testid=save-view]")!.click();
      const name = await found<HTMLInputElement>("[data-testid=view-name]");
      expect(q("[data-testid=view-filters]")!.textContent).toBe("status: open, Seats: 40");
      name.value = "Big accounts";
      name.dispatchEvent(new Event("input", { bubbles: true }));
      await vi.waitFor(() => expect(q<HTMLButtonElement>("[data-testid=view-save]")!.disabled).toBe(false));
      name.form!.dispatchEvent(new Event("submit", { cancelable: true }));
      await vi.waitFor(() => expect(saved).toHaveLength(1));
      expect(saved[0]).toEqual({ name: "Big accounts", scope: "personal", filters: { status: "open", fields: ["seats:40"], snoozed: false } });
    } finally {
      window.location.hash = hash; // saving opens the view
    }
  });

  it("shows a saved view's fields when it is opened", async () => {
    const view = { id: "v1", name: "Pro plans", scope: "personal", owner_id: "ada", order: "newest",
      filters: { status: "open", fields: ["support_plan:pro", "needs_engineering:true"] } };
    const { q } = mount("/?saved=v1", FIELDS, [view]);
    await vi.waitFor(() => expect(q("[data-testid=saved-view-filters]")?.textContent)
      .toBe("status: open, Support plan: pro, Needs engineering: yes"));
    expect(q("[data-testid=field-filter]")).toBeNull(); // the view's filters are its own, not the queue's
  });
});
