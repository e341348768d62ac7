// The portal when the customer's organisation shares its tickets: the switch between their own tickets and the
// organisation's (offered when the customer's profile says their organisation shares them), who opened each, and a colleague's ticket
// (read and answered, not marked solved nor rated: the API refuses both to anyone but the requester).
import { render, type ComponentChild } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket, TicketEvent } from "../src/api/types";
import { PortalLanguage } from "../src/portal/i18n";
import { usePortalLanguage } from "../src/portal/language-choice";
import { isOwnTicket, MyTickets, PortalTicket, type Customer } from "../src/portal/tickets";
import type { Lang } from "../src/shared/language";

const LISA: Customer = { sub: "email:lisa@globex.example", email: "Lisa@Globex.example" };
const HANK = { id: "email:hank@globex.example", email: "hank@globex.example", name: "Hank Scorpio", email_verified: true };
const LISA_AS_REQUESTER = { id: "email:lisa@globex.example", email: "lisa@globex.example", name: null, email_verified: true };

const ticket = (id: string, requester: typeof HANK | typeof LISA_AS_REQUESTER, extra: Partial<Ticket> = {}): Ticket => ({
  id, number: `T-00000${id.slice(1)}`, subject: `Subject ${id}`, description: "Since 9am", status: "open", priority: "normal",
  requester, requester_key: requester.id, organization_id: "globex", custom_fields: {}, tags: [],
  created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T11:00:00Z",
  own: requester === LISA_AS_REQUESTER, // as the API answers Lisa: hers, or a colleague's
  ...extra,
}) as unknown as Ticket;

const event = (seq: number, type: string, actor: string, data: Record<string, unknown>): TicketEvent =>
  ({ seq, type, actor, at: `2026-12-01T1${seq}:00:00Z`, data }) as unknown as TicketEvent;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const forbidden = () => json({ error: { code: "forbidden", message: "your organisation does not share its tickets", details: null } }, 403);

/** An API answering the routes the portal reads; `shares` says whether the organisation shares its tickets. */
function fakeApi(routes: { shares: boolean; tickets?: Ticket[]; ticket?: Ticket; events?: TicketEvent[] }) {
  const calls: string[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const u = new URL(url);
    const method = init?.method ?? "GET";
    calls.push(`${method} ${u.pathname}${u.search}`);
    if (u.pathname === "/customers/me/profile") {
      return json({ tenant_id: "acme", id: "email:lisa@globex.example", version: 0,
        organization: { id: "globex", name: "Globex", shared_tickets: routes.shares } });
    }
    if (u.pathname === "/tickets" && method === "GET") {
      if (u.searchParams.get("shared") === "true" && !routes.shares) return forbidden();
      const mine = (t: Ticket) => isOwnTicket(t);
      const items = (routes.tickets ?? []).filter((t) => u.searchParams.get("shared") === "true" || mine(t));
      return json({ items: items.slice(0, Number(u.searchParams.get("limit") ?? 25)), next_cursor: null });
    }
    if (u.pathname.endsWith("/events")) return json(routes.events ?? []);
    if (u.pathname.endsWith("/messages")) return json({}, 201);
    if (u.pathname.startsWith("/tickets/")) return json(routes.ticket);
    return json([]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), calls };
}

function mount(node: ComponentChild, lang: Lang = "en") {
  const host = document.body.appendChild(document.createElement("div"));
  render(<PortalLanguage.Provider value={lang}>{node}</PortalLanguage.Provider>, host);
  return host;
}

const shown = (host: HTMLElement, selector: string) =>
  vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });
const settle = () => new Promise((done) => setTimeout(done, 30));

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = ""; // the window is shared with the other test files (isolate: false)
});

