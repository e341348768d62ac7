// Followers on the ticket page: Follow / Unfollow for oneself, a colleague added from those who may open the ticket
// (an agent of other groups is not offered), a follower removed, the API's refusal shown, and the history line.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket, TicketEvent } from "../src/api/types";
import type { Team } from "../src/console/assignment";
import { Followers } from "../src/console/followers";
import { describeEvent } from "../src/console/ticket";
import { describeFilters, filtersOf } from "../src/console/views";

const at = "2026-01-01T00:00:00Z";
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const person = (id: string, name: string, role = "agent", ticket_access = "all") =>
  ({ id, name, email: `${id}@acme.example`, role, active: true, ticket_access, tenant_id: "acme", created_at: at, updated_at: at });

const team = {
  // Alice and Otto see only their groups' tickets; Kim every ticket.
  users: [person("alice", "Alice", "agent", "groups"), person("ada", "Ada", "admin"), person("otto", "Otto", "agent", "groups"),
    person("kim", "Kim")],
  groups: [{ id: "billing", name: "Billing", members: ["alice"] }, { id: "hardware", name: "Hardware", members: ["otto"] }],
  error: null,
} as unknown as Team;

function ticketOf(followers: string[]): Ticket {
  return { id: "t1", group: "billing", assignee_id: "kim", followers, status: "open" } as unknown as Ticket;
}

/** The followers API as the server answers: the list after the change, or a 422 for `refuse`. */
function followersApi(start: string[], refuse?: string) {
  let followers = [...start];
  const calls: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = String(init.method ?? "GET");
    calls.push(`${method} ${path}`);
    const who = decodeURIComponent(path.split("/").pop() ?? "");
    const id = who === "me" ? "alice" : who;
    if (id === refuse) {
      return json({ error: { code: "invalid_assignment", message: `follower '${id}' may not open this ticket`,
        details: { field: "followers", user_id: id } } }, 422);
    }
    followers = method === "PUT" ? [...new Set([...followers, id])] : followers.filter((f) => f !== id);
    return json({ followers, version: 2 });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), calls, followers: () => followers };
}

async function mount(start: string[], refuse?: string) {
  const host = document.createElement("div");
  document.body.append(host);
  const server = followersApi(start, refuse);
  const draw = () => render(<Followers api={server.api} ticket={ticketOf(server.followers())} team={team} me="alice"
    onChanged={async () => draw()} />, host);
  draw();
  return { host, ...server };
}

const click = (el: Element | null) => (el as HTMLElement).click();

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the Followers panel", () => {
  it("follows and unfollows for the agent with one click", async () => {
    const { host, calls } = await mount([]);
    expect(host.querySelector("[data-testid=no-followers]")?.textContent).toBe("Nobody follows it.");
    click(host.querySelector("[data-testid=follow]"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=follow]")?.textContent).toBe("Unfollow"));
    expect([...host.querySelectorAll("[data-testid=follower]")].map((li) => li.textContent)).toEqual(["You"]);
    click(host.querySelector("[data-testid=follow]"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=follow]")?.textContent).toBe("Follow"));
    expect(calls).toEqual(["PUT /tickets/t1/followers/me", "DELETE /tickets/t1/followers/me"]);
  });

  it("offers only colleagues who may open the ticket, adds and removes them", async () => {
    const { host, calls } = await mount(["ada"]);
    const offered = [...host.querySelectorAll<HTMLOptionElement>("[data-testid=follower-add] option")].map((o) => o.value);
    // Ada follows already, Otto works Hardware only (the ticket is Billing's); Kim is in no group: she may open it
    expect(offered).toEqual(["", "kim"]);
    const select = host.querySelector<HTMLSelectElement>("[data-testid=follower-add]")!;
    select.value = "kim";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    click(host.querySelector("[data-testid=followers] form button[type=submit]"));
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=follower]").length).toBe(2));
    click(host.querySelector("[data-testid=follower] button"));
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=follower]").length).toBe(1));
    expect(calls).toEqual(["PUT /tickets/t1/followers/kim", "DELETE /tickets/t1/followers/ada"]);
    expect(host.querySelector("[data-testid=follower]")?.textContent).toContain("Kim");
  });

  it("does not offer to follow a ticket outside the groups an agent is limited to", async () => {
    const host = document.createElement("div");
    document.body.append(host);
    const { api } = followersApi([]);
    const elsewhere = { ...ticketOf([]), group: "hardware", assignee_id: null } as unknown as Ticket;
    render(<Followers api={api} ticket={elsewhere} team={team} me="alice" onChanged={async () => undefined} />, host);
    expect(host.querySelector<HTMLButtonElement>("[data-testid=follow]")?.disabled).toBe(true);
    expect(host.querySelector("[data-testid=follow-hint]")?.textContent).toContain("none of your groups");
  });

  it("shows the API's refusal", async () => {
    const { host } = await mount([], "alice");
    click(host.querySelector("[data-testid=follow]"));
    await vi.waitFor(() => expect(host.textContent).toContain("may not open this ticket"));
    expect(host.querySelector("[data-testid=follow]")?.textContent).toBe("Follow");
  });
});

describe("a followers_changed event in the history", () => {
  const event = (from: string[], to: string[]) =>
    ({ seq: 4, type: "followers_changed", actor: "alice", at, internal: true, data: { from, to } }) as unknown as TicketEvent;
  const names: Record<string, string> = { ada: "Ada", otto: "Otto" };

  it("names who started and stopped following", () => {
    expect(describeEvent(event([], ["ada"]), (id) => names[id] ?? id)).toBe("followed by Ada");
    expect(describeEvent(event(["ada", "otto"], ["ada"]), (id) => names[id] ?? id)).toBe("no longer followed by Otto");
    expect(describeEvent(event(["ada"], ["otto"]), (id) => names[id] ?? id)).toBe("followed by Otto; no longer followed by Ada");
  });
});

describe("the Following view, saved", () => {
  it("keeps `follower: me`, so a shared view lists what each viewer follows", () => {
    expect(filtersOf({ follower: "me", status: "open" })).toEqual({ follower: "me", status: "open" });
    expect(describeFilters({ follower: "me", status: "open" })).toBe("followed by me, status: open");
  });
});
