// What the component tests share: a JSON answer as the API gives it, waiting for an element to show, what a
// ticket page reads around its ticket, and portal components mounted in a reader's language.
import { h, render, type ComponentChild } from "preact";
import { afterEach, vi } from "vitest";
import { PortalLanguage } from "../src/portal/i18n";
import type { Lang } from "../src/shared/language";

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

/** A `mount(node, lang)` that renders into a host of its own, in the portal's `lang` ("en" unless given); every host
 * is taken down after each test, so a help centre left mounted never follows the next test's address. */
export function portalMount(): (node: ComponentChild, lang?: Lang) => HTMLElement {
  const mounted: HTMLElement[] = [];
  afterEach(() => {
    for (const host of mounted.splice(0)) render(null, host);
    document.body.innerHTML = "";
    window.location.hash = ""; // the window is shared with the other test files (isolate: false)
  });
  return (node, lang = "en") => {
    const host = document.body.appendChild(document.createElement("div"));
    mounted.push(host);
    render(h(PortalLanguage.Provider, { value: lang }, node), host);
    return host;
  };
}
