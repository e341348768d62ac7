import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Group, TicketField, TicketForm, User } from "../src/api/types";
import { EMPTY_DRAFT, mayAssignSelf, NewTicket, openingGroup, ticketRequest } from "../src/console/new-ticket";

const at = "2026-01-01T00:00:00Z";
const alice: User = { id: "alice", name: "Alice", role: "agent", active: true, email: "alice@acme.example", tenant_id: "acme", created_at: at, updated_at: at };
const billing: Group = { id: "billing", name: "Billing", members: ["alice"], tenant_id: "acme", created_at: at, updated_at: at };
const orders: Group = { id: "orders", name: "Orders", members: [], tenant_id: "acme", created_at: at, updated_at: at };

describe("a new ticket as the form holds it", () => {
  it("becomes the API's request: the customer as requester, the Cc box as addresses", () => {
    const draft = { ...EMPTY_DRAFT, email: " pat@customer.test ", name: " Pat Lee ", subject: " Refund ", message: "Line one\nline two\n",
      priority: "high" as const, group: "billing", cc: "sam@customer.test, lou@customer.test;" };
    expect(ticketRequest(draft, [])).toEqual({ subject: "Refund", description: "Line one\nline two", priority: "high", group: "billing",
      requester: { email: "pat@customer.test", name: "Pat Lee" }, participants: ["sam@customer.test", "lou@customer.test"],
      custom_fields: {} });
  });
  it("sends no name for a blank one (the ticket then shows the address) and no one on Cc", () => {
    const request = ticketRequest({ ...EMPTY_DRAFT, email: "pat@customer.test", name: "  ", subject: "s", message: "m" }, []);
    expect(request.requester).toEqual({ email: "pat@customer.test" });
    expect(request.participants).toEqual([]);
    expect(request.group).toBeNull();
  });
  it("sends no requester for the team's own ticket (a problem): the API makes the agent its requester", () => {
    const request = ticketRequest({ ...EMPTY_DRAFT, forTeam: true, email: "typed@before.test", subject: "Sync outage",
      message: "Down since 08:40" }, []);
    expect("requester" in request).toBe(false);
    expect(request.subject).toBe("Sync outage");
  });
  it("asks for no customer address once the ticket is the team's", async () => {
    const host = document.body.appendChild(document.createElement("div"));
    const fetch = vi.fn(async () => new Response("[]", { status: 200, headers: { "content-type": "application/json" } }));
    render(<NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch: fetch as unknown as typeof globalThis.fetch })} me="alice" />, host);
    expect(host.querySelector("[name=customer-email]")).not.toBeNull();
    const box = host.querySelector<HTMLInputElement>("[name=for-team]")!;
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector("[name=customer-email]")).toBeNull());
    host.remove();
  });
});

describe("a request form picked for the customer", () => {
  const forms = [{ key: "billing_q", name: "Billing question", fields: [], group: "billing" },
    { key: "bug", name: "Bug report", fields: [], group: null }];
  it("is sent with the request, and none when none is picked", () => {
    const draft = { ...EMPTY_DRAFT, email: "pat@customer.test", subject: "s", message: "m" };
    expect(ticketRequest({ ...draft, form: "billing_q" }, []).form).toBe("billing_q");
    expect("form" in ticketRequest(draft, [])).toBe(false);
  });
  it("opens the ticket in its group unless one is chosen (so Assign to me follows that group)", () => {
    expect(openingGroup({ group: null, form: "billing_q" }, forms)).toBe("billing");
    expect(openingGroup({ group: "orders", form: "billing_q" }, forms)).toBe("orders");
    expect(openingGroup({ group: null, form: "bug" }, forms)).toBeNull();
    expect(mayAssignSelf({ users: [alice], groups: [billing, orders] }, openingGroup({ group: null, form: "billing_q" }, forms), "alice")).toBe(true);
  });
});

describe("assigning the new ticket to oneself", () => {
  const team = { users: [alice], groups: [billing, orders] };
  it("is offered as the assignee picker allows: in the agent's groups or without a group", () => {
    expect(mayAssignSelf(team, null, "alice")).toBe(true);
    expect(mayAssignSelf(team, "billing", "alice")).toBe(true);
    expect(mayAssignSelf(team, "orders", "alice")).toBe(false);
  });
  it("is left to the API while the team has not loaded", () => {
    expect(mayAssignSelf({ users: [], groups: [] }, "orders", "alice")).toBe(true);
  });
});

