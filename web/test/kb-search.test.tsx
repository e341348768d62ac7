// The knowledge base search of the console: the ticket page's panel searches the ticket's subject when it opens, shows
// each article once (its best section) as plain text, inserts a public article's link at the end of the reply (a
// note stays a note), offers no insert for an internal article; the knowledge screen has the same box, hits opening
// the article. On the ticket page every link to an article (a hit's "Open", the AI draft's and the chat's citations)
// opens a new tab, so a half-written reply stays.
import { render, type ComponentChild } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { SearchHit } from "../src/api/types";
import { Knowledge } from "../src/console/kb";
import { KbSearch, linkLine, withLine } from "../src/console/kb-search";
import { plainText, snippet, SNIPPET_CHARS } from "../src/shared/search-hits";
import { onePerArticle } from "../src/shared/search-hits";
import { TicketPage } from "../src/console/ticket";
import { json, shown } from "./helpers";

const at = "2026-01-01T00:00:00Z";

const LINK = "https://help.example/portal/#/help/acme/kb-export";

function hit(article_id: string, over: Partial<SearchHit> = {}): SearchHit {
  return {
    article_id, chunk_id: `${article_id}#0`, title: `Title ${article_id}`, text: "Some text.", heading: null, anchor: null,
    url: null, visibility: "public", language: "en", similarity: 0.5, score: 0.1,
    link: `https://help.example/portal/#/help/acme/${article_id}`, ...over,
  };
}

const EXPORT_HITS: SearchHit[] = [
  hit("kb-export", { title: "Export your data", heading: "Export a project", link: LINK,
    text: "Open the project, click **... > Export** and pick **CSV** (tasks only) or **JSON**." }),
  hit("kb-refunds-internal", { title: "Refund exceptions (agents only)", visibility: "internal", link: null,
    heading: "What an agent may approve alone", text: "- A refund of an annual plan up to **45 days** after payment." }),
  hit("kb-export", { chunk_id: "kb-export#2", title: "Export your data", heading: "Import from another tool",
    text: "Tandem imports CSV files." }),
];

/** The API's /kb/search (answering `answer(q)`), and what a ticket page reads besides; each search's query kept. */
function fakeApi(answer: (q: string) => Response, ticket?: Record<string, unknown>, page: { events?: unknown[]; assist?: unknown } = {}) {
  const searches: { q: string | null; k: string | null }[] = [];
  const posts: { path: string; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const address = new URL(url);
    const path = address.pathname;
    const method = String(init.method ?? "GET");
    if (path === "/kb/search") {
      const q = address.searchParams.get("q");
      searches.push({ q, k: address.searchParams.get("k") });
      return answer(q ?? "");
    }
    if (path === "/notifications/read") return json({ unread: 0 }); // the ticket page marks its news read
    if (method === "POST") {
      posts.push({ path, body: JSON.parse(String(init.body)) });
      return json({ seq: 2 }, 201);
    }
    if (ticket && path === `/tickets/${String(ticket.id)}`) return json(ticket, 200, '"3"');
    if (path.endsWith("/events")) return json(page.events ?? [{ seq: 1, type: "created", actor: "c1", at, internal: false, data: { description: "CSV" } }]);
    if (path.endsWith("/assist")) return page.assist ? json(page.assist) : json({ error: { code: "not_found", message: "not triaged", details: null } }, 404);
    if (path.endsWith("/viewers/me")) return json({ others: [], check_in_s: 20 });
    if (path === "/ticket-fields") return json({ fields: [], version: 1 }, 200, '"1"');
    if (path === "/kb/sections") return json({ sections: [], version: 1 }, 200, '"1"');
    if (path === "/users" || path === "/tickets" || path === "/kb/articles") return json({ items: [], next_cursor: null });
    return json([]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), searches, posts };
}

function mount(node: ComponentChild) {
  const host = document.body.appendChild(document.createElement("div"));
  render(node, host);
  return host;
}

const hitsOf = (host: HTMLElement) => [...host.querySelectorAll<HTMLElement>("[data-testid=kb-hit]")];

async function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = ""; // the window is shared with the other test files (isolate: false)
});

