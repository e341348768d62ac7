import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { Queue } from "../src/console/queue";

const REFRESH_MS = 300; // the console's is 30 s

const at = "2026-01-01T00:00:00Z";
const ticket = (id: string, subject: string) => ({
  id, number: `T-${id}`, subject, description: "d", status: "new", priority: "normal", channel: "web",
  requester: { id: `email:${id}@c.example`, email: `${id}@c.example`, name: null, email_verified: true },
  requester_key: `email:${id}@c.example`, tags: [], participants: [], links: [], custom_fields: {}, version: 1,
  created_at: at, updated_at: at, ai: { cited_article_ids: [] },
}) as unknown as Ticket;

function visibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

afterEach(() => {
  document.body.innerHTML = "";
  visibility("visible");
});

describe("the queue", () => {
  it("shows new tickets without a reload while the tab is in sight, and asks nothing while it is hidden", async () => {
    let queue = [ticket("a", "Printer jams")];
    let listCalls = 0;
    const fetch = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === "/tickets" && u.searchParams.get("status") === "new" && u.searchParams.get("limit") === "25") listCalls += 1;
      if (u.pathname === "/tickets") return Response.json({ items: queue, next_cursor: null });
      return Response.json([]); // no saved views, counts or organisations
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route="/" refreshMs={REFRESH_MS} />, host);
    const rows = () => [...host.querySelectorAll("tbody tr")].map((r) => r.textContent ?? "");
    await vi.waitFor(() => expect(rows()).toHaveLength(1));
    const first = listCalls;

    queue = [ticket("b", "VPN down"), ...queue];
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toContain("VPN down");

    visibility("hidden");
    await new Promise((r) => setTimeout(r, REFRESH_MS / 2)); // a refresh under way finishes
    const hidden = listCalls;
    await new Promise((r) => setTimeout(r, 4 * REFRESH_MS));
    expect(listCalls).toBe(hidden); // a tab in the background costs nothing
    queue = [ticket("c", "Invoice wrong"), ...queue];
    visibility("visible"); // back after longer than a refresh: read again at once
    await vi.waitFor(() => expect(listCalls).toBe(hidden + 1), { timeout: REFRESH_MS / 2, interval: 5 });
    await vi.waitFor(() => expect(rows()).toHaveLength(3));
  });
});
