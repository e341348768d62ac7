// A ticket as the API lists it, for the queue's tests (the fields a row and the bulk bar read).
import type { Ticket } from "../src/api/types";

const at = "2026-01-01T00:00:00Z";

export function listedTicket(id: string, subject: string, version = 1): Ticket {
  return {
    id, number: `T-${id}`, subject, description: "d", status: "new", priority: "normal", channel: "web",
    requester: { id: `email:${id}@c.example`, email: `${id}@c.example`, name: null, email_verified: true },
    requester_key: `email:${id}@c.example`, tags: [], participants: [], links: [], custom_fields: {}, version,
    created_at: at, updated_at: at, ai: { cited_article_ids: [] },
  } as unknown as Ticket;
}
