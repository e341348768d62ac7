// What the component tests share: a JSON answer as the API gives it, waiting for an element to show, and what a
// ticket page reads around its ticket.
import { vi } from "vitest";

/** A JSON response, with an ETag when given (the API's optimistic-locking version). */
export const json = (body: unknown, status = 200, etag?: string) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...(etag ? { etag } : {}) } });

/** The first element matching `selector` under `host`, once it shows (2 s at most). */
export const shown = <T extends Element>(host: HTMLElement, selector: string) =>
  vi.waitFor(() => {
    const found = host.querySelector<T>(selector);
    if (!found) throw new Error(`${selector} not shown yet`);
    return found;
  }, { timeout: 2000 });

/** What a ticket page reads besides its ticket and its events: no custom fields, no triage yet, no other viewers,
 * the team (`users`), no other tickets of the requester, and `[]` for the rest (groups, macros, reminders). */
export function ticketPageSurroundings(path: string, users: unknown[] = []): Response {
  if (path === "/ticket-fields") return json({ fields: [], version: 1 }, 200, '"1"');
  if (path.endsWith("/assist")) return json({ error: { code: "not_found", message: "not triaged", details: null } }, 404);
  if (path.endsWith("/viewers/me")) return json({ others: [], check_in_s: 20 });
  if (path === "/users") return json({ items: users, next_cursor: null });
  if (path === "/tickets") return json({ items: [], next_cursor: null });
  return json([]);
}