describe("New ticket form", () => {
  it("offers the created ticket, not a second one, when assigning it failed", async () => {
    window.location.hash = ""; // another file's test may have opened a ticket in the shared window
    const calls: string[] = [];
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      calls.push(`${init.method} ${path}`);
      if (path === "/groups") return json([billing]);
      if (path === "/users") return json({ items: [], next_cursor: null }); // the team not (yet) known: the API decides
      if (init.method === "POST") return json({ id: "t1", number: "T-7" }, 201);
      return json({ error: { code: "invalid_assignment", message: "assignee 'alice' is not a member of billing", details: { field: "assignee_id" } } }, 422);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div")); // happy-dom fires no change event off the page
    render(<NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="alice" />, host);
    const type = (name: string, value: string) => {
      const field = host.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${name}]`)!;
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    };
    type("customer-email", "pat@customer.test");
    type("ticket-subject", "Refund");
    type("ticket-message", "Where is my refund?");
    host.querySelector<HTMLInputElement>("[name=assign-to-me]")!.click();
    await new Promise((rendered) => setTimeout(rendered, 10)); // the form's handlers see what was typed
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.querySelector("[role=alert]")?.textContent).toContain("not a member of billing"), { timeout: 2000 });
    expect(calls).toContain("POST /tickets");
    expect(calls).toContain("PATCH /tickets/t1");
    expect(host.querySelector("[data-testid=opened-not-assigned]")?.textContent).toContain("T-7");
    expect(host.querySelector("button[type=submit]")).toBeNull();
    expect(host.querySelector("a[href='#/t/t1']")?.textContent).toBe("Open T-7");
    expect(host.querySelector<HTMLInputElement>("[name=ticket-subject]")!.value).toBe("Refund");
    expect(window.location.hash).not.toBe("#/t/t1");
    render(null, host);
    host.remove();
  });

  it("offers the tenant's active request forms and posts the one picked", async () => {
    window.location.hash = "";
    const posted: Record<string, unknown>[] = [];
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/groups") return json([billing]);
      if (path === "/users") return json({ items: [alice], next_cursor: null });
      if (path === "/ticket-fields") return json({ fields: [], version: 3, forms: [
        { key: "billing_q", name: "Billing question", fields: [], group: "billing", active: true },
        { key: "old", name: "Old form", fields: [], group: null, active: false }] });
      posted.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      return json({ id: "t2", number: "T-8" }, 201);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="alice" />, host);
    const select = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("[name=ticket-form]");
      if (!found) throw new Error("no form select yet");
      return found;
    }, { timeout: 2000 });
    expect([...select.options].map((o) => o.textContent)).toEqual(["(none)", "Billing question"]); // active ones
    select.value = "billing_q";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    for (const [name, value] of [["customer-email", "pat@customer.test"], ["ticket-subject", "Invoice"], ["ticket-message", "Wrong total"]]) {
      const field = host.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${name}]`)!;
      field.value = value!;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    await new Promise((rendered) => setTimeout(rendered, 10));
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(posted).toHaveLength(1), { timeout: 2000 });
    expect(posted[0]).toMatchObject({ form: "billing_q", group: null, subject: "Invoice" });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t2"));
    window.location.hash = "";
    render(null, host);
    host.remove();
  });
});