describe("a passage as plain text", () => {
  it("drops Markdown's markers: headings, emphasis, code, list and quote marks, a link's address", () => {
    expect(plainText("## Export a project\n\nOpen **Settings > Data**, then *Export*.")).toBe("Export a project Open Settings > Data, then Export.");
    expect(plainText("- one `code`\n- two\n1. three\n> quoted")).toBe("one code two three quoted");
    expect(plainText("See [the guide](https://x.example/guide) and ![a chart](c.png).")).toBe("See the guide and a chart.");
    expect(plainText("```\nnpm install\n```\nthen __run__ it")).toBe("npm install then run it");
    expect(plainText("ticket #123 and snake_case_name stay, 2 * 3 too")).toBe("ticket #123 and snake_case_name stay, 2 * 3 too");
    expect(plainText("| Plan | Monthly |\n|---|:---:|\n| Free | 0 EUR |")).toBe("Plan · Monthly Free · 0 EUR");
    expect(plainText('<img src=x onerror="alert(1)">')).toBe('<img src=x onerror="alert(1)">'); // text, never HTML
  });

  it("keeps a short passage whole and cuts a long one at a word, about 160 characters", () => {
    expect(snippet("Short **text**.")).toBe("Short text.");
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const cut = snippet(long);
    expect(cut.length).toBeLessThanOrEqual(SNIPPET_CHARS);
    expect(cut.length).toBeGreaterThan(SNIPPET_CHARS - 12);
    expect(cut.endsWith("…")).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut.slice(0, -1).endsWith(" ")).toBe(false);
  });
});

describe("the link line", () => {
  it("is the title and where a customer reads the article", () => {
    expect(linkLine({ title: "Export your data", link: LINK })).toBe(`Export your data: ${LINK}`);
  });

  it("goes on a line of its own at the end of the text", () => {
    expect(withLine("", "A: x")).toBe("A: x");
    expect(withLine("  \n", "A: x")).toBe("A: x");
    expect(withLine("Hello,\nsee", "A: x")).toBe("Hello,\nsee\nA: x");
    expect(withLine("Hello,\n", "A: x")).toBe("Hello,\nA: x");
    expect(withLine(withLine("Hi", "A: x"), "B: y")).toBe("Hi\nA: x\nB: y");
  });

  it("keeps each article once, at its first section", () => {
    expect(onePerArticle(EXPORT_HITS).map((h) => [h.article_id, h.heading])).toEqual([
      ["kb-export", "Export a project"], ["kb-refunds-internal", "What an agent may approve alone"]]);
  });
});

