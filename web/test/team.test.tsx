import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { TeamScreen } from "../src/console/team";

const at = "2026-01-01T00:00:00Z";
// The screen loads users and groups in several requests: wait for what it shows, not for a fixed time (a loaded
// machine let a 10 ms pause pass before the last response was rendered).
const shown = (host: HTMLElement, selector: string) =>
  vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });

function directoryApi() {
  const fetch = (async (url: string) => {
    const u = new URL(url);
    const role = u.searchParams.get("role");
    // Every list route answers a list: an object where a list belongs makes preact re-render forever.
    const body = u.pathname === "/organizations" ? [] : u.pathname === "/groups"
      ? [{ id: "billing", name: "Billing", members: ["alice"], tenant_id: "acme", created_at: at, updated_at: at }]
      : { items: role === "agent" ? [{ id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: ["billing"], tenant_id: "acme", created_at: at, updated_at: at }] : [], next_cursor: null };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  }) as unknown as typeof globalThis.fetch;
  return new ApiClient({ baseUrl: "https://api.example", fetch });
}

describe("Team screen", () => {
  it("shows agents the team read-only", async () => {
    const host = document.createElement("div");
    render(<TeamScreen api={directoryApi()} admin={false} me="alice" />, host);
    await shown(host, "[data-testid=team-user]");
    await shown(host, "[data-testid=group-member]");
    expect(host.querySelector("[data-testid=team-user]")?.textContent).toContain("alice@acme.example");
    expect(host.querySelector("[data-testid=group-member]")?.textContent).toContain("Alice");
    expect(host.querySelector("[data-testid=invite-form]")).toBeNull();
    expect(host.querySelector("[data-testid=group-form]")).toBeNull();
    // The one thing an agent changes here is their own settings.
    const buttons = [...host.querySelectorAll("button")];
    expect(buttons.map((b) => b.textContent)).toEqual(["Save my settings"]);
    expect(buttons[0]!.closest("[data-testid=my-profile]")).not.toBeNull();
  });

  it("gives admins the invite and group forms", async () => {
    const host = document.createElement("div");
    render(<TeamScreen api={directoryApi()} admin me="ada" />, host);
    await shown(host, "[aria-label='Disable Alice']");
    await shown(host, "[data-testid=group-form]");
    expect(host.querySelector("[data-testid=invite-form]")).not.toBeNull();
    expect(host.querySelector("[data-testid=group-form]")).not.toBeNull();
    expect(host.querySelector("[aria-label='Disable Alice']")).not.toBeNull();
  });
});

describe("Team screen: saves over another admin's change", () => {
  it("name the version of the person or group shown; a 409 says so and offers to reload the lists", async () => {
    const versions = { alice: 3, billing: 2 };
    const writes: { method: string; path: string; ifMatch: string | null }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      const method = String(init.method);
      const alice = { id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: ["billing"], active: true,
        tenant_id: "acme", created_at: at, updated_at: at, version: versions.alice };
      const billing = { id: "billing", name: "Billing", members: ["alice"], tenant_id: "acme", created_at: at, updated_at: at, version: versions.billing };
      if (method !== "GET") {
        const ifMatch = new Headers(init.headers).get("if-match");
        writes.push({ method, path: u.pathname, ifMatch });
        const current = u.pathname === "/users/alice" ? versions.alice : versions.billing;
        if (ifMatch !== `"${current}"`) {
          return new Response(JSON.stringify({ error: { code: "concurrent_update", message: "the user changed since you read it", details: null } }),
            { status: 409, headers: { "content-type": "application/json" } });
        }
        if (u.pathname === "/users/alice") versions.alice += 1;
        else versions.billing += 1;
        return new Response(JSON.stringify(u.pathname === "/users/alice" ? alice : billing), { status: 200, headers: { "content-type": "application/json" } });
      }
      // Every list route answers a list: an object where a list belongs makes preact re-render forever.
      const body = u.pathname === "/organizations" ? [] : u.pathname === "/groups" ? [billing]
        : { items: u.searchParams.get("role") === "agent" ? [alice] : [], next_cursor: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.createElement("div");
    render(<TeamScreen api={new ApiClient({ baseUrl: "https://api.example", fetch })} admin me="ada" />, host);
    await shown(host, "[aria-label='Disable Alice']");
    const button = (label: string) => host.querySelector<HTMLButtonElement>(`[aria-label='${label}']`)!;

    versions.alice = 4; // another admin changed Alice after the screen read her
    button("Disable Alice").click();
    await shown(host, "[data-testid=saved-meanwhile]");
    expect(host.querySelector("[data-testid=saved-meanwhile]")!.textContent).toContain("Another admin saved the team meanwhile");
    expect(host.querySelector("[role=alert]")!.textContent).toContain("409 concurrent_update");
    expect(writes).toEqual([{ method: "PATCH", path: "/users/alice", ifMatch: '"3"' }]);

    [...host.querySelectorAll("button")].find((b) => b.textContent === "Reload the team")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=saved-meanwhile], [role=alert]")).toBeNull());
    button("Disable Alice").click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=team-notice]")!.textContent).toBe("Alice disabled"));
    expect(writes[1]).toEqual({ method: "PATCH", path: "/users/alice", ifMatch: '"4"' });

    button("Remove Alice from Billing").click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=team-notice]")!.textContent).toBe("Alice removed from Billing"));
    expect(writes[2]).toEqual({ method: "PATCH", path: "/groups/billing", ifMatch: '"2"' });
  });
});

