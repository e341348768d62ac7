// A problem and its tickets in the queue: a ticket others are linked to as children reads "problem · N tickets", one
// of those children "incident", any other ticket neither (a saved view's search rows know no links: no badge).
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Ticket } from "../src/api/types";
import { lineOfTicket, TicketTable } from "../src/console/ticket-table";
import { listedTicket } from "./ticket-fixture";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the queue's problem badges", () => {
  it("names a problem with its count of tickets, and its incidents", () => {
    const linked = (ticket: Ticket, links: Ticket["links"]): Ticket => ({ ...ticket, links });
    const problem = linked(listedTicket("p1", "Sync outage"),
      [{ type: "child", ticket_id: "a" }, { type: "child", ticket_id: "b" }, { type: "related", ticket_id: "c" }]);
    const incident = linked(listedTicket("a", "Sync stopped"), [{ type: "parent", ticket_id: "p1" }]);
    const plain = linked(listedTicket("c", "Invoice"), [{ type: "related", ticket_id: "p1" }]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketTable caption="Queue" lines={[problem, incident, plain].map(lineOfTicket)} />, host);
    const subjects = [...host.querySelectorAll("td.card-title")].map((td) => td.textContent?.trim());
    expect(subjects).toEqual(["Sync outage problem · 2 tickets", "Sync stopped incident", "Invoice"]);
  });
});
