// After a public reply the console goes where the agent's `after_reply` says: the next ticket of the list they came
// from, that list, or nowhere; a note, a failed send and "stay" keep the ticket; the page landed on says which
// ticket the reply went to, once.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { AfterReplyNote, afterReplyHash, forgetShownList, leaveNote, ListNavigation, rememberList, shownList, takeNote,
  type AfterReply } from "../src/console/shown-list";
import { TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

function ticketApi(afterReply: AfterReply, fail = false, teamLate = false) {
  const posts: unknown[] = [];
  const me = { id: "alice", tenant_id: "acme", email: "alice@acme.example", name: "Alice", role: "agent", active: true,
    after_reply: afterReply, groups: [], created_at: at, updated_at: at, version: 2 };
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (String(init.method ?? "GET") === "POST" && path === "/tickets/t1/messages") {
      posts.push(JSON.parse(String(init.body)));
      if (fail) return json({ error: { code: "conflict", message: "closed meanwhile", details: null } }, 409);
      return json({ seq: 4, type: "public_message", actor: "alice", at, internal: false, data: {} }, 201);
    }
    if (path === "/tickets/t1") {
      return json({ id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status: "open",
        priority: "normal", channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
        requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
        participants: [], followers: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] } }, 200, '"3"');
    }
    if (path === "/tickets/t1/events") return json([]);
    if (path === "/users/me") return json(me);
    if (teamLate && path === "/users") return new Promise<Response>(() => undefined); // still loading
    return ticketPageSurroundings(path, [me]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), posts };
}

const mounted: HTMLElement[] = [];

afterEach(() => {
  for (const host of mounted.splice(0)) render(null, host); // no page left listening for keys
  document.body.innerHTML = "";
  sessionStorage.clear();
  window.location.hash = "";
});

async function reply(afterReply: AfterReply, { internal = false, fail = false, teamLate = false } = {}) {
  const { api, posts } = ticketApi(afterReply, fail, teamLate);
  window.location.hash = "#/t/t1";
  const host = document.body.appendChild(document.createElement("div"));
  mounted.push(host);
  render(<TicketPage api={api} id="t1" me="alice" />, host);
  const box = await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]");
  await vi.waitFor(() => expect(host.querySelector("[data-testid=ticket-subject], h1")?.textContent).toBeTruthy());
  await new Promise((resolve) => setTimeout(resolve, 20)); // the team (the agent's own choice) is read
  if (internal) host.querySelector<HTMLInputElement>(".reply-actions input[type=checkbox]")!.click();
  box.value = "Fixed now.";
  box.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!.click();
  await vi.waitFor(() => expect(posts).toHaveLength(1));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect((posts[0] as { public: boolean }).public).toBe(!internal);
  return host;
}

describe("where a reply takes the agent", () => {
  it("reads the next ticket from the list last shown", () => {
    const list = { hash: "#/views/v1", ids: ["t0", "t1", "t2"] };
    expect(afterReplyHash("stay", "t1", list)).toBeNull();
    expect(afterReplyHash("next", "t1", list)).toBe("#/t/t2");
    expect(afterReplyHash("next", "t2", list)).toBe("#/views/v1"); // the last: back to the list
    expect(afterReplyHash("next", "t9", list)).toBe("#/t/t0"); // it left the view: the list's first
    expect(afterReplyHash("list", "t1", list)).toBe("#/views/v1");
    expect(afterReplyHash("next", "t1", null)).toBe("#/"); // no list known: the queue
    rememberList(sessionStorage, "", ["a", "b"]);
    expect(shownList(sessionStorage)).toEqual({ hash: "#/", ids: ["a", "b"] });
    sessionStorage.setItem("helpdesk.console.list", "{not json");
    expect(shownList(sessionStorage)).toBeNull();
    leaveNote(sessionStorage, "Reply sent on T-000001.");
    expect(takeNote(sessionStorage)).toBe("Reply sent on T-000001.");
    expect(takeNote(sessionStorage)).toBeNull(); // once
    rememberList(sessionStorage, "#/", ["a"]);
    leaveNote(sessionStorage, "Reply sent on T-000001.");
    forgetShownList(sessionStorage); // signing out
    expect([shownList(sessionStorage), takeNote(sessionStorage)]).toEqual([null, null]);
  });

  it("opens the next ticket of the list, which says where the reply went", async () => {
    rememberList(sessionStorage, "#/", ["t0", "t1", "t2"]);
    await reply("next");
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t2"));
    const host = document.body.appendChild(document.createElement("div"));
    render(<AfterReplyNote route="/t/t2" />, host);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=after-reply-note]")?.textContent).toBe("Reply sent on T-000001."));
    render(<AfterReplyNote route="/" />, host); // the next page: gone
    await vi.waitFor(() => expect(host.querySelector("[data-testid=after-reply-note]")).toBeNull());
  });

  it("reads the agent's choice from their record when a reply goes before the team list is read", async () => {
    rememberList(sessionStorage, "#/", ["t1", "t2"]);
    await reply("next", { teamLate: true });
    await vi.waitFor(() => expect(window.location.hash).toBe("#/t/t2"));
  });

  it("goes back to the list, or stays where the agent said so, for a note and when the send failed", async () => {
    rememberList(sessionStorage, "#/views/v1", ["t0", "t1", "t2"]);
    await reply("list");
    await vi.waitFor(() => expect(window.location.hash).toBe("#/views/v1"));
    expect(takeNote(sessionStorage)).toBe("Reply sent on T-000001.");

    for (const [choice, options] of [["stay", {}], ["next", { internal: true }], ["next", { fail: true }]] as const) {
      for (const host of mounted.splice(0)) render(null, host);
      const host = await reply(choice, options);
      expect(window.location.hash).toBe("#/t/t1");
      expect(takeNote(sessionStorage)).toBeNull();
      if ("fail" in options) expect(host.querySelector("[role=alert]")?.textContent).toContain("closed meanwhile");
    }
  });
});

