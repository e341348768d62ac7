// The queue's rows say who wrote last and what, under the subject: the customer's words stand out (they wait).
import { render } from "preact";
import type { TicketRow } from "../src/api/types";
import { afterEach, expect, it } from "vitest";
import { lineOfRow, lineOfTicket, TicketTable } from "../src/console/ticket-table";
import { listedTicket } from "./ticket-fixture";

afterEach(() => {
  document.body.innerHTML = "";
});

it("shows the latest public message under the subject, and who wrote it", () => {
  const waiting = { ...listedTicket("a", "Printer jams"), requester: { id: "email:dana@example.com", email: "dana@example.com", name: "Dana Scully", email_verified: true, linked_to: null },
    latest_message: { text: "Still jammed after the restart", from_customer: true, at: "2026-01-02T00:00:00Z" } };
  const answered = { ...listedTicket("b", "VPN down"),
    latest_message: { text: "Which client version?", from_customer: false, at: "2026-01-02T00:00:00Z" } };
  const older = listedTicket("c", "Written before previews"); // none yet: nothing shown
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketTable caption="Tickets" lines={[waiting, answered, older].map(lineOfTicket)} />, host);
  const lines = [...host.querySelectorAll("tbody tr")].map((row) => row.querySelector("[data-testid=latest-message]"));
  expect(lines.map((l) => l?.textContent ?? null)).toEqual(["Dana: Still jammed after the restart", "Team: Which client version?", null]);
  expect(lines[0]!.querySelector(".from-customer")).not.toBeNull();
  expect(lines[1]!.querySelector(".from-customer")).toBeNull();
  render(null, host);
});

it("shows a saved view's rows the same way", () => {
  const row = { id: "r1", number: "T-000007", subject: "Refund", status: "open", priority: "normal", channel: "email", group: null,
    assignee_id: null, requester_name: "Hank Scorpio", requester_email: "hank@globex.example", tags: [], sla: null,
    created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", version: 2,
    latest_message: { text: "Any news on the refund?", from_customer: true, at: "2026-01-02T00:00:00Z" } } satisfies TicketRow;
  const host = document.body.appendChild(document.createElement("div"));
  render(<TicketTable caption="View" lines={[lineOfRow(row)]} />, host);
  expect(host.querySelector("[data-testid=latest-message]")?.textContent).toBe("Hank: Any news on the refund?");
  render(null, host);
});
