import { render } from "preact";
import { describe, expect, it } from "vitest";
import type { Ticket, TicketEvent } from "../src/api/types";
import type { Triage } from "../src/api/triage";
import {
  actorName, aiApplied, completeMention, decidable, conversation, describeEvent, draftStanding, fieldText, handleOf, history, mentionQuery, splittable,
} from "../src/console/ticket";
import { eventKey } from "../src/shared/transcript";
import { atRisk, slaBadges } from "../src/shared/format";
import { Markdown, safeHref } from "../src/shared/markdown";
import { Snippet, snippetParts, unescapeHtml } from "../src/shared/snippet";
import { formatSpans, parseSpans, waitingText } from "../src/console/sla";
import { others, SHOWN } from "../src/console/requester-tickets";
import { editable, linkName } from "../src/console/ticket-links";
import { copied } from "../src/console/participants";

const XSS = '<img src=x onerror="window.__xss=1">';

describe("markdown", () => {
  it("renders sender markup as text", () => {
    const host = document.createElement("div");
    render(<Markdown source={`# Title ${XSS}\n\nText ${XSS} **bold** [ok](https://example.com) [bad](javascript:alert(1))`} />, host);
    expect(host.querySelector("img")).toBeNull();
    expect(host.textContent).toContain(XSS);
    expect(host.querySelector("strong")?.textContent).toBe("bold");
    const links = [...host.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(["https://example.com"]);
  });

  it("renders an article's tables, lists, quotes and code as a reader expects", () => {
    const host = document.createElement("div");
    render(<Markdown source={[
      "Tandem has three plans.", "",
      "| Plan | Monthly | Annual |", "|------|--------:|:------:|", "| Free | 0 EUR | 0 EUR |", "| Team | 9 EUR | 7.50 EUR |", "",
      "## Changing plans", "",
      "1. Open **Admin**", "2. Pick a plan", "   - Team", "   - Business", "",
      "> Downgrades wait for the period's end.", "",
      "```", "curl -H 'x: 1' https://api.example", "```", "",
      "![Billing page](https://cdn.example.com/billing.png) and ![x](javascript:alert(1))",
    ].join("\n")} />, host);
    const table = host.querySelector("table");
    expect([...table?.querySelectorAll("th") ?? []].map((c) => c.textContent)).toEqual(["Plan", "Monthly", "Annual"]);
    expect([...table?.querySelectorAll("tbody tr") ?? []].map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent)))
      .toEqual([["Free", "0 EUR", "0 EUR"], ["Team", "9 EUR", "7.50 EUR"]]);
    expect(table?.querySelector("td.align-right")?.textContent).toBe("0 EUR");
    expect(host.querySelector("h3")?.textContent).toBe("Changing plans");  // the page title is the h1
    expect(host.querySelector("ol > li > strong")?.textContent).toBe("Admin");
    expect(host.querySelector("ol > li")?.querySelector("p")).toBeNull();  // a tight list: no paragraphs
    expect([...host.querySelectorAll("ol ul li")].map((li) => li.textContent)).toEqual(["Team", "Business"]);
    expect(host.querySelector("blockquote")?.textContent?.trim()).toBe("Downgrades wait for the period's end.");
    expect(host.querySelector("pre code")?.textContent).toBe("curl -H 'x: 1' https://api.example");
    expect(host.querySelector("img")).toBeNull();  // pictures are links to them, named by their text
    expect(host.querySelector("a.image-link")?.getAttribute("href")).toBe("https://cdn.example.com/billing.png");
    expect(host.textContent).toContain("Billing page and ![x](javascript:alert(1))");  // not a link: shown as written
    expect([...host.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual(["https://cdn.example.com/billing.png"]);
    expect(host.querySelectorAll("[style]")).toHaveLength(0);
  });

  it("allows only safe link targets", () => {
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref(" data:text/html,x")).toBeNull();
    expect(safeHref("/portal/#/kb/1")).toBe("/portal/#/kb/1");
  });
});

describe("an SLA policy's handling of tickets waiting for the customer", () => {
  it("says what is on", () => {
    expect(waitingText({ pending_reminder_days: 2, pending_resolve_days: 5, auto_close_days: 7 }))
      .toBe("remind after 2 d; resolve after 5 d; close 7 d after resolved");
    expect(waitingText({})).toBe("close 7 d after resolved"); // the API's default
    expect(waitingText({ auto_close_days: null })).toBe("resolved tickets never close by themselves");
  });
});

describe("copied on mail", () => {
  it("lists everyone but the requester, whatever the case of their address", () => {
    const requester = { id: "email:grace@customer.example", email: "Grace@Customer.example", email_verified: true, name: null, linked_to: null };
    expect(copied({ requester, participants: ["grace@customer.example", "ada@customer.example"] })).toEqual(["ada@customer.example"]);
    const client = { id: "api-client", email: null, email_verified: false, name: null, linked_to: null };
    expect(copied({ requester: client, participants: ["ops@customer.example"] })).toEqual(["ops@customer.example"]);
  });
});

