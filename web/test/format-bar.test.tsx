// The console's reply box writes Markdown: its buttons put the marks on the selection (or at the caret, the caret
// between them; lists and quotes before each line), Ctrl/⌘+B and Ctrl/⌘+I mark from the keyboard, the preview shows
// the reply as it will read, and every reply and note goes with `format: "markdown"`.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { format, type Edit, type Mark } from "../src/console/format-bar";
import { TicketPage } from "../src/console/ticket";
import { markKey } from "../src/shared/keys";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

/** `text` with its selection marked by "[" and "]" (a caret: "|"), as an edit. */
function edit(marked: string): Edit {
  const caret = marked.indexOf("|");
  if (caret !== -1) return { text: marked.replace("|", ""), start: caret, end: caret };
  const start = marked.indexOf("[");
  const end = marked.indexOf("]") - 1;
  return { text: marked.replace("[", "").replace("]", ""), start, end };
}

/** An edit written back the same way. */
function shownEdit({ text, start, end }: Edit): string {
  return start === end ? `${text.slice(0, start)}|${text.slice(start)}` : `${text.slice(0, start)}[${text.slice(start, end)}]${text.slice(end)}`;
}

const marked = (text: string, mark: Mark) => shownEdit(format(edit(text), mark));

describe("a formatting mark", () => {
  it("goes around the selection, which stays selected, and comes off again", () => {
    expect(marked("make [this] bold", "bold")).toBe("make **[this]** bold");
    expect(marked("make **[this]** bold", "bold")).toBe("make [this] bold");
    expect(marked("make [this ]bold", "bold")).toBe("make **[this]** bold"); // a double-click's space stays outside
    expect(marked("an [aside]", "italic")).toBe("an *[aside]*");
    expect(marked("an *[aside]*", "italic")).toBe("an [aside]");
    expect(marked("make **[this]** bold", "italic")).toBe("make ***[this]*** bold");
    expect(marked("run [ls -la] now", "code")).toBe("run `[ls -la]` now");
    expect(marked("run [a`b]", "code")).toBe("run ``[a`b]``");
  });

  it("goes in at the caret with the caret between its marks", () => {
    expect(marked("Hi |", "bold")).toBe("Hi **|**");
    expect(marked("Hi |", "italic")).toBe("Hi *|*");
    expect(marked("Hi |", "code")).toBe("Hi `|`");
    expect(marked("Hi **|**", "bold")).toBe("Hi |"); // pressed twice: nothing
    expect(marked("See |", "link")).toBe("See [|](https://)");
  });

  it("makes a link of the selection, the address to be typed over, or of a selected address", () => {
    expect(marked("see [the guide]", "link")).toBe("see [the guide]([https://])");
    expect(marked("see [https://example.com/a]", "link")).toBe("see [|](https://example.com/a)");
  });

  it("puts a list's or a quote's mark before each selected line, set apart from the text around", () => {
    expect(marked("[one\ntwo]", "bullets")).toBe("[- one\n- two]");
    expect(marked("[one\n\ntwo]", "numbers")).toBe("[1. one\n\n2. two]");
    expect(marked("Steps:\n[one\ntwo]\nThanks", "numbers")).toBe("Steps:\n\n[1. one\n2. two]\n\nThanks");
    expect(marked("[- one\n- two]", "bullets")).toBe("[one\ntwo]");
    expect(marked("[1. one\n2. two]", "bullets")).toBe("[- one\n- two]");
    expect(marked("o[ne\ntw]o", "quote")).toBe("[> one\n> two]");
    expect(marked("- one\n|", "bullets")).toBe("- one\n- |"); // a list goes on
    expect(marked("Hi\nwor|ld", "bullets")).toBe("Hi\n\n- wor|ld");
    expect(marked("> wor|ld", "quote")).toBe("wor|ld");
  });

  it("makes lines of code a fenced block", () => {
    expect(marked("Run:\n[a\nb]", "code")).toBe("Run:\n```\n[a\nb]\n```");
  });
});

describe("the formatting keys", () => {
  const key = (init: KeyboardEventInit) => markKey(new KeyboardEvent("keydown", init));
  it("are Ctrl or ⌘ with B or I, on any layout", () => {
    expect(key({ key: "b", ctrlKey: true })).toBe("bold");
    expect(key({ key: "I", metaKey: true })).toBe("italic");
    expect(key({ key: "и", code: "KeyB", ctrlKey: true })).toBe("bold");
    expect(key({ key: "b" })).toBeNull();
    expect(key({ key: "b", ctrlKey: true, shiftKey: true })).toBeNull();
    expect(key({ key: "Enter", ctrlKey: true })).toBeNull();
  });
});

interface Post { path: string; body: Record<string, unknown> }

