import { afterEach, describe, expect, it, vi } from "vitest";
import { HelpdeskChat } from "../src/widget/chat";
import { json, mount, stubChatApi } from "./widget-setup";
import { pickLanguage, STRINGS } from "../src/widget/i18n";

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
    stubChatApi(vi.fn(async (url: string) => {
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
    stubChatApi(vi.fn(async (url: string) => {
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
    stubChatApi(fetch);
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
    stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
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
    stubChatApi(vi.fn(async (url: string) => {
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
    stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
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
    stubChatApi(vi.fn(async (url: string) => {
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
    stubChatApi(vi.fn(async (url: string) => {
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
    stubChatApi(vi.fn(async (url: string) => {
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

describe("a visitor the site signed in", () => {
  const token = (email: string) => `h.${btoa(JSON.stringify({ email, exp: 2000000000 })).replace(/=+$/, "")}.s`;

  it("starts the chat with the site's token, or anonymously when the API refuses it", async () => {
    const starts: Record<string, unknown>[] = [];
    stubChatApi(async (url: string, init?: RequestInit) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        starts.push(body);
        if (body.identity === token("eve@example.com")) {
          return json(401, { error: { code: "unauthorized", message: "the visitor's identity token is not accepted: it has expired", details: { reason: "expired" } } });
        }
        return json(201, { id: `s${starts.length}`, token: "tok", expires_at: "", kind: body.identity ? "customer" : "anonymous" });
      }
      return json(200, { message_id: "m1", reply_id: "r1", reply: "…", intent: null, confidence: null, citations: [], actions: [], ticket: null });
    });
    const dana = mount("en", null, { identity: token("Dana@Example.com") });
    await dana.sendText("hello");
    expect(starts[0]).toEqual({ tenant_id: "acme", identity: token("Dana@Example.com") });
    expect(JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!).visitor).toBe("dana@example.com");

    dana.remove();
    sessionStorage.clear();
    const warned = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const eve = mount("en", null, { identity: token("eve@example.com") });
    await eve.sendText("hello");
    expect(starts.slice(1)).toEqual([{ tenant_id: "acme", identity: token("eve@example.com") }, { tenant_id: "acme" }]);
    expect(warned.mock.calls[0]![0]).toContain("chatting anonymously");
    expect(JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!).visitor).toBeUndefined();
    warned.mockRestore();
  });

  it("drops a signed-in visitor's conversation when a single-page site signs them out", () => {
    const el = mount("en", { id: "s1", token: "tok", visitor: "dana@example.com" }, { identity: token("dana@example.com") });
    expect(sessionStorage.getItem("helpdesk-chat:acme")).not.toBeNull();
    el.setAttribute("identity", token("dana@example.com"));  // the same visitor: kept
    expect(sessionStorage.getItem("helpdesk-chat:acme")).not.toBeNull();
    el.removeAttribute("identity");
    expect(sessionStorage.getItem("helpdesk-chat:acme")).toBeNull();
    expect(q(el, "chat-input")).not.toBeNull();  // the widget itself stays as it was
  });

  it("drops a signed-in visitor's conversation on a page where someone else, or no one, is signed in", () => {
    for (const [now, kept] of [["dana@example.com", true], ["eve@example.com", false], [null, false]] as const) {
      document.body.replaceChildren();
      mount("en", { id: "s1", token: "tok", visitor: "dana@example.com" }, now ? { identity: token(now) } : {});
      expect(sessionStorage.getItem("helpdesk-chat:acme") !== null).toBe(kept);
    }
  });
});

describe("the page a visitor writes from", () => {
  it("goes with each message without its query or fragment, which never leave the browser", async () => {
    const bodies: Record<string, unknown>[] = [];
    stubChatApi(async (url: string, init?: RequestInit) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return json(200, { message_id: "m1", reply_id: "r1", reply: "…", intent: null, confidence: null, citations: [], actions: [], ticket: null });
    });
    history.replaceState(null, "", "/pricing/team?email=visitor%40example.org#plans");
    document.title = "  Pricing — Acme ";
    try {
      const el = mount();
      await el.sendText("How much is the team plan?");
      expect(bodies[0]).toEqual({ text: "How much is the team plan?", page: { url: `${location.origin}/pricing/team`, title: "Pricing — Acme" } });
      expect(JSON.stringify(bodies)).not.toContain("visitor");
    } finally {
      history.replaceState(null, "", "/");
      document.title = "";
    }
  });
});

describe("replies that came while the widget was closed", () => {
  it("are counted on the launcher, kept over a reload and cleared when the visitor opens it", async () => {
    let replies = [{ id: "x1", role: "agent", author_name: "Alice", text: "Found it.", at: "", citations: [], actions: [] },
      { id: "x2", role: "agent", author_name: "Alice", text: "Try again now?", at: "", citations: [], actions: [] }];
    stubChatApi(async (url: string) => {
      if (new URL(url).pathname.endsWith("/messages")) {
        if (!replies.length) await new Promise((resolve) => setTimeout(resolve, 30));  // a long poll that ends empty
        const page = { messages: replies, next_after: replies.at(-1)?.id ?? null };
        replies = [];
        return json(200, page);
      }
      return json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [] });  // the transcript a reload reads
    });
    const el = mount("de", { id: "s1", token: "tok", handedOver: true });
    const launcher = q(el, "chat-launcher");
    const badge = q(el, "chat-unread");
    await vi.waitFor(() => expect(badge.textContent).toBe("2"));
    expect(badge.hidden).toBe(false);
    expect(launcher.getAttribute("aria-label")).toBe(`${STRINGS.de.title}: ${STRINGS.de.open} (Neue Nachrichten: 2)`);
    expect(JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!).unread).toBe(2);

    el.remove();  // the visitor goes to another page of the site
    const again = mount("de", JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!) as object);
    await vi.waitFor(() => expect(q(again, "chat-unread").textContent).toBe("2"));
    q(again, "chat-launcher").click();
    expect(q(again, "chat-unread").hidden).toBe(true);
    expect(q(again, "chat-launcher").getAttribute("aria-label")).toBe(`${STRINGS.de.title}: ${STRINGS.de.open}`);
    expect(JSON.parse(sessionStorage.getItem("helpdesk-chat:acme")!).unread).toBe(0);
  });

  it("are not counted while the visitor has the widget open", async () => {
    let replies = [{ id: "x1", role: "agent", text: "Found it.", at: "", citations: [], actions: [] }];
    stubChatApi(async (url: string) => {
      if (new URL(url).pathname.endsWith("/messages")) {
        if (!replies.length) await new Promise((resolve) => setTimeout(resolve, 30));
        const page = { messages: replies, next_after: "x1" };
        replies = [];
        return json(200, page);
      }
      return json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [] });
    });
    const el = mount("en", { id: "s1", token: "tok", handedOver: true });
    q(el, "chat-launcher").click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("[data-role=agent]").length).toBe(1));
    expect(q(el, "chat-unread").hidden).toBe(true);
  });
});

describe("a page that switches its language", () => {
  it("keeps the conversation, its greeting in the new language", async () => {
    stubChatApi(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      return json(200, { message_id: "m1", reply_id: "r1", reply: "Here is how.", intent: null, confidence: null, citations: [], actions: [], ticket: null });
    });
    const el = mount("en");
    await el.sendText("How do I reset my password?");
    el.setAttribute("lang", "de");
    const texts = [...el.shadowRoot!.querySelectorAll("[data-testid=chat-message] .text")].map((n) => n.textContent);
    expect(texts).toEqual([STRINGS.de.greeting, "How do I reset my password?", "Here is how."]);
    expect(q(el, "chat-send").textContent).toBe(STRINGS.de.send);
  });
});

describe("a visitor who writes in another language than the page's", () => {
  it("reads the widget's own words in the conversation's language, the panel and the open question as they were", async () => {
    const sent: string[] = [];
    stubChatApi(async (url: string, init?: RequestInit) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      sent.push(JSON.parse(String(init?.body)).text);
      return json(200, { message_id: "m1", reply_id: "r1", reply: "Puedo pasar esta conversación a una persona. ¿Lo hago?",
        intent: null, confidence: null, citations: [], actions: ["confirm_ticket"], ticket: null, language: "es" });
    });
    const el = mount("en");
    q(el, "chat-launcher").click();
    q(el, "chat-input").focus();
    await el.sendText("Quiero hablar con una persona");
    expect(q(el, "chat-send").textContent).toBe(STRINGS.es.send);
    expect(q(el, "chat-input").getAttribute("placeholder")).toBe(STRINGS.es.placeholder);
    expect(q(el, "chat-handoff").textContent).toBe(STRINGS.es.person);
    expect(q(el, "chat-launcher").getAttribute("aria-expanded")).toBe("true");  // still open
    expect((q(el, "chat-confirm-yes").parentElement as HTMLElement).hidden).toBe(false);  // the offer's answers
    expect(q(el, "chat-confirm-yes").textContent).toBe(STRINGS.es.yes);
    expect(el.shadowRoot!.activeElement).toBe(q(el, "chat-input"));  // typing goes on where it was
    const texts = [...el.shadowRoot!.querySelectorAll("[data-testid=chat-message] .text")].map((n) => n.textContent);
    // what was said stays as it was said; the widget's own greeting follows, as on a site's switch
    expect(texts).toEqual([STRINGS.es.greeting, "Quiero hablar con una persona",
      "Puedo pasar esta conversación a una persona. ¿Lo hago?"]);
  });

  it("keeps the page's language until the conversation has one", async () => {
    stubChatApi(async (url: string) => {
      if (url.split("?")[0]!.endsWith("/chat/sessions")) return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
      return json(200, { message_id: "m1", reply_id: "r1", reply: "…", intent: null, confidence: null, citations: [], actions: [],
        ticket: null, language: null });
    });
    const el = mount("de");
    await el.sendText("👍");
    expect(q(el, "chat-send").textContent).toBe(STRINGS.de.send);
  });
});

describe("the team's look", () => {
  const LOOK = { title: "Acme support", accent_color: "#0b6e4f", position: "left" as const,
    greetings: { en: "Hi from Acme! Ask about your order.", de: "Hallo von Acme! Fragen Sie uns." } };
  /** The styles the widget has beyond its own: a constructed sheet where the browser has them, else a <style>. */
  const extraCss = (el: HelpdeskChat) => {
    const sheets = el.shadowRoot!.adoptedStyleSheets ?? [];
    return sheets.length > 1 ? [...sheets[1]!.cssRules].map((r) => r.cssText).join("\n")
      : [...el.shadowRoot!.querySelectorAll("style")].map((s) => s.textContent).join("\n");
  };

  it("shows the team's title, greeting in the page's language, colour and corner once read", async () => {
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal("fetch", vi.fn((url: string) => new URL(url).pathname === "/chat/widget"
      ? new Promise<Response>((resolve) => { answer = resolve; })
      : Promise.reject(new Error("no conversation in this test"))));
    const el = mount("de");
    const launcher = q(el, "chat-launcher");
    expect(launcher.hidden).toBe(true);  // not shown in the built-in colours first
    const asked = (vi.mocked(fetch).mock.calls[0] as unknown as [string])[0];
    expect(new URL(asked).searchParams.getAll("tenant")).toEqual(["acme"]);  // once: the route takes it itself
    answer(json(200, LOOK));
    await vi.waitFor(() => expect(launcher.hidden).toBe(false));
    expect(el.shadowRoot!.querySelector("header h2")!.textContent).toBe("Acme support");
    expect(launcher.textContent).toContain("Acme support");
    expect(launcher.getAttribute("aria-label")).toBe(`Acme support: ${STRINGS.de.open}`);
    expect(el.shadowRoot!.querySelector("[data-role=assistant] .text")!.textContent).toBe("Hallo von Acme! Fragen Sie uns.");
    const css = extraCss(el);
    expect(css).toContain("--accent: #0b6e4f");
    expect(css).toMatch(/left: 20px/);
  });

  it("shows the team's title in the page's language where it wrote one, else its one title", async () => {
    const look = { ...LOOK, titles: { de: "Hilfe von Acme" } };
    stubChatApi(async () => json(404, {}), look);
    const german = mount("de");
    await vi.waitFor(() => expect(german.shadowRoot!.querySelector("header h2")!.textContent).toBe("Hilfe von Acme"));
    expect(q(german, "chat-launcher").getAttribute("aria-label")).toBe(`Hilfe von Acme: ${STRINGS.de.open}`);
    document.body.replaceChildren();
    const french = mount("fr");
    await vi.waitFor(() => expect(french.shadowRoot!.querySelector("header h2")!.textContent).toBe("Acme support"));
  });

  it("greets in the team's English where it wrote nothing in the page's language, and keeps the built-in title", async () => {
    stubChatApi(async () => json(404, {}), { title: null, accent_color: null, position: "right", greetings: { en: "Hi from Acme!" } });
    const el = mount("es");
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("[data-role=assistant] .text")!.textContent).toBe("Hi from Acme!"));
    expect(el.shadowRoot!.querySelector("header h2")!.textContent).toBe(STRINGS.es.title);
    expect(extraCss(el)).toBe("");
  });

  it("shows the built-in widget where the look cannot be read, and never puts an odd value into its styles", async () => {
    const el = mount("fr");  // the default fake API: 404 for the look
    await vi.waitFor(() => expect(q(el, "chat-launcher").hidden).toBe(false));
    expect(el.shadowRoot!.querySelector("header h2")!.textContent).toBe(STRINGS.fr.title);
    expect(el.shadowRoot!.querySelector("[data-role=assistant] .text")!.textContent).toBe(STRINGS.fr.greeting);
    document.body.replaceChildren();
    vi.unstubAllGlobals();
    stubChatApi(async () => json(404, {}), { title: "Acme", accent_color: "red; } * { display: none", position: "top" } as never);
    const odd = mount("en");
    await vi.waitFor(() => expect(odd.shadowRoot!.querySelector("header h2")!.textContent).toBe("Acme"));
    expect(extraCss(odd)).toBe("");
  });
});