describe("My tickets, when the organisation shares its tickets", () => {
  const tickets = [ticket("t1", LISA_AS_REQUESTER), ticket("t2", HANK, { status: "pending" })];

  it("offers no switch when the organisation does not share them, and asks for no ticket it may not list", async () => {
    const { api, calls } = fakeApi({ shares: false, tickets });
    const host = mount(<MyTickets api={api} me={LISA} organizationShares={false} />);
    await shown(host, "[data-testid=ticket-row]");
    await settle();
    expect(calls).not.toContain("GET /customers/me/profile"); // the portal read it once on sign-in
    expect(calls.filter((c) => c.includes("shared=true"))).toEqual([]); // no refused request in the browser's log
    expect(host.querySelector("[data-testid=tickets-switch]")).toBeNull();
    expect(host.querySelectorAll("[data-testid=ticket-row]")).toHaveLength(1);
    expect(host.querySelector("[data-testid=ticket-requester]")).toBeNull();
    expect(host.querySelector("[role=alert], [data-testid=problem]")).toBeNull();
  });

  it("offers the switch on the own list, which stays the customer's own tickets", async () => {
    const { api, calls } = fakeApi({ shares: true, tickets });
    const host = mount(<MyTickets api={api} me={LISA} organizationShares />);
    await shown(host, "[data-testid=tickets-switch]");
    const links = [...host.querySelectorAll<HTMLAnchorElement>("[data-testid=tickets-switch] a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("aria-current")])).toEqual([
      ["My tickets", "#/", "page"], ["My organization's tickets", "#/organization", null]]);
    expect(host.querySelector("[data-testid=tickets-switch]")!.getAttribute("aria-label")).toBe("Whose tickets");
    await shown(host, "[data-testid=ticket-row]");
    expect([...host.querySelectorAll("[data-testid=ticket-subject]")].map((a) => a.textContent)).toEqual(["Subject t1"]);
    expect(calls).toContain("GET /tickets?limit=25");
  });

  it("shows the switch from the profile the portal read once on sign-in (for its language too)", async () => {
    function TicketsPage({ api }: { api: ApiClient }) { // as the portal's App wires them
      const { organizationShares } = usePortalLanguage(api);
      return <MyTickets api={api} me={LISA} organizationShares={organizationShares} />;
    }
    const { api, calls } = fakeApi({ shares: true, tickets });
    const host = mount(<TicketsPage api={api} />);
    await shown(host, "[data-testid=tickets-switch]");
    await settle();
    expect(calls.filter((c) => c === "GET /customers/me/profile")).toHaveLength(1);
  });

  it("reads the sharing again when the customer comes back to the tab, so a switch the team made shows", async () => {
    function TicketsPage({ api }: { api: ApiClient }) {
      const { organizationShares } = usePortalLanguage(api);
      return <MyTickets api={api} me={LISA} organizationShares={organizationShares} />;
    }
    const routes = { shares: false, tickets };
    const { api, calls } = fakeApi(routes);
    const host = mount(<TicketsPage api={api} />);
    await shown(host, "[data-testid=ticket-row]");
    await settle();
    expect(host.querySelector("[data-testid=tickets-switch]")).toBeNull();
    routes.shares = true; // an admin switched the organisation's sharing on meanwhile
    document.dispatchEvent(new Event("visibilitychange"));
    await shown(host, "[data-testid=tickets-switch]");
    expect(calls.filter((c) => c === "GET /customers/me/profile")).toHaveLength(2);
  });

  it("lists the organisation's tickets with who opened each", async () => {
    const { api, calls } = fakeApi({ shares: true, tickets });
    const host = mount(<MyTickets api={api} me={LISA} shared />);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=ticket-row]")).toHaveLength(2), { timeout: 2000 });
    expect(host.querySelector("h1")!.textContent).toBe("My organization's tickets");
    expect(calls).toContain("GET /tickets?shared=true&limit=25");
    const rows = [...host.querySelectorAll("[data-testid=ticket-row]")];
    expect(rows.map((r) => r.querySelector("[data-testid=ticket-requester]")!.textContent)).toEqual(["Opened by you", "Opened by Hank Scorpio"]);
    const current = host.querySelector("[data-testid=tickets-switch] [aria-current=page]")!;
    expect(current.getAttribute("href")).toBe("#/organization");
  });

  it("shows each ticket's latest message: the team's answer by name, the customer's own as theirs, a colleague's unnamed", async () => {
    const at = "2026-12-01T12:00:00Z";
    const listed = [
      ticket("t1", LISA_AS_REQUESTER, { latest_message: { text: "Which VPN client do you use?", from_customer: false, at } }),
      ticket("t2", HANK, { latest_message: { text: "Still down since 9am", from_customer: true, at } }),
      ticket("t3", LISA_AS_REQUESTER, { latest_message: { text: "Mine too.", from_customer: true, at } }),
    ];
    const { api } = fakeApi({ shares: true, tickets: listed });
    const host = mount(<MyTickets api={api} me={LISA} shared />, "de");
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=latest-message]")).toHaveLength(3), { timeout: 2000 });
    expect([...host.querySelectorAll("[data-testid=latest-message]")].map((l) => l.textContent)).toEqual([
      "Support: Which VPN client do you use?", "Still down since 9am", "Sie: Mine too."]);
    expect(host.querySelector("[data-testid=latest-message] .from-team")).not.toBeNull(); // it waits for them
  });

  it("names the lists and who opened a ticket in the customer's language, an address when there is no name", async () => {
    const nameless = { ...HANK, name: null };
    const { api } = fakeApi({ shares: true, tickets: [ticket("t2", nameless)] });
    const host = mount(<MyTickets api={api} me={LISA} shared />, "de");
    await shown(host, "[data-testid=ticket-requester]");
    expect(host.querySelector("h1")!.textContent).toBe("Tickets meiner Organisation");
    expect(host.querySelector("[data-testid=ticket-requester]")!.textContent).toBe("Eröffnet von hank@globex.example");
    expect([...host.querySelectorAll("[data-testid=tickets-switch] a")].map((a) => a.textContent)).toEqual(["Meine Tickets", "Tickets meiner Organisation"]);
  });

  it("says when the organisation has no tickets", async () => {
    const { api } = fakeApi({ shares: true, tickets: [] });
    const host = mount(<MyTickets api={api} me={LISA} shared />, "fr");
    await vi.waitFor(() => expect(host.textContent).toContain("Votre organisation n'a pas encore de ticket."), { timeout: 2000 });
  });
});

