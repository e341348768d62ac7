import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { Queue } from "../src/console/queue";
import { listedTicket as ticket } from "./ticket-fixture";

const REFRESH_MS = 300; // the console's is 30 s


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
