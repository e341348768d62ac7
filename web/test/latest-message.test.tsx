// The queue's rows say who wrote last and what, under the subject: the customer's words stand out (they wait).
import { render } from "preact";
import { afterEach, expect, it } from "vitest";
import { lineOfTicket, TicketTable } from "../src/console/ticket-table";
import { listedTicket } from "./ticket-fixture";

afterEach(() => {
  document.body.innerHTML = "";
});

it("shows the latest public message under the subject, and who wrote it", () => {
  const waiting = { ...listedTicket("a", "Printer jams"), requester: { id: "email:dana@example.com", email: "dana@example.com", name: "Dana Scully", email_verified: true },
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
