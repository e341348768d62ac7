// What the component tests share: a JSON answer as the API gives it, and waiting for an element to show.
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