describe("Team screen: which tickets an agent sees", () => {
  it("admins limit an agent to their groups' tickets; agents read it", async () => {
    const bodies: unknown[] = [];
    let access: "all" | "groups" = "all";
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      const alice = { id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: ["billing"], active: true,
        ticket_access: access, tenant_id: "acme", created_at: at, updated_at: at, version: 1 };
      if (String(init.method) === "PATCH") {
        const body = JSON.parse(String(init.body)) as { ticket_access: "all" | "groups" };
        bodies.push(body);
        access = body.ticket_access;
        return new Response(JSON.stringify({ ...alice, ticket_access: access }), { status: 200, headers: { "content-type": "application/json" } });
      }
      const body = u.pathname === "/organizations" ? [] : u.pathname === "/groups"
        ? [{ id: "billing", name: "Billing", members: ["alice"], tenant_id: "acme", created_at: at, updated_at: at }]
        : { items: u.searchParams.get("role") === "agent" ? [alice] : [], next_cursor: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const host = document.createElement("div");
    render(<TeamScreen api={api} admin me="ada" />, host);
    await shown(host, "[data-testid=ticket-access]");
    const select = host.querySelector<HTMLSelectElement>("[aria-label='Tickets Alice sees']")!;
    expect(select.value).toBe("all");
    select.value = "groups";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=team-notice]")!.textContent)
      .toBe("Alice sees only their groups' tickets and their own"));
    expect(bodies).toEqual([{ ticket_access: "groups" }]);

    const agentView = document.createElement("div");
    render(<TeamScreen api={api} admin={false} me="alice" />, agentView);
    await vi.waitFor(() => expect(agentView.querySelector("[data-testid=team-user]")?.textContent).toContain("their groups' tickets"));
    expect(agentView.querySelector("[data-testid=ticket-access]")).toBeNull();
  });

  it("an invited agent may be limited to their groups' tickets from the start", async () => {
    const posted: unknown[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      if (String(init.method) === "POST") {
        posted.push(JSON.parse(String(init.body)));
        return new Response(JSON.stringify({ id: "bo", name: "Bo", email: "bo@acme.example", role: "agent", tenant_id: "acme",
          created_at: at, updated_at: at }), { status: 201, headers: { "content-type": "application/json" } });
      }
      const body = u.pathname === "/organizations" || u.pathname === "/groups" ? [] : { items: [], next_cursor: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }) as unknown as typeof globalThis.fetch;
    const host = document.createElement("div");
    render(<TeamScreen api={new ApiClient({ baseUrl: "https://api.example", fetch })} admin me="ada" />, host);
    await shown(host, "[data-testid=invite-form]");
    const form = host.querySelector<HTMLFormElement>("[data-testid=invite-form]")!;
    const type = async (name: string, value: string) => { // one field at a time, each shown before the next
      const input = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input"));
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await type("invite-email", "bo@acme.example");
    await type("invite-name", "Bo");
    await type("invite-ticket-access", "groups");
    await vi.waitFor(() => expect(form.querySelector<HTMLSelectElement>("[name=invite-ticket-access]")!.value).toBe("groups"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ email: "bo@acme.example", name: "Bo", role: "agent", ticket_access: "groups" });
  });
});

describe("Team screen: an agent whose notification bounced", () => {
  const bounced = { id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: [], tenant_id: "acme",
    created_at: at, updated_at: at, version: 3, mail_bounced_at: at, mail_bounce: "smtp; 550 5.1.1 user unknown" };

  function api(patches: unknown[]) {
    const fetch = (async (url: string, init?: RequestInit) => {
      const u = new URL(url);
      const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
      if (init?.method === "PATCH") {
        patches.push({ path: u.pathname, body: JSON.parse(String(init.body)), ifMatch: new Headers(init.headers).get("if-match") });
        return json({ ...bounced, mail_bounced_at: null, mail_bounce: null, version: 4 });
      }
      if (u.pathname === "/organizations" || u.pathname === "/groups") return json([]);
      return json({ items: u.searchParams.get("role") === "agent" ? [bounced] : [], next_cursor: null });
    }) as unknown as typeof globalThis.fetch;
    return new ApiClient({ baseUrl: "https://api.example", fetch });
  }

  it("is marked with the server's words, and an admin clears the mark", async () => {
    const patches: unknown[] = [];
    const host = document.createElement("div");
    render(<TeamScreen api={api(patches)} admin me="ada" />, host);
    await shown(host, "[data-testid=mail-bounced]");
    expect(host.querySelector("[data-testid=mail-bounced]")?.closest("[title]")?.getAttribute("title"))
      .toBe("smtp; 550 5.1.1 user unknown");
    host.querySelector<HTMLButtonElement>("[aria-label='Clear the bounce mark of Alice']")?.click();
    await vi.waitFor(() => expect(patches).toEqual([{ path: "/users/alice", body: { mail_bounced_at: null }, ifMatch: '"3"' }]));
  });

  it("shows agents the mark without the button", async () => {
    const host = document.createElement("div");
    render(<TeamScreen api={api([])} admin={false} me="bob" />, host);
    await shown(host, "[data-testid=mail-bounced]");
    expect(host.querySelector("[data-testid=clear-bounce]")).toBeNull();
  });
});
