// The problem a new report belongs to, under triage's similar tickets: a similar ticket that is an incident of a
// problem, or a problem itself, names it once ("Part of problem T-… · subject (N tickets)"); none for a problem this
// ticket is under already, for this ticket itself, for a closed problem, or for a similar ticket that is gone; the
// button links this ticket as the problem's incident (`parent` here) and the page reads the ticket again.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { problemOf, suggestable } from "../src/console/problem-suggestion";
import { TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";
type Link = { type: string; ticket_id: string };

function ticket(id: string, subject: string, links: Link[] = [], status = "open", version = 3) {
  return {
    id, number: `T-${id}`, subject, description: "Nothing syncs since 9:00.", status, priority: "normal",
    channel: "web", requester: { id: `email:${id}@c.example`, email: `${id}@c.example`, name: null, email_verified: true },
    requester_key: `email:${id}@c.example`, assignee_id: null, group: null, tags: [], custom_fields: {},
    participants: [], followers: [], links, version, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
  };
}

const similar = (...ids: string[]) => ids.map((id, i) => ({ ticket_id: id, number: `T-${id}`, subject: "Sync stopped",
  score: 0.9 - i / 100, same_requester: false }));

/** A ticket page on t1, triaged with `similarIds` as its similar tickets; `others`: the tickets the API has besides
 * t1 (a missing one is a 404); `links`: t1's links; `failLink`: the link POST's error answer. */
function mount(others: ReturnType<typeof ticket>[], similarIds: string[], links: Link[] = [], failLink?: Response) {
  const reads: string[] = [];
  const posts: { path: string; body: unknown }[] = [];
  let t1 = ticket("t1", "Sync stopped", links);
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    if (method === "POST" && path === "/tickets/t1/links") {
      const body = JSON.parse(String(init.body)) as Link;
      posts.push({ path, body });
      if (failLink) return failLink;
      t1 = ticket("t1", "Sync stopped", [...t1.links, { type: body.type, ticket_id: body.ticket_id }], "open", t1.version + 1);
      return json(t1, 200, `"${t1.version}"`);
    }
    if (path === "/tickets/t1/assist") {
      return json({ ticket_id: "t1", number: "T-t1", status: "triaged", triage: { similar_tickets: similar(...similarIds), similar_method: "embedded:cosine" } });
    }
    if (path === "/tickets/t1/events") return json([]);
    const match = /^\/tickets\/([^/]+)$/.exec(path);
    if (match && method === "GET") {
      reads.push(match[1]!);
      if (match[1] === "t1") return json(t1, 200, `"${t1.version}"`);
      const other = others.find((t) => t.id === match[1]);
      return other ? json(other, 200, '"3"') : json({ error: { code: "not_found", message: "ticket not found", details: null } }, 404);
    }
    return ticketPageSurroundings(path);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="alice" />, host);
  return { host, reads, posts };
}

const suggestions = (host: HTMLElement) =>
  [...host.querySelectorAll("[data-testid=triage-panel] [data-testid=problem-suggestion]")].map((li) => li.textContent);

/** Once the similar tickets (and the problems they point at) were read: every id of `ids` read at least once. */
const readAll = (reads: string[], ids: string[]) => vi.waitFor(() => expect(reads).toEqual(expect.arrayContaining(ids)));

afterEach(() => {
  document.body.innerHTML = "";
  sessionStorage.clear();
});

// p1: a problem not among the similar tickets, with incident s1; p2: a problem among them, with incidents s3 and two others
const P1 = ticket("p1", "Sync outage", [{ type: "child", ticket_id: "s1" }, { type: "child", ticket_id: "x1" }]);
const P2 = ticket("p2", "Login outage", [{ type: "child", ticket_id: "s3" }, { type: "related", ticket_id: "x9" },
  { type: "child", ticket_id: "x2" }, { type: "child", ticket_id: "x3" }]);
const S1 = ticket("s1", "Sync stopped", [{ type: "related", ticket_id: "x9" }, { type: "parent", ticket_id: "p1" }]);
const S3 = ticket("s3", "Cannot sign in", [{ type: "parent", ticket_id: "p2" }]);
const PLAIN = ticket("s5", "Sync slow");

