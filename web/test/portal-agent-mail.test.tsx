// A ticket a team member opened by mailing the customer with support copied (`written_by_agent`): the portal shows
// its first message as the team's, under the agent's name, not as a colleague's message of the customer's side.
import { describe, expect, it } from "vitest";
import type { Ticket, TicketEvent } from "../src/api/types";
import { PORTAL_TEXT } from "../src/portal/i18n";
import { messageAuthor, staffName, type Customer } from "../src/portal/tickets";

const t = PORTAL_TEXT.en;
const bob: Customer = { sub: "email:bob@buyer.example", email: "bob@buyer.example" } as Customer;
const ticket = { requester: { id: "email:bob@buyer.example", email: "bob@buyer.example", name: "Bob" }, own: true } as unknown as Ticket;
const created = (data: Record<string, unknown>) => ({ type: "created", actor: "alice", data } as unknown as TicketEvent);

describe("the first message of a ticket", () => {
  it("is the team's when a team member's mail opened it", () => {
    const event = created({ from: "alice@acme.example", from_name: "Alice Agent", written_by_agent: "alice",
      author_name: "Alice Agent" });
    expect(messageAuthor(event, ticket, bob, t)).toBeNull();
    expect(staffName(event.data as Record<string, unknown>, t)).toBe("Alice Agent");
  });

  it("is the customer's own request otherwise", () => {
    expect(messageAuthor(created({ from: "bob@buyer.example" }), ticket, bob, t)).toEqual({ mine: true, name: t.you });
  });
});
