import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Organization } from "../src/api/types";
import { OrganizationFilter, OrganizationName, organizationLabel, OrganizationNotes, useOrganization } from "../src/console/organization";
import { Queue } from "../src/console/queue";
import { TeamScreen } from "../src/console/team";
import { domainsOf, organizationChange } from "../src/console/team-organizations";
import { words } from "../src/shared/lists";
import { json } from "./helpers";

const at = "2026-01-01T00:00:00Z";
const org = (id: string, name: string, domains: string[]): Organization => ({ id, name, domains, tenant_id: "acme", created_at: at, updated_at: at, version: 1 });
const ALICE = { id: "alice", name: "Alice", email: "alice@acme.example", role: "agent", groups: [], tenant_id: "acme", created_at: at, updated_at: at };

const changedMeanwhile = json({ error: { code: "concurrent_update", message: "the organization changed since you read it",
  details: { id: "globex", expected_version: 1, current_version: 2 } } }, 409);

/** The Team screen in a page, on a directory that keeps the organisations it is sent (as the API does, or refuses),
 * each with its version: a write whose If-Match names another is 409, as the API answers. */
function mount(admin: boolean, refuse: (method: string, body: Record<string, unknown>) => Response | undefined = () => undefined,
  stored: Organization[] = [org("globex", "Globex", ["globex.example"])]) {
  let organizations = stored;
  const calls: { method: string; path: string; body: Record<string, unknown>; ifMatch: string | null }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const method = String(init.method);
    const body = (init.body ? JSON.parse(String(init.body)) : {}) as Record<string, unknown>;
    const ifMatch = new Headers(init.headers).get("if-match");
    calls.push({ method, path: u.pathname, body, ifMatch });
    const refused = method === "GET" ? undefined : refuse(method, body);
    if (refused) return refused;
    if (u.pathname === "/organizations" && method === "POST") {
      const created = { ...org("initech", String(body.name), body.domains as string[]), shared_tickets: body.shared_tickets === true };
      organizations = [...organizations, created];
      return json(created, 201);
    }
    const named = organizations.find((o) => u.pathname === `/organizations/${o.id}`);
    if (named && method !== "GET" && ifMatch !== null && ifMatch !== `"${named.version}"`) return changedMeanwhile.clone();
    if (named && method === "PATCH") {
      const changed = { ...named, ...body, version: (named.version ?? 1) + 1 };
      organizations = organizations.map((o) => (o.id === named.id ? changed : o));
      return json(changed);
    }
    if (named && method === "DELETE") {
      organizations = organizations.filter((o) => o.id !== named.id);
      return new Response(null, { status: 204 });
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
  const writes = () => calls.filter((c) => c.method !== "GET").map(({ method, path, body }) => ({ method, path, body }));
  const versionsSent = () => calls.filter((c) => c.method !== "GET").map((c) => c.ifMatch);
  /** Another admin's change, straight to the API (no If-Match: theirs applies to whatever is stored). */
  const otherAdmin = (method: string, path: string, body?: Record<string, unknown>) =>
    fetch(`https://api.example${path}`, { method, body: body ? JSON.stringify(body) : undefined });
  /** Ticks or unticks a checkbox as a click does (its change event re-renders the form). */
  const tick = (scope: string, name: string) => within(scope).querySelector<HTMLInputElement>(`[name='${name}']`)!.click();
  const click = (label: string) => {
    const button = [...host.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === label || b.textContent === label);
    if (!button) throw new Error(`no button ${label}`);
    button.click();
  };
  return { host, within, type, tick, submit, shown, says, writes, versionsSent, otherAdmin, click };
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
    const kept = { sharedTickets: false, notes: "" };
    expect(organizationChange(globex, { name: " Globex ", domains: "GLOBEX.TEST globex.example", ...kept })).toEqual({});
    expect(organizationChange(globex, { name: "Globex Corp", domains: "globex.example, globex.test", ...kept })).toEqual({ name: "Globex Corp" });
    expect(organizationChange(globex, { name: "Globex", domains: "", ...kept })).toEqual({ domains: [] });
    // sharing its tickets: sent when it changes (an organisation stored before the setting existed shares none)
    expect(organizationChange(globex, { name: "Globex", domains: "globex.example globex.test", sharedTickets: true, notes: "" })).toEqual({ shared_tickets: true });
    expect(organizationChange({ ...globex, shared_tickets: true }, { name: "Globex", domains: "globex.example globex.test", sharedTickets: false, notes: "" }))
      .toEqual({ shared_tickets: false });
    expect(organizationChange({ ...globex, shared_tickets: true }, { name: "Globex", domains: "globex.test globex.example", sharedTickets: true, notes: "" })).toEqual({});
    // notes: sent when they change, as kept (trimmed)
    expect(organizationChange({ ...globex, notes: "Enterprise plan." }, { name: "Globex", domains: "globex.test globex.example", ...kept, notes: " Enterprise plan. " })).toEqual({});
    expect(organizationChange({ ...globex, notes: "Enterprise plan." }, { name: "Globex", domains: "globex.test globex.example", ...kept, notes: "" })).toEqual({ notes: "" });
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
      body: { name: "Initech", domains: ["initech.com", "initech.example", "initrode.example"], shared_tickets: false, notes: "" } }]);
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
    expect(host.querySelector("[data-testid=saved-meanwhile]")).toBeNull(); // a 409 that says what to fix instead
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

  it("saves naming the version shown; over another admin's change it offers theirs instead of overwriting it", async () => {
    const { host, within, type, submit, shown, says, writes, versionsSent, otherAdmin, click } = mount(true);
    await shown(row("globex"));
    click("Edit Globex");
    await shown(`${row("globex")} form`);
    await otherAdmin("PATCH", "/organizations/globex", { name: "Globex Inc" }); // after this screen read version 1
    type(row("globex"), "organization-name", "Globex Corp");
    await submit(row("globex"));
    await says(`${row("globex")} [data-testid=saved-meanwhile]`, "Another admin saved this organization meanwhile");
    expect(within(row("globex")).querySelector("[role=alert]")!.textContent).toContain("409 concurrent_update");
    expect(within(row("globex")).querySelector<HTMLInputElement>("[name=organization-name]")!.value).toBe("Globex Corp"); // as typed
    expect(versionsSent()).toEqual([null, '"1"']); // the other admin's, then this screen's
    expect(host.querySelector("[data-testid=team-notice]")!.textContent).toBe("");

    click("Reload this organization");
    await vi.waitFor(() => expect(host.querySelector(`${row("globex")} form`)).toBeNull());
    expect(host.querySelector(row("globex"))!.textContent).toContain("Globex Inc"); // theirs, to redo the change on
    click("Edit Globex Inc");
    await shown(`${row("globex")} form`);
    type(row("globex"), "organization-name", "Globex Corp");
    await submit(row("globex"));
    await says("[data-testid=team-notice]", "Organization Globex Corp saved: renamed from Globex Inc");
    expect(versionsSent()[2]).toBe('"2"');
    expect(writes()[2]).toEqual({ method: "PATCH", path: "/organizations/globex", body: { name: "Globex Corp" } });
  });

  it("deletes one after a confirmation, naming the version shown, and offers a reload when it changed meanwhile", async () => {
    const { host, shown, says, writes, versionsSent, otherAdmin, click } = mount(true);
    await shown(row("globex"));
    click("Delete Globex");
    await shown("[role=group][aria-label='Delete the organization Globex?']");
    expect(host.querySelector(row("globex"))!.textContent).toContain("Its mail domains are released");
    click("Keep"); // nothing deleted
    await shown("[aria-label='Delete Globex']");
    expect(writes()).toEqual([]);

    await otherAdmin("PATCH", "/organizations/globex", { domains: ["globex.example", "globex.test"] });
    click("Delete Globex");
    await shown("[data-testid=delete-organization-confirm]");
    click("Delete “Globex”");
    await says("[data-testid=saved-meanwhile]", "Another admin saved the team meanwhile");
    expect(versionsSent()).toEqual([null, '"1"']);
    expect(host.querySelector(row("globex"))).not.toBeNull();
    expect(host.querySelector(row("globex"))!.textContent).not.toContain("globex.test"); // the lists as read before

    click("Reload the team");
    await vi.waitFor(() => expect(host.querySelector(row("globex"))!.textContent).toContain("globex.test"));
    expect(host.querySelector("[data-testid=saved-meanwhile], [role=alert]")).toBeNull();
    click("Delete Globex");
    await shown("[data-testid=delete-organization-confirm]");
    click("Delete “Globex”");
    await says("[data-testid=team-notice]", "Organization Globex deleted");
    expect(writes()[2]).toEqual({ method: "DELETE", path: "/organizations/globex", body: {} });
    expect(versionsSent()[2]).toBe('"2"');
    expect(host.querySelector(row("globex"))).toBeNull();
    expect(host.textContent).toContain("No organizations yet.");
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

describe("Team screen: organizations sharing their tickets", () => {
  const SHARED = "organization-shared-tickets";
  const marker = (id: string) => `${row(id)} [data-testid=organization-shared]`;

  it("creates one whose people see each other's tickets, marked in the list", async () => {
    const { host, within, type, tick, submit, shown, says, writes } = mount(true);
    await shown(row("globex"));
    expect(host.querySelector(marker("globex"))).toBeNull(); // not shared (the default)
    const box = within(NEW).querySelector<HTMLInputElement>(`[name=${SHARED}]`)!;
    expect(box.checked).toBe(false);
    expect(box.closest("label")!.textContent).toBe("Its people see each other's tickets in the portal");
    type(NEW, "organization-name", "Initech");
    type(NEW, "organization-domains", "initech.example");
    tick(NEW, SHARED);
    await submit(NEW);
    await shown(row("initech"));
    expect(writes()).toEqual([{ method: "POST", path: "/organizations", body: { name: "Initech", domains: ["initech.example"], shared_tickets: true, notes: "" } }]);
    await says("[data-testid=team-notice]", "Organization Initech created (initech.example; its people see each other's tickets)");
    await says(marker("initech"), "shared tickets");
    expect(within(NEW).querySelector<HTMLInputElement>(`[name=${SHARED}]`)!.checked).toBe(false); // ready for the next one
  });

  it("turns sharing on and off in place, naming the version shown", async () => {
    const { host, within, tick, submit, shown, says, writes, versionsSent, click } = mount(true);
    await shown(row("globex"));
    click("Edit Globex");
    await shown(`${row("globex")} form`);
    expect(within(row("globex")).querySelector<HTMLInputElement>(`[name=${SHARED}]`)!.checked).toBe(false);
    tick(row("globex"), SHARED);
    await submit(row("globex"));
    await says("[data-testid=team-notice]", "Organization Globex saved: its people see each other's tickets");
    expect(writes()).toEqual([{ method: "PATCH", path: "/organizations/globex", body: { shared_tickets: true } }]);
    expect(versionsSent()).toEqual(['"1"']);
    await says(marker("globex"), "shared tickets");

    click("Edit Globex");
    await shown(`${row("globex")} form`);
    expect(within(row("globex")).querySelector<HTMLInputElement>(`[name=${SHARED}]`)!.checked).toBe(true); // as stored
    tick(row("globex"), SHARED);
    await submit(row("globex"));
    await says("[data-testid=team-notice]", "Organization Globex saved: tickets no longer shared");
    expect(writes()[1]).toEqual({ method: "PATCH", path: "/organizations/globex", body: { shared_tickets: false } });
    expect(versionsSent()[1]).toBe('"2"');
    await vi.waitFor(() => expect(host.querySelector(`${row("globex")} form`)).toBeNull());
    expect(host.querySelector(marker("globex"))).toBeNull();
  });

  it("keeps the box as ticked over another admin's change and offers theirs", async () => {
    const { host, within, tick, submit, shown, says, otherAdmin, versionsSent, click } = mount(true);
    await shown(row("globex"));
    click("Edit Globex");
    await shown(`${row("globex")} form`);
    await otherAdmin("PATCH", "/organizations/globex", { name: "Globex Inc" });
    tick(row("globex"), SHARED);
    await submit(row("globex"));
    await says(`${row("globex")} [data-testid=saved-meanwhile]`, "Another admin saved this organization meanwhile");
    expect(within(row("globex")).querySelector<HTMLInputElement>(`[name=${SHARED}]`)!.checked).toBe(true);
    expect(versionsSent()).toEqual([null, '"1"']);
    expect(host.querySelector(marker("globex"))).toBeNull();
  });

  it("shows agents which organizations share, without the setting", async () => {
    const { host, shown, says } = mount(false, undefined, [{ ...org("globex", "Globex", ["globex.example"]), shared_tickets: true },
      org("initech", "Initech", ["initech.example"])]);
    await shown(row("initech"));
    await says(marker("globex"), "shared tickets");
    expect(host.querySelector(marker("initech"))).toBeNull();
    expect(host.querySelector(`[name=${SHARED}]`)).toBeNull();
  });
});

describe("a ticket's organization deleted since", () => {
  it("shows as a deleted organization, in the ticket and in the queue's filter; other failures show its id", async () => {
    const status: Record<string, number> = { gone: 404, flaky: 503 };
    const fetch = (async (url: string) => {
      const id = new URL(url).pathname.split("/").pop()!;
      return json({ error: { code: "not_found", message: "no such organization", details: null } }, status[id]);
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const host = document.body.appendChild(document.createElement("div"));
    const Named = ({ id }: { id: string }) => <OrganizationName id={id} found={useOrganization(api, id)[0]} />;
    render(<p><Named id="gone" /> <Named id="flaky" /></p>, host);
    await vi.waitFor(() => expect(host.textContent).toBe("deleted organization flaky"));
    expect(host.querySelector("[role=alert]")).toBeNull();

    render(<OrganizationFilter organizations={[org("globex", "Globex", [])]} value="gone" onChange={() => undefined} />, host);
    const select = host.querySelector<HTMLSelectElement>("[data-testid=filter-organization]")!;
    expect(select.value).toBe("gone"); // the filter the queue lists by, named
    expect(select.selectedOptions[0]!.textContent).toBe("deleted organization");
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

describe("an organisation's label in lists and reports", () => {
  it("names it, says deleted once the list is read, and shows the id while it is not", () => {
    const acme = { id: "org1", name: "Acme GmbH", domains: ["acme.example"], version: 1 } as unknown as Organization;
    expect(organizationLabel([acme], "org1")).toBe("Acme GmbH");
    expect(organizationLabel([acme], "org9")).toBe("deleted organization");
    expect(organizationLabel([], "org9")).toBe("org9");
  });
});

describe("notes on the requester's organization, beside the ticket", () => {
  it("are read and written by any teammate, a save over a teammate's change refused with the way to their notes", async () => {
    let stored = { ...org("globex", "Globex", ["globex.example"]), notes: "Enterprise plan.", version: 4 };
    const patches: { body: unknown; ifMatch: string | null }[] = [];
    let refuse = true;
    const fetch = (async (url: string, init: RequestInit) => {
      if (init.method === "PATCH") {
        patches.push({ body: JSON.parse(String(init.body)), ifMatch: new Headers(init.headers).get("if-match") });
        if (refuse) {
          stored = { ...stored, notes: "Enterprise plan. Renewal in March.", version: 5 };  // a teammate's save
          return json({ error: { code: "concurrent_update", message: "the organization changed since it was read", details: { current_version: 5 } } }, 409);
        }
        stored = { ...stored, ...(JSON.parse(String(init.body)) as object), version: stored.version + 1 };
        return json(stored, 200, `"${stored.version}"`);
      }
      return json(stored, 200, `"${stored.version}"`);
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    function Notes() {
      const [found, reread] = useOrganization(api, "globex");
      return <OrganizationNotes api={api} found={found} onSaved={reread} />;
    }
    const host = document.body.appendChild(document.createElement("div"));
    render(<Notes />, host);
    const panel = await vi.waitFor(() => {
      const found = host.querySelector<HTMLElement>("[data-testid=organization-notes]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    expect(panel.querySelector("h2")!.textContent).toBe("About Globex");
    expect(panel.querySelector("[data-testid=organization-notes-text]")!.textContent).toBe("Enterprise plan.");
    const button = (text: string) => [...panel.querySelectorAll("button")].find((b) => b.textContent === text)!;
    const notesBox = () => vi.waitFor(() => {
      const box = panel.querySelector<HTMLTextAreaElement>("[name=organization-notes]");
      if (!box) throw new Error("not editing");
      return box;
    });
    button("Edit notes").click();
    const notes = await notesBox();
    notes.value = "Enterprise plan. Call Hank about renewals.";
    notes.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    panel.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(panel.textContent).toContain("A teammate changed these notes meanwhile."));
    expect(patches[0]).toEqual({ body: { notes: "Enterprise plan. Call Hank about renewals." }, ifMatch: '"4"' });
    expect(panel.querySelector<HTMLTextAreaElement>("[name=organization-notes]")!.value).toBe("Enterprise plan. Call Hank about renewals.");

    button("Show their notes").click();
    await vi.waitFor(() => expect(panel.querySelector("[data-testid=organization-notes-text]")?.textContent).toBe("Enterprise plan. Renewal in March."));
    refuse = false;
    button("Edit notes").click();
    const again = await notesBox();
    again.value = "Enterprise plan. Renewal in March: call Hank.";
    again.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    panel.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(panel.querySelector("[data-testid=organization-notes-text]")?.textContent).toBe("Enterprise plan. Renewal in March: call Hank."));
    expect(patches[1]!.ifMatch).toBe('"5"');
  });
});