describe("a ticket's place in its list", () => {
  const key = (k: string, target: EventTarget = window) =>
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));

  it("leads back to the list and to the tickets above and below, by link and by j, k and u", async () => {
    rememberList(sessionStorage, "#/views/v1", ["t0", "t1", "t2"]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<ListNavigation current="t1" />, host);
    const nav = await shown<HTMLElement>(host, "[data-testid=list-nav]");
    expect([...nav.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["← Back to the list", "#/views/v1"], ["‹ Previous", "#/t/t0"], ["Next ›", "#/t/t2"]]);
    expect(nav.textContent).toContain("2 of 3");
    await new Promise((resolve) => setTimeout(resolve, 20)); // the page listens once painted
    key("j");
    expect(window.location.hash).toBe("#/t/t2");
    key("k");
    expect(window.location.hash).toBe("#/t/t0");
    key("u");
    expect(window.location.hash).toBe("#/views/v1");
    const box = host.appendChild(document.createElement("textarea"));
    window.location.hash = "#/t/t1";
    key("j", box); // typing a j into a box
    expect(window.location.hash).toBe("#/t/t1");
    render(null, host);

    let replying = 0;
    render(<ListNavigation current="t1" onReply={() => { replying += 1; }} />, host);
    await new Promise((resolve) => setTimeout(resolve, 20));
    key("r");
    const note = document.body.appendChild(document.createElement("textarea"));
    key("r", note); // an r typed into a box
    expect(replying).toBe(1);
    const ticked = document.body.appendChild(Object.assign(document.createElement("input"), { type: "checkbox" }));
    key("r", ticked); // a ticked checkbox is no box: the keys still work
    expect(replying).toBe(2);
    render(null, host);
  });

  it("leads to the queue from a ticket the list does not hold, and offers no step past either end", async () => {
    rememberList(sessionStorage, "#/", ["t0", "t1"]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<ListNavigation current="t9" />, host);
    expect(host.querySelector("[data-testid=list-nav]")).toBeNull();
    expect(host.querySelector("a")?.getAttribute("href")).toBe("#/");
    render(<ListNavigation current="t1" />, host);
    const nav = await shown<HTMLElement>(host, "[data-testid=list-nav]");
    expect([...nav.querySelectorAll("a")].map((a) => a.textContent)).toEqual(["← Back to the list", "‹ Previous"]);
    window.location.hash = "#/t/t1";
    await new Promise((resolve) => setTimeout(resolve, 20));
    key("k");
    expect(window.location.hash).toBe("#/t/t0"); // listening, with this ticket's neighbours
    window.location.hash = "#/t/t1";
    key("j"); // the last: nowhere to go
    expect(window.location.hash).toBe("#/t/t1");
    host.remove(); // a page taken off the screen without its teardown leaves the keys alone
    key("k");
    expect(window.location.hash).toBe("#/t/t1");
    render(null, host);
  });
});
