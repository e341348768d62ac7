import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { TicketRating } from "../src/portal/csat";
import { PORTAL_TEXT, PortalLanguage, portalLanguage, rememberLanguage, statusName } from "../src/portal/i18n";
import { TicketDetails } from "../src/portal/ticket-details";
import { MyTickets, NewTicket } from "../src/portal/tickets";
import { LANGUAGES } from "../src/shared/language";

const shown = (host: HTMLElement, selector: string) =>
  vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });

function fakeApi(body: unknown) {
  const fetch = (async () => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } })) as unknown as typeof globalThis.fetch;
  return new ApiClient({ baseUrl: "https://api.example", fetch });
}

const ticket = (status: string, extra: Partial<Ticket> = {}): Ticket => ({
  id: "t1", number: "T-000001", subject: "Drucker klemmt", description: "Seit gestern", status, priority: "normal",
  created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T11:00:00Z", ...extra,
}) as unknown as Ticket;

const storage = (value: string | null) => ({ getItem: () => value });

describe("the portal's language", () => {
  it("is the customer's choice, else the browser's first language the helpdesk writes in", () => {
    expect(portalLanguage(storage("pt"), ["de-DE"])).toBe("pt");
    expect(portalLanguage(storage(null), ["ja", "de-AT", "en"])).toBe("de");
    expect(portalLanguage(storage(null), ["en-GB", "fr"])).toBe("en");
    expect(portalLanguage(storage("xx"), ["es-MX"])).toBe("es");
    expect(portalLanguage(storage(null), ["ja"])).toBe("en");
  });

  it("has every sentence in every language, with the same blanks", () => {
    const blanks = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of LANGUAGES) {
      expect(Object.keys(PORTAL_TEXT[lang]).sort()).toEqual(Object.keys(PORTAL_TEXT.en).sort());
      for (const [key, text] of Object.entries(PORTAL_TEXT.en)) {
        expect(blanks((PORTAL_TEXT[lang] as Record<string, string>)[key]!)).toEqual(blanks(text));
      }
    }
    // "pending" waits for the customer: the portal says so (as Zendesk's "Awaiting your reply")
    expect(statusName("pending", PORTAL_TEXT.fr)).toBe("en attente de votre réponse");
    expect(statusName("archived", PORTAL_TEXT.fr)).toBe("archived");
  });

  it("shows a German customer's tickets in German", async () => {
    const api = fakeApi({ items: [ticket("pending")], next_cursor: null });
    const host = document.createElement("div");
    render(<PortalLanguage.Provider value="de"><MyTickets api={api} me={{ sub: "email:kim@example.com", email: "kim@example.com" }} /></PortalLanguage.Provider>, host);
    await shown(host, '[data-testid="ticket-row"]');
    expect(host.querySelector("h1")?.textContent).toBe("Meine Tickets");
    const row = host.querySelector('[data-testid="ticket-row"]')?.textContent ?? "";
    expect(row).toContain("Drucker klemmt");
    expect(row).toContain("wartet auf Ihre Antwort");
    expect(row).toMatch(/aktualisiert \S/);
    expect(host.querySelector(".pager")?.getAttribute("aria-label")).toBe("Seiten");
  });

  it("asks for the rating of a resolved ticket in the portal's language", () => {
    const host = document.createElement("div");
    const rated = ticket("resolved", { csat: { rating: "good", comment: null, at: "2026-12-01T12:00:00Z" } } as Partial<Ticket>);
    render(<TicketRating api={fakeApi({})} ticket={rated} lang="es" onRated={() => undefined} />, host);
    expect(host.querySelector("h2")?.textContent).toBe("¿Qué tal lo hicimos?");
    expect(host.querySelector('[role="status"]')?.textContent).toBe("Su valoración: bien. Puede cambiarla.");
    expect(host.querySelector('[data-testid="csat-bad"]')?.textContent).toBe("Mal");
  });
});

describe("a failed call in the portal", () => {
  it("is told in the customer's language with the reference, not in the API's English", async () => {
    const fetch = (async () => new Response(JSON.stringify({ error: { code: "validation_error", message: "request does not match the schema",
      details: { errors: [{ loc: ["body", "description"], type: "string_too_long", msg: "String should have at most 20000 characters" }] } } }),
      { status: 422, headers: { "content-type": "application/json" } })) as unknown as typeof globalThis.fetch;
    const host = document.createElement("div");
    render(<PortalLanguage.Provider value="de"><NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} /></PortalLanguage.Provider>, host);
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await shown(host, '[data-testid="problem"]');
    const alert = host.querySelector('[data-testid="problem"]')!.textContent ?? "";
    expect(alert).toContain("Ihr Text ist länger als erlaubt.");
    expect(alert).toContain("Referenz: 422 validation_error");
    expect(alert).not.toContain("schema");
  });
});

