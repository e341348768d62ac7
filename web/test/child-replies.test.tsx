// One reply to a problem ticket and to its child tickets (its incidents): the reply box offers it only on a ticket
// with child links, sends `children: true` when ticked (then unticks), does not offer it with files attached (the API
// refuses files with it), and says what became of each child, naming those left as they were.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { BulkResult } from "../src/api/types";
import { bulkSummary } from "../src/console/bulk-bar";
import { childRepliesSummary, childTickets } from "../src/console/child-replies";
import { TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";

const SKIPPED: BulkResult = { id: "c3", number: "T-000003", outcome: "skipped", code: "already_resolved",
  message: "ticket T-000003 is solved already" };

function ticketApi(links: { type: string; ticket_id: string }[]) {
  const posts: Record<string, unknown>[] = [];
  const ticket = (id: string, number: string) => ({
    id, number, subject: "Export fails", description: "CSV", status: "open", priority: "normal",
    channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
    participants: [], followers: [], links: id === "t1" ? links : [], version: 3, created_at: at, updated_at: at,
    ai: { cited_article_ids: [] },
  });
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    if (method === "POST" && path === "/tickets/t1/messages") {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      posts.push(body);
      const children = body.children ? [{ id: "c2", number: "T-000002", outcome: "updated", version: 4 }, SKIPPED] : null;
      return json({ seq: 4, type: "public_message", actor: "alice", at, data: {}, children }, 201);
    }
    if (path === "/tickets/t1") return json(ticket("t1", "T-000001"), 200, '"3"');
    if (path === "/tickets/c2") return json(ticket("c2", "T-000002"), 200, '"3"');
    if (path === "/tickets/c3") return json(ticket("c3", "T-000003"), 200, '"3"');
    if (path === "/tickets/r9") return json(ticket("r9", "T-000009"), 200, '"3"');
    if (path === "/tickets/t1/events") return json([]);
    return ticketPageSurroundings(path);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), posts };
}

const PROBLEM_LINKS = [{ type: "child", ticket_id: "c2" }, { type: "related", ticket_id: "r9" }, { type: "child", ticket_id: "c3" }];

function mount(links: { type: string; ticket_id: string }[]) {
  const fake = ticketApi(links);
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketPage api={fake.api} id="t1" me="alice" />, host);
  return { ...fake, host };
}

async function type(box: HTMLTextAreaElement, text: string) {
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function tick(box: HTMLInputElement) {
  box.checked = !box.checked;
  box.dispatchEvent(new Event("change", { bubbles: true }));
}

afterEach(() => {
  document.body.innerHTML = "";
  sessionStorage.clear();
});

describe("a reply to the child tickets too", () => {
  it("is offered only on a ticket with child links, counting them", async () => {
    const plain = mount([{ type: "related", ticket_id: "r9" }]);
    await shown(plain.host, "[data-testid=reply-box]");
    expect(plain.host.querySelector("[data-testid=reply-children]")).toBeNull();
    expect(plain.host.querySelector("[data-testid=reply-children-outcome]")).toBeNull();

    const problem = mount(PROBLEM_LINKS);
    const choice = await shown<HTMLInputElement>(problem.host, "[data-testid=reply-children]");
    expect(choice.checked).toBe(false);
    expect(choice.closest("label")!.textContent).toBe(" Also send to the 2 child tickets");
    expect(childTickets({ links: [...PROBLEM_LINKS, { type: "child", ticket_id: "c2" }] as never })).toEqual(["c2", "c3"]);
  });

  it("sends children: true when ticked, says how each customer gets it, then names the child left as it was", async () => {
    const { host, posts } = mount(PROBLEM_LINKS);
    await type(await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]"), "Hi {{ requester.first_name }}, fixed.");
    const choice = await shown<HTMLInputElement>(host, "[data-testid=reply-children]");
    expect(host.querySelector("[data-testid=reply-children-hint]")).toBeNull();
    tick(choice);
    const hint = await shown(host, "[data-testid=reply-children-hint]");
    expect(hint.textContent).toBe("Each customer gets it as their own message. {{ requester.first_name }} greets each by name.");
    const status = host.querySelector<HTMLSelectElement>("[data-testid=reply-status]")!;
    status.value = "resolved";
    status.dispatchEvent(new Event("change", { bubbles: true }));
    const send = host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!;
    await vi.waitFor(() => expect(send.textContent).toBe("Send reply and set resolved"));
    send.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toEqual({ body: "Hi {{ requester.first_name }}, fixed.", public: true, status: "resolved", children: true, format: "markdown" });
    const outcome = await vi.waitFor(() => {
      const line = host.querySelector("[data-testid=reply-children-outcome]")!;
      expect(line.textContent).not.toBe("");
      return line;
    });
    expect(outcome.getAttribute("role")).toBe("status");
    expect(outcome.textContent).toBe("Sent to 1 of 2 child tickets. T-000003: solved already.");
    expect(host.querySelector<HTMLInputElement>("[data-testid=reply-children]")!.checked).toBe(false); // the next reply asks again

    await type(host.querySelector<HTMLTextAreaElement>("[data-testid=reply-box]")!, "Only to you.");
    host.querySelector<HTMLButtonElement>("[data-testid=reply-send]")!.click();
    await vi.waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1]).toEqual({ body: "Only to you.", public: true, format: "markdown" });
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reply-children-outcome]")!.textContent).toBe(""));
  });

  it("is not offered while files are attached, and says why", async () => {
    const { host, posts } = mount(PROBLEM_LINKS);
    await type(await shown<HTMLTextAreaElement>(host, "[data-testid=reply-box]"), "See the attached log.");
    tick(await shown<HTMLInputElement>(host, "[data-testid=reply-children]"));
    const input = host.querySelector<HTMLInputElement>("[data-testid=reply-files]")!;
    Object.defineProperty(input, "files", { value: [new File(["x"], "log.txt")], configurable: true });
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const why = await shown(host, "[data-testid=reply-children-refused]");
    expect(why.textContent).toContain("Files stay with this ticket");
    const choice = host.querySelector<HTMLInputElement>("[data-testid=reply-children]")!;
    expect(choice.disabled).toBe(true);
    expect(choice.checked).toBe(false);
    expect(choice.closest("label")!.title).toContain("Files stay with this ticket");
    expect(host.querySelector("[data-testid=reply-children-hint]")).toBeNull();
  });

  it("is not offered with a note mailed outside the ticket", async () => {
    const { host } = mount(PROBLEM_LINKS);
    await shown(host, "[data-testid=reply-children]");
    tick(host.querySelector<HTMLInputElement>(".reply-actions input[type=checkbox]")!); // "Internal note"
    const to = await shown<HTMLInputElement>(host, "[data-testid=side-mail-to]");
    to.value = "orders@supplier.example";
    to.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector<HTMLInputElement>("[data-testid=reply-children]")!.disabled).toBe(true));
    expect(host.querySelector("[data-testid=reply-children-refused]")!.textContent).toBe("A note mailed outside the ticket stays with this ticket.");
  });
});

