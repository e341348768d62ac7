// "Did this answer your question?" under the widget's cited answers: POST …/messages/{id}/feedback, the thanks,
// the assistant's offer of a person after "no" (shown once), and answers already rated or not rateable.
import { afterEach, describe, expect, it, vi } from "vitest";
import { HelpdeskChat } from "../src/widget/chat";
import { json, mount, stubChatApi } from "./widget-setup";
import { STRINGS } from "../src/widget/i18n";

const CITED = [{ article_id: "a1", title: "Reset your password", url: null }];
const OFFER = {
  id: "00000003-off", role: "assistant", at: "2026-12-03T10:00:00+00:00", citations: [], actions: ["offer_ticket"], helpful: null,
  text: "I'm sorry that did not answer your question. Would you like me to create a ticket so that a person from our team can help?",
};

interface Call { method: string; path: string; body: unknown; auth: string | undefined }

/** A fake chat API: the answer to each text sent (cited unless it asks about France), and `feedback` for ratings. */
function fakeApi(feedback: (body: { helpful: boolean }) => Response | Promise<Response>, poll: unknown[] = []) {
  const calls: Call[] = [];
  let n = 0;
  stubChatApi(vi.fn(async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : null;
    calls.push({ method, path, body, auth: (init?.headers as Record<string, string> | undefined)?.authorization });
    if (path === "/chat/sessions" && method === "POST") return json(201, { id: "s1", token: "tok", expires_at: "", kind: "anonymous" });
    if (path.endsWith("/feedback")) return feedback(body as { helpful: boolean });
    if (path === "/chat/sessions/s1/messages" && method === "POST") {
      n += 1;
      const known = !String((body as { text: string }).text).includes("France");
      return json(200, { message_id: `0000000${n}-q`, reply_id: `0000000${n}-a`, reply: known ? "Open Settings, then Reset." : "I don't know that.",
        intent: null, confidence: null, citations: known ? CITED : [], actions: [], ticket: null });
    }
    if (path === "/chat/sessions/s1/messages") return json(200, { messages: poll, next_after: null });
    return json(404, { error: { code: "not_found", message: "", details: {} } });
  }));
  return calls;
}

