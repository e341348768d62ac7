// A customer's thanks that kept a solved ticket solved shows so on the ticket page, with a Reopen beside it.
import { render } from "preact";
import { afterEach, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";
const mounted: HTMLElement[] = [];

afterEach(() => {
  for (const host of mounted.splice(0)) render(null, host);
  document.body.innerHTML = "";
});

it("marks the customer's thank-you that left the ticket solved, and only that message, and reopens it", async () => {
  const events = [
    { seq: 1, type: "created", actor: "email:dana@example.com", at, internal: false, data: { description: "Printer jams" } },
    { seq: 2, type: "public_message", actor: "alice", at, internal: false, data: { body: "Restarted the spooler.", public: true, from_customer: false } },
    { seq: 3, type: "public_message", actor: "email:dana@example.com", at, internal: false,
      data: { body: "Thank you so much, that fixed it!", public: true, from_customer: true, kept_solved: true } },
  ];
  const patches: { body: unknown; ifMatch: string | null }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    if (init?.method === "PATCH" && path === "/tickets/t1") {
      patches.push({ body: JSON.parse(String(init.body)), ifMatch: new Headers(init.headers).get("if-match") });
      return json({}, 200, '"5"');
    }
    if (path === "/tickets/t1") {
      return json({ id: "t1", number: "T-000001", subject: "Printer jams", description: "Printer jams", status: "resolved",
        priority: "normal", channel: "email", requester: { id: "email:dana@example.com", email: "dana@example.com", name: "Dana", email_verified: true },
        requester_key: "email:dana@example.com", assignee_id: "alice", group: null, tags: [], custom_fields: {},
        participants: [], followers: [], links: [], version: 4, created_at: at, updated_at: at, ai: { cited_article_ids: [] } }, 200, '"4"');
    }
    if (path === "/tickets/t1/events") return json(events);
    return ticketPageSurroundings(path);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  mounted.push(host);
  render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="alice" />, host);
  await shown(host, "[data-testid=conversation] article, [data-testid=public-message]");
  const marked = [...host.querySelectorAll(".badge, [class*=badge]")].filter((b) => b.textContent === "thanks: kept solved");
  expect(marked).toHaveLength(1);
  const message = marked[0]!.closest<HTMLElement>("[data-testid=public-message], article")!;
  expect(message.textContent).toContain("that fixed it");
  message.querySelector<HTMLButtonElement>("[data-testid=reopen-thanked]")!.click();
  await vi.waitFor(() => expect(patches).toEqual([{ body: { status: "open" }, ifMatch: '"4"' }]));
});
