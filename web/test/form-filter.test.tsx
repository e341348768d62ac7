import { render } from "preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TicketForm } from "../src/api/types";
import { FormFilter, formLabel } from "../src/console/form-filter";
import { describeFilters, filtersOf } from "../src/console/views";
import { mountQueue } from "./fake-queue";
import { listedTicket as ticket } from "./ticket-fixture";

const form = (key: string, name: string, active = true) => ({ key, name, active, fields: [], description: "" }) as TicketForm;
const VIEWS_COUNTED = 8; // a count for each built-in view, besides the list
const FORMS = [form("billing", "Billing question"), form("bug_report", "Bug report"), form("old_intake", "Old intake", false)];

beforeEach(() => {
  window.location.hash = ""; // isolate:false: another file's test may have left a ticket or view open
});

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

const choose = (el: HTMLSelectElement, value: string) => {
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
};

function mount(route = "/", forms: TicketForm[] = FORMS, views: unknown[] = []) {
  return mountQueue({ route, forms, views, tickets: [ticket("a", "Refund please")] });
}

describe("the form filter", () => {
  it("offers any form and each form by name, the inactive ones marked", () => {
    const host = document.body.appendChild(document.createElement("div"));
    const changes: string[] = [];
    render(<FormFilter forms={FORMS} value="" onChange={(k) => changes.push(k)} />, host);
    const select = host.querySelector<HTMLSelectElement>("[data-testid=filter-form]")!;
    expect(select.closest("label")!.textContent).toContain("Form");
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "Any form"], ["billing", "Billing question"], ["bug_report", "Bug report"], ["old_intake", "Old intake (inactive)"],
    ]);
    choose(select, "old_intake");
    expect(changes).toEqual(["old_intake"]);
    expect(formLabel(form("x", "X"))).toBe("X");
  });

  it("is not there without forms, and still shows a filter on a form no longer defined", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<FormFilter forms={[]} value="" onChange={() => undefined} />, host);
    expect(host.querySelector("[data-testid=filter-form]")).toBeNull();
    render(<FormFilter forms={FORMS} value="gone" onChange={() => undefined} />, host);
    const select = host.querySelector<HTMLSelectElement>("[data-testid=filter-form]")!;
    expect(select.value).toBe("gone");
    expect(select.selectedOptions[0]!.textContent).toBe("gone");
  });

  it("is kept in a saved view's filters.form", () => {
    expect(filtersOf({ status: "open", form: "billing" })).toEqual({ status: "open", form: "billing" });
    expect(filtersOf({ status: "open", form: "" })).toEqual({ status: "open" });
    expect(describeFilters({ status: "open", form: "billing" })).toBe("status: open, form: billing");
  });
});

describe("the queue's form filter", () => {
  it("lists the tickets and counts the views of the form picked, and back to any form", async () => {
    const { found, lists } = mount("/?view=open");
    const select = await found<HTMLSelectElement>("[data-testid=filter-form]");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Any form", "Billing question", "Bug report", "Old intake (inactive)"]);
    await vi.waitFor(() => expect(lists.length).toBeGreaterThan(1)); // the list and the views' counts
    expect(lists.every((p) => !p.has("form"))).toBe(true);

    const before = lists.length;
    choose(select, "billing");
    await vi.waitFor(() => expect(lists.length - before).toBeGreaterThan(VIEWS_COUNTED));
    const asked = lists.slice(before);
    expect(new Set(asked.map((p) => p.get("form")))).toEqual(new Set(["billing"]));
    expect(asked.some((p) => p.get("status") === "open")).toBe(true); // the list of the view shown
    expect(asked.some((p) => p.get("status") === "new")).toBe(true); // another view's count

    const again = lists.length;
    choose(select, "");
    await vi.waitFor(() => expect(lists.length).toBeGreaterThan(again));
    expect(lists.at(-1)!.has("form")).toBe(false);
  });

  it("opens filtered from a link", async () => {
    const { q, lists } = mount("/?view=all&form=bug_report");
    await vi.waitFor(() => expect(q("[data-testid=filter-form] option[value=bug_report]")).not.toBeNull());
    expect(q<HTMLSelectElement>("[data-testid=filter-form]")!.value).toBe("bug_report");
    await vi.waitFor(() => expect(lists.length).toBeGreaterThan(1));
    expect(new Set(lists.map((p) => p.get("form")))).toEqual(new Set(["bug_report"])); // from the first ask
  });

  it("is not there when the tenant has no forms", async () => {
    const { q, lists } = mount("/", []);
    await vi.waitFor(() => expect(q("[data-testid=ticket-row]")).not.toBeNull());
    await new Promise((r) => setTimeout(r, 20));
    expect(q("[data-testid=filter-form]")).toBeNull();
    expect(lists.every((p) => !p.has("form"))).toBe(true);
  });

  it("narrows a search too (GET /tickets/search?form=)", async () => {
    const { q, found, searches } = mount("/?view=all&form=billing");
    await found("[data-testid=filter-form]");
    const search = q<HTMLInputElement>("[data-testid=ticket-search]")!;
    search.value = "refund";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 10)); // the words rendered into the form's submit
    search.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(searches).toHaveLength(1));
    expect(searches[0]!.get("form")).toBe("billing");
  });

  it("is saved with the view in filters.form", async () => {
    const { q, found, saved } = mount("/?view=open");
    choose(await found<HTMLSelectElement>("[data-testid=filter-form]"), "billing");
    q<HTMLButtonElement>("[data-testid=save-view]")!.click();
    const name = await found<HTMLInputElement>("[data-testid=view-name]");
    expect(q("[data-testid=view-filters]")!.textContent).toBe("status: open, form: billing");
    name.value = "Billing";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(q<HTMLButtonElement>("[data-testid=view-save]")!.disabled).toBe(false));
    name.form!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ name: "Billing", scope: "personal", filters: { status: "open", form: "billing", snoozed: false } });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/?saved=v1")); // saving opens the view
  });

  it("shows a saved view's form when it is opened, its tickets read from the view", async () => {
    const view = { id: "v1", name: "Billing", scope: "personal", owner_id: "ada", order: "newest",
      filters: { status: "open", form: "billing" } };
    const { q, viewTickets } = mount("/?saved=v1", FORMS, [view]);
    await vi.waitFor(() => expect(q("[data-testid=saved-view-filters]")?.textContent).toBe("status: open, form: billing"));
    await vi.waitFor(() => expect(viewTickets).toContain("/views/v1/tickets")); // the server applies the view's form
    expect(q("[data-testid=filter-form]")).toBeNull(); // the view's filters are its own, not the queue's
  });
});