describe("a colleague's ticket", () => {
  const events = [
    event(1, "created", HANK.id, { description: "Since 9am" }),
    event(2, "public_message", "alice", { body: "Checking the tunnel.", public: true, from_customer: false, author_name: "Alice Agent" }),
    event(3, "public_message", LISA.sub, { body: "Same here.", public: true, from_customer: true }),
    event(4, "public_message", "email", { body: "Still down.", public: true, from_customer: true, from: "Hank@globex.example" }),
    event(5, "public_message", "email", { body: "Me too.", public: true, from_customer: true, from: "lisa@globex.example" }),
    event(6, "public_message", "sla", { body: "Are you still there?", public: true, from_customer: false }),
  ];

  it("says who opened it, names its authors, takes a reply and offers neither 'solved' nor a rating", async () => {
    const hanks = ticket("t2", HANK);
    const { api, calls } = fakeApi({ shares: true, ticket: hanks, events });
    const host = mount(<PortalTicket api={api} id="t2" me={LISA} />);
    await shown(host, "[data-testid=opened-by]");
    expect(host.querySelector("[data-testid=opened-by]")!.textContent).toBe("Opened by Hank Scorpio");
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=public-message]")).toHaveLength(6));
    expect([...host.querySelectorAll("[data-testid=public-message] header strong")].map((s) => s.textContent))
      .toEqual(["Hank Scorpio", "Alice Agent", "You", "Hank Scorpio", "You", "Support"]); // the agent by name
    expect(host.querySelector("[data-testid=mark-solved]")).toBeNull();
    expect(host.querySelector("[data-testid=colleague-ticket]")!.textContent).toContain("Only the person who opened this request");
    expect(host.querySelector("a[href='#/organization']")!.textContent).toBe("← My organization's tickets");

    const box = host.querySelector<HTMLTextAreaElement>("[data-testid=reply-box]")!;
    box.value = "Me too, since 10am.";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    host.querySelector<HTMLFormElement>("form.reply")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(calls).toContain("POST /tickets/t2/messages"));

    await vi.waitFor(() => expect(box.value).toBe(""));
    box.value = "Back since noon, thanks.";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(calls.filter((c) => c === "POST /tickets/t2/messages")).toHaveLength(2)); // Ctrl+Enter sends
  });

  it("offers no rating once it is resolved, where the requester is asked for one", async () => {
    const { api } = fakeApi({ shares: true, ticket: ticket("t2", HANK, { status: "resolved" }), events });
    const host = mount(<PortalTicket api={api} id="t2" me={LISA} />, "es");
    await shown(host, "[data-testid=opened-by]");
    expect(host.querySelector("[data-testid=opened-by]")!.textContent).toBe("Abierto por Hank Scorpio");
    await settle();
    expect(host.querySelector("[data-testid=ticket-rating], [data-testid=csat-good]")).toBeNull();
    expect(host.querySelector("[data-testid=reply-box]")).not.toBeNull(); // replying stays allowed

    const own = fakeApi({ shares: true, ticket: ticket("t1", LISA_AS_REQUESTER, { status: "resolved" }), events: [] });
    const mine = mount(<PortalTicket api={own.api} id="t1" me={LISA} />);
    await shown(mine, "[data-testid=csat-good]");
    expect(mine.querySelector("[data-testid=opened-by], [data-testid=colleague-ticket]")).toBeNull();
  });
});

describe("the customer's own ticket in a sharing organisation", () => {
  it("is theirs to mark solved, and names a colleague's reply by who sent it", async () => {
    const said = (extra: Record<string, unknown>) => ({ body: "…", public: true, from_customer: true, ...extra });
    const events = [
      event(1, "created", LISA.sub, { description: "Wrong VAT" }),
      event(2, "public_message", HANK.id, said({ from: HANK.email, from_name: "Hank S." })), // in the portal (the API names him)
      event(3, "public_message", "email", said({ from: "Carl@Globex.example", from_name: "" })), // copied on her mail
      event(4, "public_message", "email", said({ from: "lisa@globex.example", from_name: "Lisa" })), // her own mail
      event(5, "public_message", "email", said({})), // a mail of before the sender was kept: the requester's
      event(6, "public_message", "cognito-sub-of-dee", said({})), // a colleague's reply, unnamed
    ];
    const { api } = fakeApi({ shares: true, ticket: ticket("t1", LISA_AS_REQUESTER), events });
    const host = mount(<PortalTicket api={api} id="t1" me={LISA} />);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=public-message]")).toHaveLength(6), { timeout: 2000 });
    expect([...host.querySelectorAll("[data-testid=public-message] header strong")].map((s) => s.textContent))
      .toEqual(["You", "Hank S.", "Carl@Globex.example", "You", "You", "Someone from your organization"]);
    expect(host.querySelector("[data-testid=mark-solved]")).not.toBeNull();
    expect(host.querySelector("[data-testid=opened-by], [data-testid=colleague-ticket]")).toBeNull();
    expect(host.querySelector("a[href='#/']")!.textContent).toBe("← My tickets");
  });
});
