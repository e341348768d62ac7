// A customer's thanks that kept a solved ticket solved shows so on the ticket page, with how to reopen it.
import { render } from "preact";
import { afterEach, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-01-01T00:00:00Z";
const mounted: HTMLElement[] = [];

afterEach(() => {
  for (const host of mounted.splice(0)) render(null, host);
  document.body.innerHTML = "";
});

it("marks the customer's thank-you that left the ticket solved, and only that message", async () => {
  const events = [
    { seq: 1, type: "created", actor: "email:dana@example.com", at, internal: false, data: { description: "Printer jams" } },
    { seq: 2, type: "public_message", actor: "alice", at, internal: false, data: { body: "Restarted the spooler.", public: true, from_customer: false } },
    { seq: 3, type: "public_message", actor: "email:dana@example.com", at, internal: false,
      data: { body: "Thank you so much, that fixed it!", public: true, from_customer: true, kept_solved: true } },
  ];
  const fetch = (async (url: string) => {
    const path = new URL(url).pathname;
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
  expect(marked[0]!.getAttribute("title")).toContain("set it open to reopen it");
  expect(marked[0]!.closest("[data-testid=public-message], article")?.textContent).toContain("that fixed it");
});