describe("the problem a similar ticket belongs to", () => {
  it("is suggested for an incident of a problem and for a problem, once each, read once", async () => {
    const { host, reads } = mount([P1, P2, S1, S3, PLAIN], ["s1", "p2", "s3", "gone", "s5"]);
    await vi.waitFor(() => expect(suggestions(host)).toHaveLength(2));
    expect(suggestions(host)).toEqual([
      "Part of problem T-p1 · Sync outage (2 tickets) Link as its incident T-p1",
      "Part of problem T-p2 · Login outage (3 tickets) Link as its incident T-p2",
    ]);
    const first = host.querySelector("[data-testid=problem-suggestion] a")!;
    expect(first.getAttribute("href")).toBe("#/t/p1");
    // each similar ticket read once, the problem not among them once, the one among them not again
    for (const id of ["s1", "p2", "s3", "gone", "s5", "p1"]) expect(reads.filter((r) => r === id)).toHaveLength(1);
    // the Similar tickets list itself is as it was
    const listed = [...host.querySelectorAll("[data-testid=triage-panel] h3 + ul > li")].map((li) => li.textContent);
    expect(listed).toEqual(["T-s1 Sync stopped 90%", "T-p2 Sync stopped 89%", "T-s3 Sync stopped 88%", "T-gone Sync stopped 87%",
      "T-s5 Sync stopped 86%"]);
  });

  it("is not suggested when this ticket is under it already, is the problem itself, or the problem is closed", async () => {
    const linked = mount([P1, P2, S1, S3], ["s1", "s3"], [{ type: "parent", ticket_id: "p1" }]);
    await vi.waitFor(() => expect(suggestions(linked.host)).toEqual([
      "Part of problem T-p2 · Login outage (3 tickets) Link as its incident T-p2"]));
    document.body.innerHTML = "";

    const closed = ticket("p3", "Old outage", [{ type: "child", ticket_id: "s6" }], "closed");
    const ownIncident = ticket("s7", "Sync stopped", [{ type: "parent", ticket_id: "t1" }]);
    const none = mount([closed, ownIncident, ticket("s6", "Sync", [{ type: "parent", ticket_id: "p3" }]), PLAIN],
      ["p3", "s6", "s7", "s5", "gone"]);
    await readAll(none.reads, ["p3", "s6", "s7", "s5", "gone"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(suggestions(none.host)).toEqual([]);
    expect(none.host.querySelector("[data-testid=triage-panel] .problem-suggestions")).toBeNull();
  });

  it("links this ticket as the problem's incident, then reads the ticket again", async () => {
    const { host, posts, reads } = mount([P1, S1], ["s1"]);
    const button = (await shown(host, "[data-testid=problem-suggestion] button")) as HTMLButtonElement;
    const before = reads.filter((r) => r === "t1").length;
    button.click();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]).toEqual({ path: "/tickets/t1/links", body: { type: "parent", ticket_id: "p1" } });
    await vi.waitFor(() => expect(reads.filter((r) => r === "t1").length).toBeGreaterThan(before));
    await vi.waitFor(() => expect(suggestions(host)).toEqual([])); // under that problem now
    expect(host.querySelector("[data-testid=ticket-links]")!.textContent).toContain("parent: ");
  });

  it("says why the link failed, as the page does", async () => {
    const refused = json({ error: { code: "invalid_input", message: "a ticket has at most 50 links", details: null } }, 422);
    const { host } = mount([P1, S1], ["s1"], [], refused);
    (await shown<HTMLButtonElement>(host, "[data-testid=problem-suggestion] button")).click();
    const alert = await shown(host, "[data-testid=triage-panel] [role=alert]");
    expect(alert.textContent).toBe("a ticket has at most 50 links (422 invalid_input)");
    expect(suggestions(host)).toHaveLength(1); // still offered
  });

  it("reads a problem as itself when it has children, else as its first parent", () => {
    expect(problemOf({ id: "a", links: [{ type: "parent", ticket_id: "p" }, { type: "child", ticket_id: "c" }] })).toBe("a");
    expect(problemOf({ id: "a", links: [{ type: "related", ticket_id: "r" }, { type: "parent", ticket_id: "p" }, { type: "parent", ticket_id: "q" }] })).toBe("p");
    expect(problemOf({ id: "a", links: [{ type: "duplicate", ticket_id: "d" }] })).toBeNull();
  });

  it("is not offered to a closed ticket: its links stay as they were", () => {
    expect(suggestable(P1 as unknown as Ticket, { id: "t1", links: [], status: "open" })).toBe(true);
    expect(suggestable(P1 as unknown as Ticket, { id: "t1", links: [], status: "closed" })).toBe(false);
  });
});