const DRAFT = { text: "Hi Dana, *restart* it.", citations: [], confidence: 0.9, level: "high", method: "llm", state: "suggested" };

function ticketApi(users: unknown[] = [], draft = false) {
  const posts: Post[] = [];
  const ticket = {
    id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status: "open", priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
    participants: [], followers: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
  };
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (String(init.method ?? "GET") === "POST" && path === "/tickets/t1/messages") {
      posts.push({ path, body: JSON.parse(String(init.body)) as Record<string, unknown> });
      return json({ seq: 4, type: "public_message", actor: "alice", at, internal: false, data: {} }, 201);
    }
    if (String(init.method ?? "GET") === "POST" && path === "/tickets/t1/assist/reply/accept") {
      posts.push({ path, body: JSON.parse(String(init.body)) as Record<string, unknown> });
      return json({}, 200);
    }
    if (draft && path === "/tickets/t1/assist") {
      return json({ ticket_id: "t1", number: "T-000001", status: "triaged", triage: { reply: DRAFT } });
    }
    if (path === "/tickets/t1") return json(ticket, 200, '"3"');
    if (path === "/tickets/t1/events") {
      return json([{ seq: 1, type: "public_message", actor: "alice", at, data: { body: "**Done**\n- one", format: "markdown" } },
        { seq: 2, type: "internal_note", actor: "alice", at, data: { body: "**as typed**" } }]);
    }
    return ticketPageSurroundings(path, users);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), posts };
}

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) render(null, host);
  document.body.innerHTML = "";
  sessionStorage.clear();
});

async function page(users: unknown[] = [], draft = false) {
  const fake = ticketApi(users, draft);
  const host = document.body.appendChild(document.createElement("div"));
  hosts.push(host);
  render(<TicketPage api={fake.api} id="t1" me="alice" />, host);
  const box = await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]");
  return { ...fake, host, box };
}

async function type(box: HTMLTextAreaElement, text: string, start = text.length, end = start) {
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  box.setSelectionRange(start, end);
}

const button = (host: HTMLElement, id: string) => host.querySelector<HTMLButtonElement>(`[data-testid=${id}]`)!;

