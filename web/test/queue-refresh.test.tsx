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

// The refresh's clock (its interval and Date) is faked and moved by the test, so "read again at once" is told from
// "read at the next tick" by the clock standing still, not by how fast a loaded machine answers. Fetches and renders
// settle on the real setTimeout (vi.waitFor would move the faked clock: not used here).
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) render(null, host); // its interval stops with it
  vi.useRealTimers();
  document.body.innerHTML = "";
  visibility("visible");
});

describe("the queue", () => {
  it("shows new tickets without a reload while the tab is in sight, and asks nothing while it is hidden", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    let queue = [ticket("a", "Printer jams")];
    let listCalls = 0;
    const fetch = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === "/tickets" && u.searchParams.get("status") === "new" && u.searchParams.get("limit") === "25") listCalls += 1;
      if (u.pathname === "/tickets") return Response.json({ items: queue, next_cursor: null });
      return Response.json([]); // no saved views, counts or organisations
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    hosts.push(host);
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route="/" refreshMs={REFRESH_MS} />, host);
    const rows = () => [...host.querySelectorAll("tbody tr")].map((r) => r.textContent ?? "");
    await until(() => rows().length === 1);

    queue = [ticket("b", "VPN down"), ...queue];
    vi.advanceTimersByTime(REFRESH_MS); // the next tick
    await until(() => rows().length === 2);
    expect(rows()[0]).toContain("VPN down");

    visibility("hidden");
    const hidden = listCalls;
    vi.advanceTimersByTime(4 * REFRESH_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(listCalls).toBe(hidden); // a tab in the background costs nothing
    queue = [ticket("c", "Invoice wrong"), ...queue];
    visibility("visible"); // back after longer than a refresh: read again at once (the clock has not moved)
    await until(() => listCalls === hidden + 1);
    await until(() => rows().length === 3);
  });
});