const all = (el: HelpdeskChat, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const one = (el: HelpdeskChat, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const messages = (el: HelpdeskChat) => all(el, "[data-testid=chat-message]");
const feedbackOf = (message: HTMLElement) => message.querySelector<HTMLElement>("[data-testid=chat-feedback]");

afterEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe("widget: did this answer your question?", () => {
  it("asks only under the assistant's cited answers, with buttons that say what they do", async () => {
    fakeApi(() => json(500, {}));
    const el = mount();
    await el.sendText("What is the capital of France?");
    await el.sendText("How do I reset my password?");
    const [greeting, question, unknown, , answer] = messages(el);
    for (const m of [greeting, question, unknown]) expect(feedbackOf(m!)).toBeNull();
    const line = feedbackOf(answer!)!;
    expect(line).not.toBeNull();
    const group = line.querySelector("[role=group]")!;
    expect(el.shadowRoot!.getElementById(group.getAttribute("aria-labelledby")!)!.textContent).toBe("Did this answer your question?");
    const buttons = [...line.querySelectorAll("button")];
    expect(buttons.map((b) => [b.type, b.textContent, b.getAttribute("aria-label")])).toEqual([
      ["button", "Yes", "Yes, this answered my question"], ["button", "No", "No, this did not answer my question"]]);
    expect(line.querySelector("[role=status]")!.textContent).toBe("");  // the live region is there before the thanks
    expect(all(el, "[data-testid=chat-feedback]").length).toBe(1);
  });

  it("posts yes for that answer and thanks the visitor in place of the buttons", async () => {
    let release!: () => void;
    const calls = fakeApi(async (body) => {
      await new Promise<void>((resolve) => { release = resolve; });
      return json(200, { message_id: "00000001-a", helpful: body.helpful, offer: null });
    });
    const el = mount();
    await el.sendText("How do I reset my password?");
    const yes = one(el, "[data-testid=chat-helpful-yes]") as HTMLButtonElement;
    const no = one(el, "[data-testid=chat-helpful-no]") as HTMLButtonElement;
    yes.click();
    await vi.waitFor(() => expect(calls.some((c) => c.path.endsWith("/feedback"))).toBe(true));
    expect([yes.disabled, no.disabled]).toEqual([true, true]);  // no second rating while the first is on its way
    release();
    await vi.waitFor(() => expect(one(el, "[data-testid=chat-feedback-thanks]").textContent).toBe("Thanks for letting us know."));
    const rating = calls.find((c) => c.path.endsWith("/feedback"))!;
    expect(rating).toEqual({ method: "POST", path: "/chat/sessions/s1/messages/00000001-a/feedback", body: { helpful: true }, auth: "Bearer tok" });
    expect(all(el, "[data-testid=chat-feedback] button").length).toBe(0);
    expect(one(el, "[data-testid=chat-feedback-thanks]").getAttribute("role")).toBe("status");
    expect(messages(el).length).toBe(3);  // no offer after "yes"
  });

  it("after no, shows the assistant's offer once (also when the poll brings it) with the yes/no to take it", async () => {
    const calls = fakeApi((body) => json(200, { message_id: "00000001-a", helpful: body.helpful, offer: OFFER }), [OFFER]);
    const el = mount();
    await el.sendText("How do I reset my password?");
    one(el, "[data-testid=chat-helpful-no]").click();
    await vi.waitFor(() => expect(one(el, "[data-testid=chat-feedback-thanks]").textContent).toBe("Thanks for your feedback."));
    expect(calls.find((c) => c.path.endsWith("/feedback"))!.body).toEqual({ helpful: false });
    await el.poll();  // the long poll delivers the same message
    const offers = messages(el).filter((m) => m.textContent!.includes("did not answer your question"));
    expect(offers.length).toBe(1);
    expect(offers[0]!.dataset.role).toBe("assistant");
    expect(feedbackOf(offers[0]!)).toBeNull();
    expect(messages(el).at(-1)).toBe(offers[0]);
    expect((one(el, "[data-testid=chat-confirm-yes]").parentElement as HTMLElement).hidden).toBe(false);
    one(el, "[data-testid=chat-confirm-yes]").click();
    await vi.waitFor(() => expect(calls.filter((c) => c.method === "POST" && c.path === "/chat/sessions/s1/messages").at(-1)!.body)
      .toMatchObject({ text: "yes" }));
  });

  it("shows a failed rating like other errors and gives the buttons back; already rated just hides them", async () => {
    let answer: Response = json(503, { error: { code: "unavailable", message: "down", details: {} } });
    fakeApi(() => answer);
    const el = mount();
    await el.sendText("How do I reset my password?");
    const no = one(el, "[data-testid=chat-helpful-no]") as HTMLButtonElement;
    no.click();
    await vi.waitFor(() => expect(one(el, "[role=status].status").textContent).toContain("Something went wrong on our side. Please try again in a moment."));
    expect(no.disabled).toBe(false);
    expect(one(el, "[data-testid=chat-helpful-yes]")).not.toBeNull();
    answer = json(200, { message_id: "00000001-a", helpful: false, offer: null });
    no.click();  // tried again: the thanks, and the error is gone
    await vi.waitFor(() => expect(one(el, "[data-testid=chat-feedback-thanks]").textContent).toBe("Thanks for your feedback."));
    expect(one(el, "[role=status].status").textContent).toBe("");
    await el.sendText("And my username?");
    const again = one(el, "[data-testid=chat-message]:last-child [data-testid=chat-helpful-yes]");
    answer = json(409, { error: { code: "already_rated", message: "this answer was rated already", details: {} } });
    again.click();
    await vi.waitFor(() => expect(all(el, "[data-testid=chat-feedback] button").length).toBe(0));
    expect(one(el, "[data-testid=chat-message]:last-child").textContent).not.toContain("Thanks");
  });

  it("does not ask again about answers rated before the page was reloaded, nor under a person's reply", async () => {
    const transcript = [
      { id: "00000001-q", role: "user", text: "reset?", at: "", citations: [], actions: [], helpful: null },
      { id: "00000002-a", role: "assistant", text: "Rated.", at: "", citations: CITED, actions: [], helpful: false },
      { id: "00000003-q", role: "user", text: "and 2FA?", at: "", citations: [], actions: [], helpful: null },
      { id: "00000004-a", role: "assistant", text: "Not rated yet.", at: "", citations: CITED, actions: [], helpful: null },
      { id: "00000005-x", role: "agent", author_name: "Alice", text: "Hello", at: "", citations: CITED, actions: [] },
    ];
    stubChatApi(vi.fn(async () => json(200, { id: "s1", kind: "anonymous", expires_at: "", messages: transcript })));
    sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify({ id: "s1", token: "tok" }));
    const el = mount();
    await vi.waitFor(() => expect(messages(el).length).toBe(6));
    expect(messages(el).map((m) => feedbackOf(m) !== null)).toEqual([false, false, false, false, true, false]);
  });

  it("speaks the page's language", async () => {
    fakeApi((body) => json(200, { message_id: "00000001-a", helpful: body.helpful, offer: null }));
    const el = mount("de");
    await el.sendText("Wie setze ich mein Passwort zurück?");
    const line = one(el, "[data-testid=chat-feedback]");
    expect(line.querySelector("[role=group] span")!.textContent).toBe("Hat das Ihre Frage beantwortet?");
    const yes = one(el, "[data-testid=chat-helpful-yes]");
    expect([yes.textContent, yes.getAttribute("aria-label")]).toEqual(["Ja", "Ja, das hat meine Frage beantwortet"]);
    expect(one(el, "[data-testid=chat-helpful-no]").getAttribute("aria-label")).toBe("Nein, das hat meine Frage nicht beantwortet");
    yes.click();
    await vi.waitFor(() => expect(one(el, "[data-testid=chat-feedback-thanks]").textContent).toBe("Danke für Ihre Rückmeldung."));
    for (const lang of Object.keys(STRINGS) as (keyof typeof STRINGS)[]) {
      const s = STRINGS[lang];
      expect(s.rateYes.startsWith(s.yes)).toBe(true);  // the name contains the visible label (WCAG 2.5.3)
      expect(s.rateNo.startsWith(s.no)).toBe(true);
    }
  });
});