describe("the reply box's formatting", () => {
  it("shows the thread's Markdown as Markdown, a message written as text as written", async () => {
    const { host } = await page();
    const thread = await shown(host, "[data-testid=public-message] .body.markdown");
    expect(thread.querySelector("strong")?.textContent).toBe("Done");
    expect(thread.querySelector("li")?.textContent).toBe("one");
    expect(host.querySelector("[data-testid=internal-note] p.body")?.textContent).toBe("**as typed**");
  });

  it("has a button for each mark, named with its keys, and a hint", async () => {
    const { host } = await page();
    const bar = host.querySelector("[role=toolbar]")!;
    expect(bar.getAttribute("aria-label")).toBe("Formatting");
    expect([...bar.querySelectorAll("button")].map((b) => b.getAttribute("aria-label") ?? b.textContent)).toEqual(
      ["Bold", "Italic", "Bulleted list", "Numbered list", "Link", "Code", "Quote", "Preview"]);
    expect(button(host, "format-bold").title).toMatch(/^Bold \((Ctrl|⌘)\+B\)$/);
    expect(button(host, "format-bold").getAttribute("aria-keyshortcuts")).toBe("Control+B Meta+B");
    expect([...bar.querySelectorAll("button")].filter((b) => b.tabIndex === 0)).toHaveLength(1); // one Tab stop
    expect(host.querySelector("[data-testid=reply-format-hint]")?.textContent).toBe("Markdown: **bold**, *italic*, - lists, [text](https://…)");
    expect(host.querySelector("[data-testid=reply-box]")!.getAttribute("aria-keyshortcuts"))
      .toBe("Control+Enter Meta+Enter Control+B Meta+B Control+I Meta+I");
  });

  it("marks the selection from a button, the box keeping the focus and the marked text selected", async () => {
    const { host, box } = await page();
    await type(box, "Please restart the app", 7, 14);
    button(host, "format-bold").click();
    await vi.waitFor(() => expect(box.value).toBe("Please **restart** the app"));
    expect(document.activeElement).toBe(box);
    expect([box.selectionStart, box.selectionEnd]).toEqual([9, 16]);
    box.setSelectionRange(box.value.length, box.value.length);
    button(host, "format-italic").click();
    await vi.waitFor(() => expect(box.value).toBe("Please **restart** the app**"));
    expect([box.selectionStart, box.selectionEnd]).toEqual([27, 27]); // between the marks
    await type(box, "one\ntwo", 0, 7);
    button(host, "format-bullets").click();
    await vi.waitFor(() => expect(box.value).toBe("- one\n- two"));
    button(host, "format-numbers").click();
    await vi.waitFor(() => expect(box.value).toBe("1. one\n2. two")); // the other list's marks replaced
    await type(box, "quoted", 0, 6);
    button(host, "format-quote").click();
    await vi.waitFor(() => expect(box.value).toBe("> quoted"));
    await type(box, "guide", 0, 5);
    button(host, "format-link").click();
    await vi.waitFor(() => expect(box.value).toBe("[guide](https://)"));
    expect(box.value.slice(box.selectionStart, box.selectionEnd)).toBe("https://");
    await type(box, "npm ci", 0, 6);
    button(host, "format-code").click();
    await vi.waitFor(() => expect(box.value).toBe("`npm ci`"));
  });

  it("marks bold and italic with Ctrl+B and Ctrl+I, and still sends with Ctrl+Enter", async () => {
    const { box, posts } = await page();
    await type(box, "a very big deal", 2, 6);
    const press = (init: KeyboardEventInit) => {
      const e = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
      box.dispatchEvent(e);
      return e;
    };
    expect(press({ key: "b", ctrlKey: true }).defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(box.value).toBe("a **very** big deal"));
    box.setSelectionRange(11, 14);
    press({ key: "i", metaKey: true });
    await vi.waitFor(() => expect(box.value).toBe("a **very** *big* deal"));
    expect(press({ key: "b" }).defaultPrevented).toBe(false); // a letter typed
    press({ key: "Enter", ctrlKey: true });
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ body: "a **very** *big* deal", public: true, format: "markdown" });
  });

  it("previews the reply as it will read", async () => {
    const { host, box } = await page();
    const toggle = button(host, "reply-preview-toggle");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(host.querySelector("[data-testid=reply-preview]")).toBeNull();
    await type(box, "**Fixed** in\n\n- 2.1\n- <b>2.2</b>");
    toggle.click();
    const preview = await shown(host, "[data-testid=reply-preview]");
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect(preview.querySelector("strong")?.textContent).toBe("Fixed");
    expect([...preview.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["2.1", "<b>2.2</b>"]);
    await type(box, "*now*");
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reply-preview] em")?.textContent).toBe("now"));
    toggle.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reply-preview]")).toBeNull());
    expect(host.querySelector("[data-testid=reply-box]")).not.toBeNull();
  });

  it("sends notes, mailed ones too, as Markdown", async () => {
    const { host, box, posts } = await page();
    const internal = [...host.querySelectorAll<HTMLInputElement>(".reply-actions input[type=checkbox]")][0]!;
    internal.click();
    await vi.waitFor(() => expect(host.querySelector("label[for=reply-box]")?.textContent).toBe("Internal note"));
    await type(box, "Ask **orders**");
    const mailTo = await shown<HTMLInputElement>(host, ".side-mail input");
    mailTo.value = "orders@supplier.example";
    mailTo.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    button(host, "reply-send").click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toEqual({ body: "Ask **orders**", public: false, mail_to: ["orders@supplier.example"], format: "markdown" });
  });

  it("keeps completing a note's mention, the caret after it", async () => {
    const ada = { id: "ada", email: "ada@acme.example", name: "Ada", role: "agent" };
    const { host, box } = await page([ada, { id: "alice", email: "alice@acme.example", name: "Alice", role: "agent" }]);
    [...host.querySelectorAll<HTMLInputElement>(".reply-actions input[type=checkbox]")][0]!.click();
    await type(box, "Thanks @ad for it", 10);
    box.dispatchEvent(new Event("click", { bubbles: true }));
    (await shown<HTMLButtonElement>(host, "[data-testid=mention-choice]")).click();
    await vi.waitFor(() => expect(box.value).toBe("Thanks @ada for it"));
    expect([box.selectionStart, box.selectionEnd]).toEqual([12, 12]);
    expect(document.activeElement).toBe(box);
  });

  it("sends an AI draft through its own route as Markdown, formatted like any reply", async () => {
    const { host, box, posts } = await page([], true);
    (await shown<HTMLButtonElement>(host, "[data-testid=use-draft]")).click();
    await vi.waitFor(() => expect(box.value).toBe(DRAFT.text));
    button(host, "reply-preview-toggle").click();
    const preview = await shown(host, "[data-testid=reply-preview]");
    expect(preview.querySelector("em")?.textContent).toBe("restart"); // as the customer will read it
    box.setSelectionRange(0, 2);
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "b", ctrlKey: true, bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(box.value).toBe(`**Hi** Dana, *restart* it.`));
    button(host, "reply-send").click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toEqual({ path: "/tickets/t1/assist/reply/accept",
      body: { body: "**Hi** Dana, *restart* it.", format: "markdown" } });
  });
});