describe("a problem solved", () => {
  it("says beside the status that its child tickets are solved with it, and how to tell their customers", async () => {
    const problem = mount(PROBLEM_LINKS);
    const status = await shown<HTMLSelectElement>(problem.host, "form.props select");
    expect(problem.host.querySelector("[data-testid=problem-solved-without-reply]")).toBeNull();
    status.value = "resolved";
    status.dispatchEvent(new Event("change", { bubbles: true }));
    const note = await shown(problem.host, "[data-testid=problem-solved-without-reply]");
    expect(note.textContent!.replace(/\s+/g, " ")).toBe("Its child tickets still open are solved with it, without a "
      + "message to their customers. To tell each what was fixed, reply with \"Also send to the 2 child tickets\" and "
      + "\"set resolved\" instead.");

    const plain = mount([{ type: "related", ticket_id: "r9" }]);
    const other = (await vi.waitFor(() => {
      const found = plain.host.querySelectorAll<HTMLSelectElement>("form.props select");
      if (!found.length) throw new Error("not yet");
      return found;
    }))[0]!;
    other.value = "resolved";
    other.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(plain.host.querySelector("[data-testid=problem-solved-without-reply]")).toBeNull(); // no child tickets
  });

  it("says in the reply box that a reply setting it solved solves the child tickets, unless the box sends it there", async () => {
    const { host } = mount(PROBLEM_LINKS);
    const then = await shown<HTMLSelectElement>(host, "[data-testid=reply-status]");
    expect(host.querySelector("[data-testid=reply-children-solved]")).toBeNull();
    then.value = "resolved";
    then.dispatchEvent(new Event("change", { bubbles: true }));
    const hint = await shown(host, "[data-testid=reply-children-solved]");
    expect(hint.textContent).toBe("They are solved with this ticket too. Unticked, what you write here stays on this ticket.");
    host.querySelector<HTMLInputElement>("[data-testid=reply-children]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reply-children-solved]")).toBeNull());
    expect(host.querySelector("[data-testid=reply-children-hint]")).not.toBeNull(); // how each customer gets it
  });
});

describe("the outcome of a write to many tickets", () => {
  it("reads the same for a reply to child tickets as for a bulk change", () => {
    const closed: BulkResult = { id: "c4", number: "T-000004", outcome: "skipped", code: "closed", message: "closed" };
    const refused: BulkResult = { id: "c5", number: "T-000005", outcome: "forbidden", code: "forbidden", message: "not in your groups" };
    const gone: BulkResult = { id: "c6", outcome: "not_found", code: "not_found", message: "ticket not found" };
    expect(childRepliesSummary([{ id: "c2", number: "T-000002", outcome: "updated" }, SKIPPED, closed, refused, gone])).toBe(
      "Sent to 1 of 5 child tickets. T-000003: solved already; T-000004: closed; T-000005: not in your groups; c6: no longer there.");
    expect(childRepliesSummary([{ id: "c2", number: "T-000002", outcome: "updated" }])).toBe("Sent to 1 of 1 child ticket.");
    expect(bulkSummary({ counts: { updated: 0, skipped: 1 }, results: [SKIPPED] }, [])).toBe(
      "0 tickets changed. Not changed: T-000003: solved already.");
  });
});