describe("the ticket's custom fields on the New ticket form", () => {
  const fields: TicketField[] = [
    { key: "order_number", label: "Order number", type: "text", description: "From the order mail", customer_editable: true },
    { key: "seats", label: "Seats", type: "number" },
    { key: "plan", label: "Plan", type: "dropdown", options: ["free", "pro"], required_to_resolve: true },
    { key: "browser", label: "Browser", type: "text", customer_editable: true },
    { key: "legacy_id", label: "Legacy id", type: "text", customer_editable: true, active: false },
  ];
  const forms: TicketForm[] = [
    { key: "billing", name: "Billing question", fields: ["order_number"], group: null, active: true },
    { key: "bug", name: "Bug report", fields: ["browser", "legacy_id", "order_number"], group: null, active: true },
    { key: "plans", name: "Plan question", fields: ["plan", "seats"], group: null, active: true, // seats only of pro
      conditions: [{ when: "plan", value: "pro", show: ["seats"], required: [] }] },
  ];

  it("are sent when filled: an emptied one, and one of a form no longer picked, are not", () => {
    const draft = { ...EMPTY_DRAFT, email: "pat@customer.test", subject: "s", message: "m",
      fields: { order_number: "ORD-1", seats: null, plan: "pro", browser: "Firefox" } };
    expect(ticketRequest(draft, fields.slice(0, 3)).custom_fields).toEqual({ order_number: "ORD-1", plan: "pro" });
    expect(ticketRequest(draft, []).custom_fields).toEqual({});
  });

  /** The page against an API with the definitions above; `refuse`: the POST's 422 instead of the ticket. */
  function page(refuse?: { code: string; message: string }) {
    window.location.hash = ""; // another file's test may have opened a ticket in the shared window
    const posted: Record<string, unknown>[] = [];
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/groups") return json([billing]);
      if (path === "/users") return json({ items: [alice], next_cursor: null });
      if (path === "/ticket-fields") return json({ fields, forms, version: 4 });
      posted.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      return refuse ? json({ error: { ...refuse, details: { field: "custom_fields" } } }, 422) : json({ id: "t3", number: "T-9" }, 201);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div")); // happy-dom fires no change event off the page
    render(<NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="alice" />, host);
    const input = (selector: string) => host.querySelector<HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement>(selector);
    const type = (selector: string, value: string, event = "input") => {
      const field = input(selector)!;
      field.value = value;
      field.dispatchEvent(new Event(event, { bubbles: true }));
    };
    const shown = () => [...host.querySelectorAll("[data-testid=new-ticket-fields] [data-testid^=field-]")].map((e) => e.getAttribute("data-testid"));
    const submit = async () => {
      type("[name=customer-email]", "pat@customer.test");
      type("[name=ticket-subject]", "Refund");
      type("[name=ticket-message]", "Where is my refund?");
      await new Promise((rendered) => setTimeout(rendered, 10)); // the form's handlers see what was typed
      host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
      await vi.waitFor(() => expect(posted).toHaveLength(1), { timeout: 2000 });
      return posted[0]!;
    };
    const done = () => {
      window.location.hash = "";
      render(null, host);
      host.remove();
    };
    return { host, input, type, shown, submit, done };
  }

  it("offers every active field without a form, labelled as on the ticket page, and posts the filled ones", async () => {
    const p = page();
    await vi.waitFor(() => expect(p.shown()).toEqual(["field-order_number", "field-seats", "field-plan", "field-browser"]), { timeout: 2000 });
    expect(p.host.querySelector("[data-testid=field-legacy_id]")).toBeNull(); // inactive: not offered
    const labels = [...p.host.querySelectorAll("[data-testid=new-ticket-fields] label")].map((l) => l.textContent);
    expect(labels[0]).toBe("Order numberFrom the order mail"); // the field's help text
    expect(labels[2]).toContain("Plan (required to resolve)");
    p.type("[data-testid=field-order_number]", "ORD-4471");
    p.type("[data-testid=field-plan]", "pro", "change");
    p.type("[data-testid=field-browser]", "Firefox");
    p.type("[data-testid=field-browser]", ""); // typed, then emptied: not sent
    const body = await p.submit();
    expect(body.custom_fields).toEqual({ order_number: "ORD-4471", plan: "pro" });
    expect("form" in body).toBe(false);
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t3"));
    p.done();
  });

  it("with a form whose conditions hide a field asks it only after the answer that calls for it", async () => {
    const p = page();
    await vi.waitFor(() => expect(p.input("[name=ticket-form]")).not.toBeNull(), { timeout: 2000 });
    p.type("[name=ticket-form]", "plans", "change");
    await vi.waitFor(() => expect(p.shown()).toEqual(["field-plan"]));
    p.type("[data-testid=field-plan]", "pro", "change");
    await vi.waitFor(() => expect(p.shown()).toEqual(["field-plan", "field-seats"]));
    p.type("[data-testid=field-seats]", "20");
    const body = await p.submit();
    expect(body).toMatchObject({ form: "plans", custom_fields: { plan: "pro", seats: 20 } });
    p.done();
  });

  it("with a form picked asks only that form's active fields, in its order, and sends only those", async () => {
    const p = page();
    await vi.waitFor(() => expect(p.input("[name=ticket-form]")).not.toBeNull(), { timeout: 2000 });
    p.type("[data-testid=field-seats]", "20"); // typed before the form was picked
    p.type("[name=ticket-form]", "bug", "change");
    await vi.waitFor(() => expect(p.shown()).toEqual(["field-browser", "field-order_number"]));
    p.type("[data-testid=field-browser]", "Safari 17");
    p.type("[name=ticket-form]", "billing", "change");
    await vi.waitFor(() => expect(p.shown()).toEqual(["field-order_number"]));
    p.type("[name=ticket-form]", "bug", "change"); // back: what was typed is still there
    await vi.waitFor(() => expect(p.input("[data-testid=field-browser]")?.value).toBe("Safari 17"));
    const body = await p.submit();
    expect(body).toMatchObject({ form: "bug", custom_fields: { browser: "Safari 17" } });
    expect(body.custom_fields).toEqual({ browser: "Safari 17" }); // not the seats of no form
    p.done();
  });

  it("keeps the values typed when the API refuses one, and shows why in the page's alert", async () => {
    const p = page({ code: "invalid_field_value", message: "custom_fields.seats: expected a whole number" });
    await vi.waitFor(() => expect(p.shown()).toContain("field-seats"), { timeout: 2000 });
    p.type("[data-testid=field-seats]", "2.5");
    p.type("[data-testid=field-order_number]", "ORD-9");
    expect((await p.submit()).custom_fields).toEqual({ seats: 2.5, order_number: "ORD-9" });
    await vi.waitFor(() => expect(p.host.querySelector("[role=alert]")?.textContent).toContain("expected a whole number"), { timeout: 2000 });
    expect(p.host.querySelectorAll("[role=alert]")).toHaveLength(1);
    expect(p.input("[data-testid=field-seats]")!.value).toBe("2.5");
    expect(p.input("[data-testid=field-order_number]")!.value).toBe("ORD-9");
    expect(window.location.hash).toBe("");
    p.done();
  });
});
