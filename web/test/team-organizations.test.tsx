import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Organization } from "../src/api/types";
import { Queue } from "../src/console/queue";
import { TeamScreen } from "../src/console/team";
import { domainsOf, organizationChange } from "../src/console/team-organizations";
import { words } from "../src/shared/lists";

const at = "2026-01-01T00:00:00Z";
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const org = (id: string, name: string, domains: string[]): Organization => ({ id, name, domains, tenant_id: "acme", created_at: at, updated_at: at, version: 1 });
const ALICE = { id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: [], tenant_id: "acme", created_at: at, updated_at: at };

/** The Team screen in a page, on a directory that keeps the organisations it is sent (as the API does, or refuses). */
function mount(admin: boolean, refuse: (method: string, body: Record<string, unknown>) => Response | undefined = () => undefined) {
  let organizations = [org("globex", "Globex", ["globex.example"])];
  const calls: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const method = String(init.method);
    const body = (init.body ? JSON.parse(String(init.body)) : {}) as Record<string, unknown>;
    calls.push({ method, path: u.pathname, body });
    const refused = method === "GET" ? undefined : refuse(method, body);
    if (refused) return refused;
    if (u.pathname === "/organizations" && method === "POST") {
      const created = org("initech", String(body.name), body.domains as string[]);
      organizations = [...organizations, created];
      return json(created, 201);
    }
    if (u.pathname.startsWith("/organizations/") && method === "PATCH") {
      organizations = organizations.map((o) => (u.pathname.endsWith(`/${o.id}`) ? { ...o, ...body } : o));
      return json(organizations.find((o) => u.pathname.endsWith(`/${o.id}`)));
    }
    // Every list route answers a list (the users a page): an object where a list belongs makes preact re-render forever.
    if (u.pathname === "/users") return json({ items: u.searchParams.get("role") === "agent" ? [ALICE] : [], next_cursor: null });
    return json(u.pathname === "/organizations" ? organizations : []);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<TeamScreen api={new ApiClient({ baseUrl: "https://api.example", fetch })} admin={admin} me="ada" />, host);
  const within = (scope: string) => host.querySelector(scope)!;
  const type = (scope: string, name: string, value: string) => {
    const input = within(scope).querySelector<HTMLInputElement>(`[name='${name}']`)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const submit = async (scope: string) => {
    await new Promise((rendered) => setTimeout(rendered, 10)); // the form's handlers see what was typed
    const form = within(scope).closest("form") ?? within(scope).querySelector("form")!;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
  };
  const shown = (selector: string) => vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });
  const says = (selector: string, text: string) =>
    vi.waitFor(() => expect(host.querySelector(selector)?.textContent ?? "").toContain(text), { timeout: 2000 });
  const writes = () => calls.filter((c) => c.method !== "GET");
  return { host, within, type, submit, shown, says, writes };
}

const NEW = "[data-testid=organization-form]";
const row = (id: string) => `[data-testid=team-organization][data-organization-id=${id}]`;

afterEach(() => {
  document.body.innerHTML = "";
});

describe("organisations' domains as typed", () => {
  it("are separated by commas, spaces or lines, and compared as the API keeps them", () => {
    expect(words("a.example, b.example\nc.example  d.example;e.example,")).toEqual(["a.example", "b.example", "c.example", "d.example", "e.example"]);
    expect(domainsOf("Initech.EXAMPLE. initech.example, initrode.example")).toEqual(["initech.example", "initrode.example"]);
    const globex = org("globex", "Globex", ["globex.example", "globex.test"]);
    expect(organizationChange(globex, { name: " Globex ", domains: "GLOBEX.TEST globex.example" })).toEqual({});
    expect(organizationChange(globex, { name: "Globex Corp", domains: "globex.example, globex.test" })).toEqual({ name: "Globex Corp" });
    expect(organizationChange(globex, { name: "Globex", domains: "" })).toEqual({ domains: [] });
  });
});