describe("a new request with files", () => {
  it("says the request was opened when its files could not be added, and links it instead of opening it twice", async () => {
    const calls: string[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
      const created = new URL(url).pathname === "/tickets";
      return new Response(JSON.stringify(created ? ticket("new") : { error: { code: "payload_too_large", message: "m", details: {} } }),
        { status: created ? 201 : 413, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.createElement("div");
    render(<PortalLanguage.Provider value="de"><NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} /></PortalLanguage.Provider>, host);
    const input = host.querySelector('[data-testid="new-files"]') as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [new File(["x"], "screen.png", { type: "image/png" })] });
    input.dispatchEvent(new Event("change"));
    await new Promise((r) => setTimeout(r, 0)); // the page re-renders with the chosen file, as between two clicks
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await shown(host, '[data-testid="files-not-added"]');
    expect(host.querySelector('[data-testid="files-not-added"]')!.textContent).toContain("Ihre Anfrage T-000001 wurde eröffnet");
    expect(host.querySelector('a[href="#/t/t1"]')).not.toBeNull();
    // once, and no message without its files (the form read the fields it asks for first)
    expect(calls).toEqual(["GET /ticket-fields", "POST /tickets", "POST /tickets/t1/attachments"]);
  });
});

describe("a browser that blocks storage", () => {
  it("still shows the portal in the browser's language and takes a pick", () => {
    const blocked = { getItem: () => { throw new DOMException("denied", "SecurityError"); },
                      setItem: () => { throw new DOMException("denied", "SecurityError"); } };
    expect(portalLanguage(blocked, ["fr-FR"])).toBe("fr");
    expect(() => rememberLanguage("de", blocked)).not.toThrow();
  });
});

describe("the public help centre's addresses", () => {
  it("name the tenant, the article and the question", async () => {
    const { publicHelpRoute, askedQuestion } = await import("../src/portal/help-center");
    expect(publicHelpRoute("#/help/acme")).toEqual({ tenant: "acme", id: null });
    expect(publicHelpRoute("#/help/acme/kb_1?q=reset")).toEqual({ tenant: "acme", id: "kb_1" });
    expect(publicHelpRoute("#/help/ac%20me/kb%2F1")).toEqual({ tenant: "ac me", id: "kb/1" });
    expect(publicHelpRoute("#/kb/kb_1")).toBeNull();
    expect(askedQuestion("/help/acme?q=reset%20my%20password")).toBe("reset my password");
    expect(askedQuestion("/kb")).toBe("");
  });
});

describe("the details of a customer's ticket", () => {
  it("shows the fields shown to customers under their labels, in the portal's language", async () => {
    const fetch = (async (url: string) => {
      if (new URL(url).pathname === "/ticket-fields") {
        return Response.json({ version: 3, fields: [
          { key: "order_number", label: "Bestellnummer", type: "text", options: [], description: "", active: true, customer_visible: true },
          { key: "gift", label: "Geschenk", type: "checkbox", options: [], description: "", active: true, customer_visible: true }] });
      }
      return Response.json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(
      <PortalLanguage.Provider value="de">
        <TicketDetails api={new ApiClient({ baseUrl: "https://api.example", fetch })} values={{ order_number: "ORD-7", gift: false }} />
      </PortalLanguage.Provider>, host);
    const details = await vi.waitFor(() => {
      const found = host.querySelector("[data-testid=ticket-details]");
      if (!found) throw new Error("no details yet");
      return found;
    });
    expect([...details.querySelectorAll("div")].map((row) => row.textContent)).toEqual(["Bestellnummer ORD-7", "Geschenk Nein"]);
    expect(details.getAttribute("aria-label")).toBe("Angaben");
    host.remove();
  });
});

describe("the fields a team asks of a new request", () => {
  it("offers the ones customers fill in, marks the required ones and sends what was typed", async () => {
    const sent: unknown[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      if (new URL(url).pathname === "/ticket-fields") {
        return Response.json({ version: 2, fields: [
          { key: "order_number", label: "Bestellnummer", type: "text", options: [], description: "Aus der Bestellmail", active: true,
            customer_visible: true, customer_editable: true, required_for_customers: true },
          { key: "plan", label: "Tarif", type: "dropdown", options: ["free", "pro"], description: "", active: true,
            customer_visible: true, customer_editable: true, required_for_customers: false },
          { key: "shipped", label: "Versendet", type: "checkbox", options: [], description: "", active: true, customer_visible: true }] });
      }
      sent.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify(ticket("new")), { status: 201, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<PortalLanguage.Provider value="de"><NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} /></PortalLanguage.Provider>, host);
    await shown(host, '[data-testid="field-order_number"]');
    const order = host.querySelector('[data-testid="field-order_number"]') as HTMLInputElement;
    expect(order.required).toBe(true);
    expect(order.closest("label")!.textContent).toContain("Bestellnummer (Pflichtfeld)");
    expect((host.querySelector('[data-testid="field-plan"]') as HTMLSelectElement).required).toBe(false);
    expect(host.querySelector('[data-testid="field-shipped"]')).toBeNull(); // shown to them, not theirs to fill
    const type = (selector: string, value: string) => {
      const input = host.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input"));
    };
    type('[data-testid="new-subject"]', "Rückerstattung");
    type('[data-testid="new-description"]', "Doppelt belastet");
    type('[data-testid="field-order_number"]', "ORD-7");
    await new Promise((r) => setTimeout(r, 0));
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ subject: "Rückerstattung", description: "Doppelt belastet", custom_fields: { order_number: "ORD-7" } });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t1")); // the request opens
    window.location.hash = ""; // the window is shared with the other test files (isolate: false)
    host.remove();
  });
});

