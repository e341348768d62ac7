import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { MyReminders, presets, ReminderPanel } from "../src/console/reminders";

afterEach(() => {
  document.body.innerHTML = "";
});

const json = (body: unknown, status = 200) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("reminders in the console", () => {
  it("offer an hour on, tomorrow 9:00 and the coming Monday 9:00 in the agent's time", () => {
    const friday = new Date(2026, 11, 4, 16, 30);  // Friday 4 December 2026, 16:30 local
    expect(presets(friday).map((p) => [p.label, p.at.getDate(), p.at.getHours(), p.at.getMinutes()])).toEqual([
      ["In an hour", 4, 17, 30], ["Tomorrow 9:00", 5, 9, 0], ["Monday 9:00", 7, 9, 0]]);
    const monday = new Date(2026, 11, 7, 8, 0);
    expect(presets(monday)[2]!.at.getDate()).toBe(14);  // a Monday: the next one
  });

  it("set, show and remove the agent's reminder of a ticket, and list the coming ones above the queue", async () => {
    let stored: { ticket_id: string; number: string; at: string; sent: boolean }[] = [];
    const sent: { method: string; body: unknown }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const method = (init.method ?? "GET").toUpperCase();
      if (method === "PUT") {
        const body = JSON.parse(String(init.body)) as { at: string };
        sent.push({ method, body });
        stored = [{ ticket_id: "t1", number: "T-000001", at: body.at, sent: false }];
        return json(stored[0]);
      }
      if (method === "DELETE") {
        sent.push({ method, body: null });
        stored = [];
        return json(null, 204);
      }
      return json(stored);
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const host = document.body.appendChild(document.createElement("div"));
    render(<ReminderPanel api={api} ticketId="t1" />, host);
    const button = (text: string) => [...host.querySelectorAll("button")].find((b) => b.textContent === text)!;
    await vi.waitFor(() => expect(host.textContent).toContain("A mail with this ticket's link"));
    button("Tomorrow 9:00").click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reminder-set]")?.textContent).toContain("You will be mailed a reminder"));
    const at = new Date((sent[0]!.body as { at: string }).at);
    expect([at.getHours(), at.getMinutes()]).toEqual([9, 0]);
    expect((sent[0]!.body as { at: string }).at).toMatch(/Z$/);  // with its offset, as the API requires

    const other = document.body.appendChild(document.createElement("div"));
    render(<MyReminders api={api} />, other);
    await vi.waitFor(() => expect(other.querySelector("[data-testid=my-reminders] a")?.getAttribute("href")).toBe("#/t/t1"));

    button("Remove").click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reminder-set]")).toBeNull());
    expect(sent.map((s) => s.method)).toEqual(["PUT", "DELETE"]);
  });
});
