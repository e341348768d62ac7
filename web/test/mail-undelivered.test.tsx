// Mail that did not arrive (`mail_undelivered` events from SES's bounces and complaints): the history line, and the
// warning above the reply box until the customer writes again.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketEvent } from "../src/api/types";
import { undeliveredLine, undeliveredWarning } from "../src/console/mail-undelivered";
import { describeEvent, TicketPage } from "../src/console/ticket";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = "2026-12-06T09:00:00Z";
const bounce = {
  kind: "bounce", bounce_type: "permanent", sent_at: at, provider_id: "0102",
  recipients: [{ address: "jana@kunde.example", status: "5.1.1", diagnostic: "smtp; 550 5.1.1 User unknown" }],
};
const event = (seq: number, type: string, data: Record<string, unknown> = {}): TicketEvent =>
  ({ seq, type, actor: type === "mail_undelivered" ? "email" : "alice", at, data }) as TicketEvent;

afterEach(() => {
  document.body.innerHTML = "";
});

describe("mail that did not arrive", () => {
  it("says whom and why in the history", () => {
    expect(describeEvent(event(3, "mail_undelivered", bounce))).toBe(
      "mail to jana@kunde.example bounced: smtp; 550 5.1.1 User unknown");
    expect(undeliveredLine({ ...bounce, bounce_type: "transient", recipients: [{ address: "a@b.example" }] })).toBe(
      "mail to a@b.example bounced (for now: the server kept refusing it)");
    expect(undeliveredLine({ kind: "complaint", recipients: [{ address: "jana@kunde.example" }] })).toBe(
      "jana@kunde.example marked our mail as spam");
    expect(undeliveredLine({ kind: "bounce", recipients: "not a list" })).toBe("mail to a recipient bounced");
  });

  it("warns until the customer writes again, not after an agent's reply", () => {
    const reply = event(2, "public_message", { body: "Try again", from_customer: false });
    const report = event(3, "mail_undelivered", bounce);
    expect(undeliveredWarning([reply])).toBeNull();
    expect(undeliveredWarning([reply, report])).toBe(report);
    expect(undeliveredWarning([reply, report, event(4, "public_message", { body: "Sent again", from_customer: false })]))
      .toBe(report);
    expect(undeliveredWarning([reply, report, event(4, "public_message", { body: "New address", from_customer: true })]))
      .toBeNull();
  });

  it("shows the warning above the reply box of the ticket page", async () => {
    const events = [event(1, "created", { description: "Charged twice" }),
      event(2, "public_message", { body: "Refunded", from_customer: false }), event(3, "mail_undelivered", bounce)];
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1") {
        return json({
          id: "t1", number: "T-000001", subject: "Charged twice", description: "Charged twice", status: "open",
          priority: "normal", channel: "email", requester: { id: "c1", email: "jana@kunde.example", name: "Jana", email_verified: true },
          requester_key: "email:jana@kunde.example", assignee_id: null, group: null, tags: [], custom_fields: {}, participants: [],
          links: [], version: 3, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
        }, 200, '"3"');
      }
      if (path === "/tickets/t1/events") return json(events);
      return ticketPageSurroundings(path);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="alice" />, host);
    const warning = await shown(host, "[data-testid=mail-undelivered]");
    expect(warning.textContent).toContain("Our mail did not arrive: mail to jana@kunde.example bounced");
    expect(warning.closest("form")?.getAttribute("aria-label")).toBe("Reply");
    const history = [...host.querySelectorAll("[data-testid=events] li")].map((li) => li.textContent ?? "");
    expect(history.some((line) => line.includes("mail to jana@kunde.example bounced"))).toBe(true);
    render(null, host);
  });
});