describe("the request forms of a new request", () => {
  const FIELDS = [
    { key: "order_number", label: "Bestellnummer", type: "text", options: [], description: "", active: true,
      customer_visible: true, customer_editable: true, required_for_customers: true },
    { key: "plan", label: "Tarif", type: "dropdown", options: ["free", "pro"], description: "", active: true,
      customer_visible: true, customer_editable: true },
    { key: "version", label: "Version", type: "text", options: [], description: "", active: true,
      customer_visible: true, customer_editable: true, required_for_customers: true },
    { key: "country", label: "Land", type: "text", options: [], description: "", active: true, // asked by no form
      customer_visible: true, customer_editable: true, required_for_customers: true },
  ];
  const FORMS = [
    { key: "billing", name: "Rechnungsfrage", description: "Rechnungen und Erstattungen", fields: ["plan", "order_number"],
      group: null, active: true },
    { key: "bug", name: "Fehlermeldung", description: "", fields: ["version"], group: null, active: true },
  ];

  async function openForm() {
    const sent: Record<string, unknown>[] = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      if (new URL(url).pathname === "/ticket-fields") return Response.json({ version: 2, fields: FIELDS, forms: FORMS });
      sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return new Response(JSON.stringify(ticket("new")), { status: 201, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<PortalLanguage.Provider value="de"><NewTicket api={new ApiClient({ baseUrl: "https://api.example", fetch })} /></PortalLanguage.Provider>, host);
    await shown(host, '[data-testid="request-forms"]');
    const pick = async (key: string) => {
      host.querySelector<HTMLInputElement>(`[data-testid="request-form"][value="${key}"]`)!.click();
      await new Promise((r) => setTimeout(r, 0));
    };
    const type = async (selector: string, value: string) => {
      const input = host.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input"));
      await new Promise((r) => setTimeout(r, 0));
    };
    const asked = () => [...host.querySelectorAll<HTMLInputElement>('[data-testid^="field-"]')]
      .map((input) => [input.dataset.testid, input.required]);
    const submit = () => host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    return { host, sent, pick, type, asked, submit };
  }

  it("asks what the request is about first, then only the picked form's fields in its order, and sends the form", async () => {
    const { host, sent, pick, type, asked, submit } = await openForm();
    const picker = host.querySelector('[data-testid="request-forms"]')!;
    expect(picker.querySelector("legend")!.textContent).toBe("Worum geht es in Ihrer Anfrage?");
    expect([...picker.querySelectorAll("label")].map((l) => l.textContent))
      .toEqual(["RechnungsfrageRechnungen und Erstattungen", "Fehlermeldung", "Etwas anderes"]);
    expect(host.querySelector('[data-testid="new-subject"]')).toBeNull(); // the rest follows the pick

    await pick("bug");
    expect(asked()).toEqual([["field-version", true]]);
    await type('[data-testid="field-version"]', "4.2"); // typed, then another form picked: not sent
    await pick("billing");
    expect(asked()).toEqual([["field-plan", false], ["field-order_number", true]]);
    expect(host.querySelector('[data-testid="field-order_number"]')!.closest("label")!.textContent).toContain("Bestellnummer (Pflichtfeld)");
    await type('[data-testid="new-subject"]', "Doppelt belastet");
    await type('[data-testid="new-description"]', "Zweimal abgebucht");
    await type('[data-testid="field-order_number"]', "ORD-7");
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ subject: "Doppelt belastet", description: "Zweimal abgebucht", custom_fields: { order_number: "ORD-7" },
      form: "billing" });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t1"));
    window.location.hash = ""; // the window is shared with the other test files (isolate: false)
    host.remove();
  });

  it("asks every field for something else, requiring only those no form asks, and sends no form", async () => {
    const { host, sent, pick, type, asked, submit } = await openForm();
    await pick("");
    expect(asked()).toEqual([["field-order_number", false], ["field-plan", false], ["field-version", false], ["field-country", true]]);
    await type('[data-testid="field-country"]', "AT");
    await type('[data-testid="new-subject"]', "Frage");
    await type('[data-testid="new-description"]', "Etwas ganz anderes");
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ subject: "Frage", description: "Etwas ganz anderes", custom_fields: { country: "AT" } });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t1"));
    window.location.hash = "";
    host.remove();
  });
});

describe("the help centre's sections", () => {
  it("list sections by name, then the articles in none, each in the list's order", async () => {
    const { bySection } = await import("../src/portal/help-center");
    const a = (id: string, section?: string) => ({ id, title: id, language: "en", section });
    expect(bySection([a("x"), a("reset", "Account"), a("refund", "Billing"), a("2fa", "Account"), a("y", "")]))
      .toEqual([["Account", [a("reset", "Account"), a("2fa", "Account")]], ["Billing", [a("refund", "Billing")]],
                ["", [a("x"), a("y", "")]]]);
  });
});