describe("the knowledge base panel", () => {
  it("searches the words it opens with (the ticket's subject), and shows each article once at its best section", async () => {
    const { api, searches } = fakeApi(() => json({ query: "q", hits: EXPORT_HITS }));
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="How do I export my data?" k={5} onInsert={() => undefined} />);
    await vi.waitFor(() => expect(hitsOf(host)).toHaveLength(2));
    expect(searches).toEqual([{ q: "How do I export my data?", k: "5" }]);
    expect(host.querySelector<HTMLInputElement>("[data-testid=kb-query]")!.value).toBe("How do I export my data?");
    const [exported, internal] = hitsOf(host);
    expect(exported!.querySelector(".kb-hit-title")!.textContent).toBe("Export your data");
    expect(exported!.querySelector("[data-testid=kb-hit-section]")!.textContent).toBe("Export a project");
    expect(exported!.querySelector("[data-testid=kb-hit-snippet]")!.textContent)
      .toBe("Open the project, click ... > Export and pick CSV (tasks only) or JSON.");
    expect(exported!.querySelector("strong")!.textContent).toBe("Export your data"); // the passage's ** are gone, not bold
    expect(exported!.querySelectorAll("strong")).toHaveLength(1);
    const open = exported!.querySelector<HTMLAnchorElement>("[data-testid=kb-open]")!;
    expect([open.getAttribute("href"), open.target, open.rel]).toEqual(["#/kb/kb-export", "_blank", "noopener noreferrer"]);
    expect(open.textContent).toBe("Open Export your data ↗ (opens in a new tab)"); // the arrow is hidden from a screen reader
    expect(internal!.querySelector("[data-testid=kb-hit-snippet]")!.textContent).toBe("A refund of an annual plan up to 45 days after payment.");
  });

  it("inserts a public article's title and link, with the article named to a screen reader", async () => {
    const { api } = fakeApi(() => json({ query: "q", hits: EXPORT_HITS }));
    const inserted: string[] = [];
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="export" onInsert={(line) => inserted.push(line)} />);
    const button = await shown<HTMLButtonElement>(host, "[data-testid=kb-insert-link]");
    expect(button.textContent).toBe("Insert link to Export your data");
    button.click();
    expect(inserted).toEqual([`Export your data: ${LINK}`]);
    await vi.waitFor(() => expect(host.querySelector("[role=status]")!.textContent).toBe("Link to “Export your data” inserted in the reply"));
  });

  it("offers no insert for an internal article: a badge and the hint that no customer can open it", async () => {
    const { api } = fakeApi(() => json({ query: "q", hits: [EXPORT_HITS[1]] }));
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="refund" onInsert={() => undefined} />);
    await vi.waitFor(() => expect(hitsOf(host)).toHaveLength(1));
    const internal = hitsOf(host)[0]!;
    expect(internal.querySelector("[data-testid=kb-insert-link]")).toBeNull();
    expect(internal.querySelector(".badge-internal")!.textContent).toBe("internal");
    expect(internal.querySelector("[data-testid=kb-internal-hint]")!.textContent).toBe("Agents only: no customer can open it");
    expect(internal.querySelector<HTMLAnchorElement>("[data-testid=kb-open]")!.getAttribute("href")).toBe("#/kb/kb-refunds-internal");
  });

  it("says when no article matches, and searches again what the agent types", async () => {
    const { api, searches } = fakeApi((q) => json({ query: q, hits: q === "export" ? EXPORT_HITS.slice(0, 1) : [] }));
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="Printer on fire" k={5} onInsert={() => undefined} />);
    const none = await shown(host, "[data-testid=kb-none]");
    expect(none.textContent).toBe("No article matches.");
    await type(host.querySelector<HTMLInputElement>("[data-testid=kb-query]")!, "export");
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(hitsOf(host)).toHaveLength(1));
    expect(host.querySelector("[data-testid=kb-none]")).toBeNull();
    expect(searches).toEqual([{ q: "Printer on fire", k: "5" }, { q: "export", k: "5" }]);
  });

  it("keeps the latest search's hits when an earlier one answers after it", async () => {
    let answerSubject: (r: Response) => void = () => undefined;
    const slow = new Promise<Response>((resolve) => { answerSubject = resolve; });
    const fetch = (async (url: string) => {
      const q = new URL(url).searchParams.get("q");
      return q === "Export fails" ? slow : json({ query: q, hits: [hit("kb-refunds")] });
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="Export fails" onInsert={() => undefined} />);
    await type(host.querySelector<HTMLInputElement>("[data-testid=kb-query]")!, "refund");
    host.querySelector<HTMLButtonElement>("button[type=submit]")!.click(); // no wait for the first search
    await vi.waitFor(() => expect(hitsOf(host).map((h) => h.dataset.articleId)).toEqual(["kb-refunds"]));
    answerSubject(json({ query: "Export fails", hits: EXPORT_HITS }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hitsOf(host).map((h) => h.dataset.articleId)).toEqual(["kb-refunds"]);
  });

  it("does not search without words", async () => {
    const { api, searches } = fakeApi(() => json({ query: "q", hits: EXPORT_HITS }));
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="   " onInsert={() => undefined} />);
    host.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(searches).toEqual([]);
    expect(host.querySelector("[data-testid=kb-none]")).toBeNull();
  });

  it("shows a failed search as the page's other errors", async () => {
    const { api } = fakeApi(() => json({ error: { code: "unavailable", message: "The search index is unavailable", details: null } }, 503));
    const host = mount(<KbSearch api={api} title="Knowledge base" initial="export" onInsert={() => undefined} />);
    const alert = await shown(host, "[role=alert]");
    expect(alert.textContent).toBe("The search index is unavailable (503 unavailable)");
    expect(hitsOf(host)).toHaveLength(0);
  });
});

describe("on the ticket page", () => {
  const ticket = {
    id: "t1", number: "T-000001", subject: "Export fails", description: "CSV", status: "open", priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: null, group: null, tags: [], custom_fields: {},
    participants: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
  };

  it("searches the subject with five passages, and inserts the link at the end of the reply, a note staying a note", async () => {
    const { api, searches, posts } = fakeApi(() => json({ query: "q", hits: EXPORT_HITS }), ticket);
    const host = mount(<TicketPage api={api} id="t1" me="alice" />);
    const panel = await shown<HTMLElement>(host, "[data-testid=kb-search]");
    expect(panel.querySelector("h2")!.textContent).toBe("Knowledge base");
    await vi.waitFor(() => expect(hitsOf(host)).toHaveLength(2));
    expect(searches).toEqual([{ q: "Export fails", k: "5" }]);
    const box = host.querySelector<HTMLTextAreaElement>("[data-testid=reply-box]")!;
    await type(box, "Hello Dana,\nhere is how:");
    const internal = host.querySelector<HTMLInputElement>(".reply-actions input[type=checkbox]")!;
    internal.click();
    await vi.waitFor(() => expect(internal.checked).toBe(true));
    host.querySelector<HTMLButtonElement>("[data-testid=kb-insert-link]")!.click();
    await vi.waitFor(() => expect(box.value).toBe(`Hello Dana,\nhere is how:\nExport your data: ${LINK}`));
    expect(internal.checked).toBe(true);
    expect(host.querySelector("label[for=reply-box]")!.textContent).toBe("Internal note");
    host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]!.body).toMatchObject({ body: `Hello Dana,\nhere is how:\nExport your data: ${LINK}`, public: false });
  });
});

