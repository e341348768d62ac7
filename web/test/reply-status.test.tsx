// The ticket page's reply box: "send and set pending" (the select offers the statuses the ticket may move to besides
// its own, the button says what it will do, the message is posted with the status in one request: the API writes
// both at once; the choice goes back to "keep" after sending), and a half-written reply kept for the tab.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { forgetAllDrafts, loadDraft, saveDraft } from "../src/console/reply-drafts";
import { sendLabel, TicketPage } from "../src/console/ticket";
import { sendKeys } from "../src/shared/keys";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

interface Post { path: string; body: unknown }

function ticketApi() {
  const posts: Post[] = [];
  let status = "open";
  const ticket = () => ({
    id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status, priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
    participants: [], followers: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
  });
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    if (method === "POST" && path === "/tickets/t1/messages") {
      const body = JSON.parse(String(init.body)) as { status?: string };
      posts.push({ path, body });
      if (body.status) status = body.status;
      return json({ seq: 4, type: "public_message", actor: "alice", at, internal: false, data: {} }, 201);
    }
    if (path === "/tickets/t1") return json(ticket(), 200, '"3"');
    if (path === "/tickets/t1/events") return json([]);
    return ticketPageSurroundings(path);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), posts };
}

afterEach(() => {
  document.body.innerHTML = "";
  sessionStorage.clear();
});

async function type(box: HTMLTextAreaElement, text: string) {
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("send and set a status", () => {
  it("labels the button with what it will do", () => {
    expect(sendLabel("Send reply", "")).toBe("Send reply");
    expect(sendLabel("Send reply", "pending")).toBe("Send reply and set pending");
    expect(sendLabel("Add note", "resolved")).toBe("Add note and set resolved");
  });

  it("posts the reply with the status chosen, then keeps the status again", async () => {
    const { api, posts } = ticketApi();
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const select = await shown<HTMLSelectElement>(host, "[data-testid=reply-status]");
    expect([...select.options].map((o) => o.textContent)).toEqual(["keep it open", "set pending", "set on hold", "set resolved"]);
    const box = host.querySelector<HTMLTextAreaElement>("[data-testid=reply-box]")!;
    box.value = "Which browser do you use?";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    select.value = "pending";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const send = host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!;
    await vi.waitFor(() => expect(send.textContent).toBe("Send reply and set pending"));
    send.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ body: "Which browser do you use?", public: true, status: "pending", format: "markdown" });
    await vi.waitFor(() => expect(send.textContent).toBe("Send reply"));
    await vi.waitFor(() => expect(host.querySelector<HTMLSelectElement>("[data-testid=reply-status]")!.options[0]!.textContent)
      .toBe("keep it pending"));
  });
});

describe("a half-written reply", () => {
  it("is kept per person and ticket, goes stale after a day, and signing out forgets all", () => {
    const now = new Date("2026-12-03T10:00:00Z");
    saveDraft(sessionStorage, "alice", "t1", "Dear Dana,", false, now);
    saveDraft(sessionStorage, "alice", "t2", "note", true, now);
    expect(loadDraft(sessionStorage, "alice", "t1", now)).toEqual({ text: "Dear Dana,", internal: false, savedAt: now.toISOString() });
    expect(loadDraft(sessionStorage, "bob", "t1", now)).toBeNull(); // another person signed in to this tab
    expect(loadDraft(sessionStorage, "alice", "t2", now)?.internal).toBe(true);
    expect(loadDraft(sessionStorage, "alice", "t1", new Date("2026-12-04T10:00:01Z"))).toBeNull();
    saveDraft(sessionStorage, "alice", "t2", "  ", true, now); // emptied: forgotten
    expect(loadDraft(sessionStorage, "alice", "t2", now)).toBeNull();
    saveDraft(sessionStorage, "alice", "t3", "x", false, now);
    sessionStorage.setItem("helpdesk.console.asked", "#/t/t3"); // not a draft: kept
    forgetAllDrafts(sessionStorage);
    expect(loadDraft(sessionStorage, "alice", "t3", now)).toBeNull();
    expect(sessionStorage.getItem("helpdesk.console.asked")).toBe("#/t/t3");
    sessionStorage.setItem("helpdesk.console.reply.alice.t4", "{not json");
    expect(loadDraft(sessionStorage, "alice", "t4", now)).toBeNull();
  });

  it("comes back when the agent returns to the ticket, and is forgotten once sent or discarded", async () => {
    const { api, posts } = ticketApi();
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    await type(await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]"), "Hi Dana, the export");
    await vi.waitFor(() => expect(loadDraft(sessionStorage, "alice", "t1")?.text).toBe("Hi Dana, the export"));
    render(null, host); // the agent follows a link to another page
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const box = await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]");
    expect(box.value).toBe("Hi Dana, the export");
    expect(host.querySelector("[data-testid=kept-draft]")?.textContent).toContain("Your unsent reply was kept.");
    host.querySelector<HTMLButtonElement>("[data-testid=discard-draft]")!.click();
    await vi.waitFor(() => expect(box.value).toBe(""));
    expect(loadDraft(sessionStorage, "alice", "t1")).toBeNull();

    await type(box, "Fixed now.");
    host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    await vi.waitFor(() => expect(loadDraft(sessionStorage, "alice", "t1")).toBeNull());
  });
});

describe("Ctrl+Enter in the reply box", () => {
  const press = (box: HTMLTextAreaElement, init: KeyboardEventInit) => {
    const e = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...init });
    box.dispatchEvent(e);
    return e;
  };

  it("names the keys as the agent's keyboard does", () => {
    expect(sendKeys("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)")).toBe("⌘+Enter");
    expect(sendKeys("Mozilla/5.0 (X11; Linux x86_64)")).toBe("Ctrl+Enter");
  });

  it("sends as the button does, only when the button could be pressed; Enter alone is a new line", async () => {
    const { api, posts } = ticketApi();
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={api} id="t1" me="alice" />, host);
    const box = await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]");
    expect(box.getAttribute("aria-keyshortcuts")).toContain("Control+Enter Meta+Enter"); // and the formatting keys
    expect(press(box, { ctrlKey: true }).defaultPrevented).toBe(true); // nothing written: nothing sent
    await type(box, "Which browser do you use?");
    expect(press(box, {}).defaultPrevented).toBe(false); // the browser's new line
    expect(press(box, { ctrlKey: true, isComposing: true }).defaultPrevented).toBe(false); // an IME's own Enter
    press(box, { ctrlKey: true });
    await new Promise((resolve) => setTimeout(resolve, 0)); // a key's repeat is another event: the page has rendered
    press(box, { ctrlKey: true }); // pressed twice: the button is busy by then
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ body: "Which browser do you use?", public: true, format: "markdown" });
    await vi.waitFor(() => expect(box.value).toBe(""));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(posts).toHaveLength(1);
    await type(box, "And which version?");
    press(box, { metaKey: true });
    await vi.waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1]!.body).toEqual({ body: "And which version?", public: true, format: "markdown" });
  });
});