describe("Team screen: organizations", () => {
  it("lets an admin create one, its domains parsed from what was typed, and says so", async () => {
    const { host, type, submit, shown, says, writes } = mount(true);
    await shown(row("globex"));
    type(NEW, "organization-name", " Initech ");
    type(NEW, "organization-domains", "initech.example, Initech.COM\ninitrode.example");
    await submit(NEW);
    await shown(row("initech"));
    expect(writes()).toEqual([{ method: "POST", path: "/organizations",
      body: { name: "Initech", domains: ["initech.com", "initech.example", "initrode.example"] } }]);
    await says("[data-testid=team-notice]", "Organization Initech created (initech.com, initech.example, initrode.example)");
    expect(host.querySelector(row("initech"))!.textContent).toContain("initech.com, initech.example, initrode.example");
    expect(host.querySelector<HTMLInputElement>(`${NEW} [name=organization-name]`)!.value).toBe(""); // ready for the next one
  });

  it("keeps what was typed when a domain is refused, and names the field", async () => {
    const claimed = json({ error: { code: "conflict", message: "domains: another organization claims globex.example (Globex)",
      details: { field: "domains", claimed: { "globex.example": "globex" } } } }, 409);
    const invalid = json({ error: { code: "validation_error", message: "request does not match the schema", details: { errors: [
      { loc: ["body", "domains"], type: "value_error", msg: "Value error, not mail domains: ['initech']" }] } } }, 422);
    const { host, type, submit, shown, says } = mount(true, (_method, body) =>
      (body.domains as string[]).includes("globex.example") ? claimed : (body.domains as string[]).includes("initech") ? invalid : undefined);
    await shown(row("globex"));
    type(NEW, "organization-name", "Initech");
    type(NEW, "organization-domains", "initech.example globex.example");
    await submit(NEW);
    await says(`${NEW} [role=alert]`, "domains: another organization claims globex.example (Globex)");
    const alert = host.querySelector(`${NEW} [role=alert]`)!;
    expect(alert.previousElementSibling!.querySelector("[name=organization-domains]")).not.toBeNull(); // under the domains
    const domains = host.querySelector<HTMLTextAreaElement>(`${NEW} [name=organization-domains]`)!;
    expect(domains.getAttribute("aria-invalid")).toBe("true");
    expect(domains.value).toBe("initech.example globex.example");
    expect(host.querySelector<HTMLInputElement>(`${NEW} [name=organization-name]`)!.value).toBe("Initech");
    expect(host.querySelector("[data-testid=team-notice]")!.textContent).toBe("");
    expect(host.querySelector(row("initech"))).toBeNull();

    type(NEW, "organization-domains", "initech");
    await submit(NEW);
    await says(`${NEW} [role=alert]`, "domains: Value error, not mail domains: ['initech']");
    expect(host.querySelector<HTMLTextAreaElement>(`${NEW} [name=organization-domains]`)!.value).toBe("initech");
  });

  it("edits in place and sends only what changed", async () => {
    const { host, within, type, submit, shown, says, writes } = mount(true);
    await shown(row("globex"));
    host.querySelector<HTMLButtonElement>("[aria-label='Edit Globex']")!.click();
    await shown(`${row("globex")} form`);
    expect(within(row("globex")).querySelector<HTMLInputElement>("[name=organization-domains]")!.value).toBe("globex.example");
    type(row("globex"), "organization-name", "Globex Corp");
    type(row("globex"), "organization-domains", "GLOBEX.example"); // the same domain as the API keeps it
    await submit(row("globex"));
    await says("[data-testid=team-notice]", "Organization Globex Corp saved: renamed from Globex");
    expect(writes()).toEqual([{ method: "PATCH", path: "/organizations/globex", body: { name: "Globex Corp" } }]);
    await vi.waitFor(() => expect(host.querySelector(`${row("globex")} form`)).toBeNull());
    expect(host.querySelector(row("globex"))!.textContent).toContain("Globex Corp");

    host.querySelector<HTMLButtonElement>("[aria-label='Edit Globex Corp']")!.click();
    await shown(`${row("globex")} form`);
    type(row("globex"), "organization-domains", "globex.example, globex.test");
    await submit(row("globex"));
    await says("[data-testid=team-notice]", "Organization Globex Corp saved: domains globex.example, globex.test");
    expect(writes()[1]).toEqual({ method: "PATCH", path: "/organizations/globex", body: { domains: ["globex.example", "globex.test"] } });
  });

  it("shows agents the organizations with their tickets, and no controls to change them", async () => {
    const { host, shown } = mount(false);
    await shown(row("globex"));
    const globex = host.querySelector(row("globex"))!;
    expect(globex.textContent).toContain("globex.example");
    expect(globex.querySelector("a")!.getAttribute("href")).toBe("#/?view=all&organization=globex");
    expect(globex.querySelector("button")).toBeNull();
    expect(host.querySelector("[data-testid=organization-form]")).toBeNull();
    expect(host.querySelector("[name=organization-name], [name=organization-domains]")).toBeNull();
  });
});

describe("the queue opened from an organization's link", () => {
  it("lists that organization's tickets, its filter set", async () => {
    const asked: (string | null)[] = [];
    const fetch = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === "/tickets") {
        asked.push(u.searchParams.get("organization"));
        return json({ items: [], next_cursor: null });
      }
      return json(u.pathname === "/organizations" ? [org("globex", "Globex", ["globex.example"])] : []);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Queue api={new ApiClient({ baseUrl: "https://api.example", fetch })} me="ada" groups={[]} route="/?view=all&organization=globex" />, host);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=filter-organization] option[value=globex]")).not.toBeNull(), { timeout: 2000 });
    expect(host.querySelector<HTMLSelectElement>("[data-testid=filter-organization]")!.value).toBe("globex");
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(1)); // the list and the views' counts
    expect(new Set(asked)).toEqual(new Set(["globex"]));
  });
});