describe("links to articles on the ticket page", () => {
  const opensInNewTab = (a: HTMLAnchorElement) => [a.getAttribute("href"), a.target, a.rel];
  const chatTicket = {
    id: "t2", number: "T-000002", subject: "Export fails", status: "open", priority: "normal", channel: "chat",
    description: "Chat transcript (conversation c1):\n[user] How do I export?\n[assistant] Open the project.\n\n"
      + "[1] Export your data: https://help.example/portal/#/kb/kb-export",
    requester: { id: "chat:c1", email: "dana@example.com", name: "Dana", email_verified: false },
    requester_key: "chat:c1", assignee_id: null, group: null, tags: [], custom_fields: {},
    participants: [], links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: ["kb-export"] },
  };
  const events = [
    { seq: 1, type: "created", actor: "chat", at, internal: false, data: { description: chatTicket.description } },
    { seq: 2, type: "public_message", actor: "alice", at, internal: false, data: {
      body: "You can export it as CSV.", public: true, ai_draft: true,
      citations: [{ n: 1, article_id: "kb-export", title: "Export your data" }] } },
  ];
  const assist = { ticket_id: "t2", number: "T-000002", status: "triaged", applied: [], triage: {
    reply: { text: "Hello Dana, see the article.", citations: [{ n: 1, article_id: "kb-refunds", title: "Refunds" }],
      confidence: 0.8, level: "high", method: "rag", state: "suggested", generated_at: at } } };

  it("opens the AI draft's and the conversation's citations in a new tab, keeping the reply being written", async () => {
    const { api } = fakeApi(() => json({ query: "q", hits: [] }), chatTicket, { events, assist });
    const host = mount(<TicketPage api={api} id="t2" me="alice" />);
    const draft = await shown<HTMLAnchorElement>(host, "[data-testid=draft-citation] a");
    expect(opensInNewTab(draft)).toEqual(["#/kb/kb-refunds", "_blank", "noopener noreferrer"]);
    expect(draft.textContent).toBe("Refunds ↗ (opens in a new tab)");
    const cited = await shown<HTMLAnchorElement>(host, "ul.citations[aria-label='Cited articles'] a");
    expect(opensInNewTab(cited)).toEqual(["#/kb/kb-export", "_blank", "noopener noreferrer"]);
    const inTranscript = host.querySelector<HTMLAnchorElement>("[data-testid=chat-transcript] a")!;  // the chat's own citation
    expect(opensInNewTab(inTranscript)).toEqual(["https://help.example/portal/#/kb/kb-export", "_blank", "noopener noreferrer"]);
    // and no other link in the conversation or the reply box leads to an article in this tab
    const inPlace = [...host.querySelectorAll<HTMLAnchorElement>("a[href^='#/kb']")].filter((a) => a.target !== "_blank");
    expect(inPlace).toEqual([]);
  });
});

describe("on the knowledge screen", () => {
  it("has the same box above the articles, its hits opening the article, with no insert", async () => {
    const { api, searches } = fakeApi(() => json({ query: "q", hits: EXPORT_HITS }));
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" />);
    const panel = await shown<HTMLElement>(host, "[data-testid=kb-search]");
    expect(panel.compareDocumentPosition(host.querySelector("nav[aria-label='Article status']")!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(searches).toEqual([]); // nothing asked yet
    await type(panel.querySelector<HTMLInputElement>("[data-testid=kb-query]")!, "export");
    panel.querySelector<HTMLButtonElement>("button[type=submit]")!.click();
    await vi.waitFor(() => expect(hitsOf(host)).toHaveLength(2));
    expect(searches).toEqual([{ q: "export", k: "10" }]);
    const links = hitsOf(host).map((h) => h.querySelector<HTMLAnchorElement>(".kb-hit-title a")!);
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["Export your data", "#/kb/kb-export"], ["Refund exceptions (agents only)", "#/kb/kb-refunds-internal"]]);
    expect(host.querySelector("[data-testid=kb-insert-link]")).toBeNull();
    expect(host.querySelector("[data-testid=kb-open]")).toBeNull();
  });
});