describe("linked tickets", () => {
  it("names links and lets agents edit only the ones they set", () => {
    expect(linkName("merged_into")).toBe("merged into");
    expect(linkName("follow_up")).toBe("follow up");
    expect(["related", "duplicate", "parent", "child"].every(editable)).toBe(true);
    expect(editable("merged_from")).toBe(false);
    expect(editable("follow_up")).toBe(false);
  });
});

describe("the requester's other tickets", () => {
  const t = (id: string) => ({ id }) as unknown as Ticket;
  it("leaves out the open ticket and says when there are more", () => {
    expect(others({ items: [t("a"), t("b")], next_cursor: null }, "a")).toEqual({ tickets: [t("b")], more: false });
    const many = Array.from({ length: SHOWN + 1 }, (_, i) => t(`t${i}`));
    expect(others({ items: many }, "elsewhere").tickets).toHaveLength(SHOWN);
    expect(others({ items: many }, "elsewhere").more).toBe(true);
    expect(others({ items: many }, "t0")).toEqual({ tickets: many.slice(1), more: false });
    expect(others({ items: [t("b")], next_cursor: "c" }, "a").more).toBe(true);
  });
});

describe("ticket page helpers", () => {
  const ev = (seq: number, type: string, data: Record<string, unknown> = {}): TicketEvent => ({ seq, type, actor: "a", at: "2026-01-01T00:00:00Z", data });
  it("shows custom fields as text", () => {
    expect(fieldText("ORD-1")).toBe("ORD-1");
    expect(fieldText({ plan: "team", seats: 5 })).toBe('{"plan":"team","seats":5}');
    expect(fieldText("x".repeat(300))).toHaveLength(200);
  });

  it("mentions a teammate by the local part of their address, as the notification mails read it", () => {
    expect(handleOf("Ada.Lovelace@acme.example")).toBe("ada.lovelace");
  });

  it("completes the mention being typed at the caret", () => {
    expect(mentionQuery("Can @Ad", 7)).toBe("ad");
    expect(mentionQuery("Can @", 5)).toBe("");
    expect(mentionQuery("mail ada@acme", 13)).toBeNull(); // an address, not a mention
    expect(mentionQuery("@ada done", 9)).toBeNull(); // the caret is past it
    expect(mentionQuery("Ask **@ad", 9)).toBe("ad"); // in bold: a mention, as the server reads it
    expect(mentionQuery("see x.@ad", 9)).toBeNull();
    expect(completeMention("Can @ad check?", 7, "ada")).toEqual({ text: "Can @ada check?", caret: 9 });
    expect(completeMention("@", 1, "ada")).toEqual({ text: "@ada ", caret: 5 });
  });

  it("splits only a customer's own message, and keys merged messages apart from this ticket's", () => {
    expect(splittable(ev(2, "public_message", { from_customer: true }))).toBe(true);
    expect(splittable(ev(2, "public_message", { from_customer: false }))).toBe(false);
    expect(splittable(ev(1, "created"))).toBe(false);
    expect(splittable(ev(2, "public_message", { from_customer: true, merged_from: "t2" }))).toBe(false);
    expect(eventKey(ev(1, "created"))).not.toBe(eventKey(ev(1, "created", { merged_from: "t2" })));
  });

  it("keeps the conversation apart from the history", () => {
    const events = [ev(1, "created"), ev(2, "public_message"), ev(3, "internal_note"), ev(4, "status_changed", { from: "new", to: "open" })];
    expect(conversation(events).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(history(events).map((e) => e.seq)).toEqual([1, 4]);
    expect(describeEvent(events[3]!)).toBe("status: new → open");
  });

  it("tells a draft that still answers from one answered or overtaken since", () => {
    const at = (seq: number, iso: string, data: Record<string, unknown>): TicketEvent => ({ ...ev(seq, "public_message", data), at: iso });
    const created = { ...ev(1, "created"), at: "2026-12-02T10:00:00Z" };
    const written = "2026-12-02T10:00:05.123456Z";
    expect(draftStanding(written, [created])).toBe("current");
    expect(draftStanding(undefined, [created, at(2, "2026-12-02T11:00:00Z", { from_customer: false })])).toBe("current");
    const replied = at(2, "2026-12-02T11:00:00Z", { from_customer: false });
    expect(draftStanding(written, [created, replied])).toBe("answered");
    expect(draftStanding(written, [created, replied, at(3, "2026-12-02T12:00:00Z", { from_customer: true })])).toBe("outdated");
    expect(draftStanding(written, [created, { ...ev(4, "internal_note"), at: "2026-12-02T13:00:00Z" }])).toBe("current");
  });

  it("names who wrote: the requester on the customer's messages, a team member by name", () => {
    const requester = { id: "email:grace@customer.example", email: "grace@customer.example", email_verified: false, name: "Grace Hopper", linked_to: null };
    const team = (id: string) => ({ "5f3a-sub": "Alice Agent" } as Record<string, string>)[id];
    const by = (actor: string, type: string, data: Record<string, unknown> = {}): TicketEvent => ({ ...ev(1, type, data), actor });
    expect(actorName(by("email", "created", { from_name: "G. Hopper" }), requester, team)).toBe("G. Hopper");
    expect(actorName(by("chat", "created"), requester, team)).toBe("Grace Hopper");
    expect(actorName(by("email", "public_message", { from_customer: true }), requester, team)).toBe("Grace Hopper");
    expect(actorName(by("5f3a-sub", "public_message", { from_customer: false }), requester, team)).toBe("Alice Agent");
    expect(actorName(by("gone-sub", "public_message", { author_name: "Bob Left" }), requester, team)).toBe("Bob Left");
    expect(actorName(by("ai", "group_changed"), requester, team)).toBe("ai");
    expect(actorName(by("email:grace@customer.example", "status_changed"), requester, team)).toBe("Grace Hopper"); // reopened by writing
    expect(actorName(by("sla", "public_message", { from_customer: false, automatic: "pending_reminder" }), requester, team))
      .toBe("Automatic reminder");
    expect(describeEvent(ev(5, "status_changed", { from: "pending", to: "resolved", reason: "no_reply" })))
      .toBe("status: pending → resolved (the customer did not reply)");
    expect(describeEvent(ev(6, "status_changed", { from: "open", to: "resolved", parent_id: "p1", parent_number: "T-000006" })))
      .toBe("status: open → resolved (with its problem T-000006)");
  });
});

describe("the AI triage panel", () => {
  it("offers to revert only what AI applied", () => {
    const field = (state: string) => ({ value: "billing", confidence: 0.9, method: "m", level: "high", state });
    expect(aiApplied({ group: field("suggested"), category: field("rejected") } as unknown as Triage)).toBe(false);
    expect(aiApplied({ group: field("applied") } as unknown as Triage)).toBe(true);
  });
  it("offers accept and reject only for an open suggestion of something", () => {
    expect(decidable({ state: "suggested", value: "billing" })).toBe(true);
    expect(decidable({ state: "suggested", value: null })).toBe(false); // unlike every example: nothing suggested
    expect(decidable({ state: "applied", value: "billing" })).toBe(false);
  });
});

describe("SLA badges", () => {
  it("orders targets worst first and flags risk", () => {
    const sla = { targets: [{ kind: "resolution", state: "ok", due_at: "x" }, { kind: "first_response", state: "warning", due_at: "y" }] };
    expect(slaBadges(sla).map((b) => b.state)).toEqual(["warning", "ok"]);
    expect(atRisk(sla)).toBe(true);
    expect(atRisk(null)).toBe(false);
  });
});

describe("search snippets", () => {
  it("marks matched words and decodes entities to text", () => {
    expect(snippetParts("reset my &lt;b&gt;<mark>password</mark> &amp; &#x27;more&#39;")).toEqual([
      { text: "reset my <b>", mark: false },
      { text: "password", mark: true },
      { text: " & 'more'", mark: false },
    ]);
    expect(unescapeHtml("&unknown; &#0; &#x1F600;")).toBe("&unknown; &#0; 😀");
  });

  it("never turns a snippet into markup", () => {
    const host = document.createElement("div");
    const escaped = XSS.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    render(<Snippet html={`${escaped} <mark>img</mark> ${XSS}`} />, host);
    expect(host.querySelector("img")).toBeNull();
    expect(host.querySelectorAll("mark")).toHaveLength(1);
    expect(host.querySelector("mark")?.textContent).toBe("img");
    expect(host.textContent).toBe(`${XSS} img ${XSS}`);
  });
});

describe("SLA calendar spans", () => {
  it("reads and writes opening hours as text", () => {
    expect(parseSpans(" 09:00-12:00, 13:00 - 17:00 ,")).toEqual([{ start: "09:00", end: "12:00" }, { start: "13:00", end: "17:00" }]);
    expect(parseSpans("")).toEqual([]);
    expect(formatSpans([{ start: "08:00", end: "24:00" }])).toBe("08:00-24:00");
  });
});

describe("who else is on the ticket", () => {
  const viewer = (user_id: string, replying = false, name: string | null = null) => ({ user_id, name, replying, seen_at: "2026-01-01T00:00:00Z" });
  const team = (id: string) => ({ ada: "Ada Lovelace", bob: "Bob" } as Record<string, string>)[id];
  it("says who writes first, then who reads, by their directory names", async () => {
    const { viewersLine } = await import("../src/console/viewers");
    expect(viewersLine([], team)).toBeNull();
    expect(viewersLine([viewer("ada")], team)).toBe("Ada Lovelace has this ticket open.");
    expect(viewersLine([viewer("ada"), viewer("bob", true)], team)).toBe("Bob is writing a reply; Ada Lovelace has this ticket open.");
    expect(viewersLine([viewer("ada", true), viewer("bob", true), viewer("x-sub", true, "Xena")], team))
      .toBe("Ada Lovelace, Bob and Xena are writing a reply.");
  });
});
