// A page reload restores the conversation from GET /chat/sessions/{id}; the answers to the assistant's question
// still open (Yes/No to a ticket, the address form) come back from the transcript's `awaiting`, never from a guess
// at the last message, and not once the visitor answered.
import { afterEach, describe, expect, it, vi } from "vitest";
import { HelpdeskChat } from "../src/widget/chat";
import { json, mount, stubChatApi } from "./widget-setup";

const QUESTION = { id: "00000001-q", role: "user", text: "What is the capital of France?", at: "", citations: [], actions: [] };
const OFFER = { id: "00000002-a", role: "assistant", text: "I don't know that. Shall I open a ticket?", at: "", citations: [], actions: ["offer_ticket"] };

interface Posted { path: string; text: string }

/** A fake chat API for session s1: the transcript (`awaiting` as given; `hold` delays it until released) and the
 * replies to posted texts, by text. */
function fakeApi(awaiting: string | null, replies: Record<string, Record<string, unknown>> = {}, hold?: Promise<void>,
  language: string | null = null) {
  const posted: Posted[] = [];
  stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === "/chat/sessions/s1" && (init?.method ?? "GET") === "GET") {
      await hold;
      return json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [QUESTION, OFFER], awaiting, language });
    }
    if (path === "/chat/sessions/s1/messages" && init?.method === "POST") {
      const text = String(JSON.parse(String(init.body)).text);
      posted.push({ path, text });
      return json(200, { message_id: `0000000${posted.length + 2}-q`, reply_id: `0000000${posted.length + 2}-a`, reply: "OK.",
        intent: null, confidence: null, citations: [], actions: [], ticket: null, ...replies[text] });
    }
    if (path === "/chat/sessions/s1/messages") {  // the hand-over's long poll: nothing new, after a while
      await new Promise((resolve) => setTimeout(resolve, 50));
      return json(200, { messages: [], next_after: null });
    }
    return json(404, { error: { code: "not_found", message: "", details: {} } });
  }));
  return posted;
}

const reload = (stored: Record<string, unknown> = { id: "s1", token: "tok" }): HelpdeskChat => mount("en", stored);

const q = (el: HelpdeskChat, id: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-testid=${id}]`)!;
const confirmShown = (el: HelpdeskChat) => !(q(el, "chat-confirm-yes").parentElement as HTMLElement).hidden;
const emailShown = (el: HelpdeskChat) => !(q(el, "chat-email").closest("form") as HTMLFormElement).hidden;
const restored = (el: HelpdeskChat) => vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("[data-testid=chat-message]").length).toBe(3));
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe("widget: the open question after a reload", () => {
  it("speaks the conversation's language again, its answers too", async () => {
    fakeApi("ticket_confirm", {}, undefined, "fr");
    const el = reload();
    await restored(el);
    await vi.waitFor(() => expect(confirmShown(el)).toBe(true));
    expect(q(el, "chat-confirm-yes").textContent).toBe("Oui");
    expect(q(el, "chat-send").textContent).toBe("Envoyer");
  });

  it("offers Yes/No again while the conversation awaits the answer to the ticket offer; Yes answers it", async () => {
    const posted = fakeApi("ticket_confirm", { yes: { reply: "Your e-mail address?", actions: ["ask_email"] } });
    const el = reload();
    await restored(el);
    await vi.waitFor(() => expect(confirmShown(el)).toBe(true));
    expect(emailShown(el)).toBe(false);

    q(el, "chat-confirm-yes").click();
    await vi.waitFor(() => expect(emailShown(el)).toBe(true));
    expect(posted).toEqual([{ path: "/chat/sessions/s1/messages", text: "yes" }]);
    expect(confirmShown(el)).toBe(false);  // answered: gone
  });

  it("shows no buttons when the offer was answered, even with the offer as the last message", async () => {
    fakeApi(null);
    const el = reload();
    await restored(el);
    await settled();
    expect([confirmShown(el), emailShown(el)]).toEqual([false, false]);
  });

  it("offers the address form again to a visitor who was asked for it, without taking the focus", async () => {
    fakeApi("email");
    const el = reload();
    await restored(el);
    await vi.waitFor(() => expect(emailShown(el)).toBe(true));
    expect(confirmShown(el)).toBe(false);
    expect(el.shadowRoot!.activeElement).toBeNull();  // the panel may be closed: nothing jumps
  });

  it("keeps what the visitor answered while the restore was on its way", async () => {
    let release!: () => void;
    const posted = fakeApi("ticket_confirm", {}, new Promise<void>((resolve) => { release = resolve; }));
    const el = reload();
    await el.sendText("no");  // typed before the transcript came back: the offer is answered
    release();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("[data-testid=chat-message]").length).toBe(5));
    await settled();
    expect(posted.map((p) => p.text)).toEqual(["no"]);
    expect(confirmShown(el)).toBe(false);
  });

  it("offers no Yes/No after the hand-over, where a plain yes goes to the ticket", async () => {
    fakeApi(null, { "/ask what is the capital of France?": { reply: "I don't know that. Shall I open a ticket?", actions: ["offer_ticket"] } });
    const el = reload({ id: "s1", token: "tok", handedOver: true });
    await restored(el);
    await el.sendText("/ask what is the capital of France?");
    expect(el.shadowRoot!.querySelector("[data-testid=chat-message]:last-child")!.textContent).toContain("Shall I open a ticket?");
    expect(confirmShown(el)).toBe(false);
    el.remove();  // stops the hand-over's polling
  });
});

describe("widget: a message's addresses", () => {
  it("links an agent's http(s) addresses, opened in a new tab, and nothing else", async () => {
    const reply = { id: "00000003-r", role: "agent", author_name: "Alex", at: "", citations: [], actions: [],
      text: "Read the guide (https://help.example/reset). Not javascript:alert(1) nor www.example.com" };
    stubChatApi(vi.fn(async (url: string) => new URL(url).pathname === "/chat/sessions/s1"
      ? json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: [QUESTION, OFFER, reply], awaiting: null })
      : json(200, { messages: [], next_after: null })));
    const el = reload();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("[data-testid=chat-message]").length).toBe(4));
    const message = [...el.shadowRoot!.querySelectorAll<HTMLElement>("[data-testid=chat-message]")].at(-1)!;
    const links = [...message.querySelectorAll<HTMLAnchorElement>("p.text a")];
    expect(links.map((a) => [a.getAttribute("href"), a.textContent, a.target, a.rel])).toEqual([
      ["https://help.example/reset", "https://help.example/reset", "_blank", "noopener noreferrer"]]);
    expect(message.querySelector("p.text")!.textContent).toBe(reply.text); // the words as written, the full stop too
  });
});
