import { afterEach, describe, expect, it, vi } from "vitest";
import { HelpdeskChat } from "../src/widget/chat";
import { pickLanguage, STRINGS } from "../src/widget/i18n";

if (!customElements.get("helpdesk-chat")) customElements.define("helpdesk-chat", HelpdeskChat);

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function mount(lang = "en"): HelpdeskChat {
  document.documentElement.lang = lang;
  const el = document.createElement("helpdesk-chat") as HelpdeskChat;
  el.setAttribute("tenant", "acme");
  el.setAttribute("api", "https://api.example");
  document.body.append(el);
  return el;
}

const q = (el: HelpdeskChat, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-testid=${id}]`)!;

afterEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe("widget", () => {
  it("has the same keys in every language and follows the page's language", () => {
    for (const lang of Object.keys(STRINGS) as (keyof typeof STRINGS)[]) {
      expect(Object.keys(STRINGS[lang]).sort()).toEqual(Object.keys(STRINGS.en).sort());
    }
    expect(pickLanguage("de-CH")).toBe("de");
    expect(pickLanguage("it", "fr-FR")).toBe("fr");
    expect(pickLanguage("pt-BR")).toBe("pt");
    expect(pickLanguage(undefined)).toBe("en");
    const el = mount("es");
    expect(q(el, "chat-launcher").getAttribute("aria-label")).toContain(STRINGS.es.open);
  });

  it("opens with the keyboard-reachable launcher and labels its controls", () => {
    const el = mount();
    const launcher = q(el, "chat-launcher");
    expect(launcher.getAttribute("aria-expanded")).toBe("false");
    launcher.click();
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    expect(q(el, "chat-input").getAttribute("aria-label")).toBe(STRINGS.en.input);
    expect(el.shadowRoot!.querySelector("[role=log]")).not.toBeNull();
  });

  it("tells a visitor handed over after hours when the team answers, in their language", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      return json(200, { message_id: "m1", reply_id: null, reply: null, intent: null, confidence: null, citations: [],
        actions: ["forwarded_to_ticket"], ticket: { id: "t1", number: "T-000001", status: "new" }, handed_over: true,
        notice: "Sent to our team on ticket T-000001.", answer_by: "2026-11-30T12:00:00+00:00" });
    }));
    const el = mount();
    await el.sendText("still broken");
    const status = el.shadowRoot!.querySelector("[role=status]")!.textContent ?? "";
    // the date in the visitor's own time zone and locale ("Monday, November 30 at 12:00 PM" in en-US, UTC)
    expect(status).toMatch(/^Sent to our team on ticket T-000001\. Expect an answer by Monday, \S.*30.* at the latest\.$/);
  });

  it("links citations to the portal behind sign-in where the help centre is not public", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous", help_center_public: false });
      return json(200, { message_id: "m1", reply_id: "r1", reply: "See the article.", intent: null, confidence: null,
        citations: [{ article_id: "a1", title: "Reset your password", url: null }], actions: [], ticket: null });
    }));
    const el = mount();
    await el.sendText("reset password");
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>("[data-testid=chat-citation]")!;
    expect(link.href).toBe("https://api.example/portal/#/kb/a1");  // a public page would answer 404 there
  });

  it("shows answers as text with citation links, then asks for an email", async () => {
    const fetch = vi.fn(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous", help_center_public: true });
      return json(200, {
        message_id: "m1", reply_id: "r1", reply: 'See <img src=x onerror="window.__xss=1">', intent: null, confidence: null,
        citations: [{ article_id: "a1", title: "Reset your password", url: null }], actions: ["ask_email"], ticket: null,
      });
    });
    vi.stubGlobal("fetch", fetch);
    const el = mount();
    await el.sendText("hello <b>there</b>");
    const messages = el.shadowRoot!.querySelectorAll("[data-testid=chat-message]");
    expect(messages.length).toBe(3); // greeting, the visitor's message, the answer
    expect(el.shadowRoot!.querySelector("img, b")).toBeNull();
    expect(messages[2]!.textContent).toContain("<img src=x");
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>("[data-testid=chat-citation]")!;
    expect(link.href).toBe("https://api.example/portal/#/help/acme/a1");  // the public page: no sign-in
    expect(link.rel).toContain("noopener");
    expect(el.shadowRoot!.querySelector<HTMLFormElement>("form.email")!.hidden).toBe(false);
    const [url, init] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer tok");
    // every call names the tenant, so the chat API can allow the tenant's widget origins in CORS
    expect(new URL(url).searchParams.get("tenant")).toBe("acme");
  });

  it("offers yes/no when the assistant asks to open a ticket, in the page's language", async () => {
    const sent: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      sent.push(JSON.parse(String(init?.body)).text);
      const actions = sent.length === 1 ? ["confirm_ticket"] : ["ask_email"];
      return json(200, { message_id: `m${sent.length}`, reply_id: `r${sent.length}`, reply: "…", intent: null, confidence: null, citations: [], actions, ticket: null });
    }));
    const el = mount("de");
    q(el, "chat-handoff").click();  // in German: the assistant answers in the language it is written to
    await vi.waitFor(() => expect(sent).toEqual(["Ich möchte mit einem Menschen sprechen"]));
    const yes = q(el, "chat-confirm-yes");
    await vi.waitFor(() => expect((yes.parentElement as HTMLElement).hidden).toBe(false));
    expect(yes.textContent).toBe("Ja");
    expect((yes.parentElement as HTMLElement).hidden).toBe(false);
    yes.click();
    await vi.waitFor(() => expect(sent).toEqual(["Ich möchte mit einem Menschen sprechen", "yes"]));
    await vi.waitFor(() => expect((yes.parentElement as HTMLElement).hidden).toBe(true));
    expect([...el.shadowRoot!.querySelectorAll("[data-role=user] .text")].map((n) => n.textContent)).toContain("Ja");
  });

  it("tells a refused message in the page's language, not the API's English", async () => {
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      return json(429, { error: { code: "rate_limited", message: "too many messages: at most 10 a minute", details: { retry_after_s: 30 } } });
    }));
    const el = mount("fr");
    await el.sendText("bonjour ?");
    const status = el.shadowRoot!.querySelector("[role=status]")!.textContent;
    expect(status).toBe("Trop de demandes à la fois. Patientez un instant et réessayez.");
  });

  it("starts a new conversation when the stored one is over, instead of failing every message", async () => {
    const posted: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/chat/sessions" && init?.method === "POST") return json(201, { id: "s2", token: "tok2", expires_at: "", kind: "anonymous" });
      if (path === "/chat/sessions/s1/messages" && init?.method === "POST") {
        return json(410, { error: { code: "gone", message: "this chat has ended", details: { reason: "expired" } } });
      }
      if (path === "/chat/sessions/s2/messages" && init?.method === "POST") {
        posted.push(JSON.parse(String(init.body)).text);
        return json(200, { message_id: "m1", reply_id: "r1", reply: "Hallo!", intent: null, confidence: null, citations: [], actions: [], ticket: null });
      }
      return json(410, { error: { code: "gone", message: "", details: {} } });
    }));
    sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify({ id: "s1", token: "tok" }));
    const el = mount("de");
    await el.sendText("Hallo?");
    expect(posted).toEqual(["Hallo?"]);
    expect(el.shadowRoot!.querySelector("[role=status]")!.textContent).toBe("Ein neues Gespräch wurde begonnen: Das vorige war beendet.");
    expect(JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!).id).toBe("s2");
  });

  it("stops polling a handed-over conversation that has ended and says replies come by mail", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      calls.push(url);
      if (calls.length === 1) return json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [] });
      return json(410, { error: { code: "gone", message: "this chat has ended", details: { reason: "expired" } } });
    }));
    sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify({ id: "s1", token: "tok", handedOver: true }));
    const el = mount("es");
    const status = () => el.shadowRoot!.querySelector("[role=status]")!.textContent;
    await vi.waitFor(() => expect(status()).toBe("Esta conversación ha terminado: nuestro equipo responde por correo."));
    const asked = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.length).toBe(asked);
  });

  it("polls for the agent's replies after hand-over, falling back to the transcript", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      calls.push(url);
      if (url.includes("/messages")) return json(405, { error: { code: "method_not_allowed", message: "", details: {} } });
      return json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [
        { id: "x1", role: "agent", text: "Hello from a person", at: "", citations: [], actions: [] },
      ] });
    }));
    sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify({ id: "s1", token: "tok", handedOver: true }));
    const el = mount();
    await el.poll();
    await el.poll();
    const agent = el.shadowRoot!.querySelectorAll("[data-role=agent]");
    expect(agent.length).toBe(1);
    expect(agent[0]!.textContent).toContain("Hello from a person");
    expect(calls.some((u) => u.includes("/messages"))).toBe(true);
  });

  it("asks only for messages after the last one it showed", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (url: string) => {
      calls.push(url);
      return json(200, { messages: [{ id: "x2", role: "agent", author_name: "Alice", text: "On it", at: "", citations: [], actions: [] }], next_after: "x2" });
    }));
    const el = mount();
    sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify({ id: "s1", token: "tok" }));
    (el as unknown as { session: unknown }).session = { id: "s1", token: "tok" };
    await el.poll();
    await el.poll();
    expect(calls[0]).toContain("/chat/sessions/s1/messages?wait=0");
    expect(calls[1]).toContain("after=x2");
    expect(el.shadowRoot!.querySelectorAll("[data-role=agent]").length).toBe(1);
    expect(el.shadowRoot!.querySelector("[data-role=agent] .who")!.textContent).toBe("Alice");
  });
});
