// The help centre's sections: the portal lists articles under them in the admin's order (with a line under each
// heading), by name when they cannot be read; the console's knowledge screen lets an admin order and describe them.
import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { Knowledge } from "../src/console/kb";
import { missingSections } from "../src/console/kb-sections";
import { bySection, HelpCenter, PublicHelpCenter } from "../src/portal/help-center";
import { PortalLanguage } from "../src/portal/i18n";
import { json, portalMount } from "./helpers";

const problem = (status: number, code: string, message: string) => json({ error: { code, message, details: null } }, status);

const article = (id: string, section?: string) => ({ id, title: `Title ${id}`, language: "en", section });
const ARTICLES = [article("a1", "Billing"), article("a2", "Account"), article("a3"), article("a4", "Getting started"),
  article("a5", "Zebra"), article("a6", "Account")];
const ADMIN_ORDER = [{ name: "Getting started", description: "Your first day" }, { name: "Billing", description: "" },
  { name: "Account" }];

type Route = (method: string, path: string, init: RequestInit) => Response | undefined;

function fakeApi(route: Route) {
  const calls: { method: string; path: string; ifMatch: string | null; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const path = new URL(url).pathname;
    const method = (init.method ?? "GET").toUpperCase();
    calls.push({ method, path, ifMatch: new Headers(init.headers).get("if-match"), body: init.body ? JSON.parse(String(init.body)) : null });
    return route(method, path, init) ?? json({ items: [], next_cursor: null });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), calls };
}

const mount = portalMount();

const headings = (host: HTMLElement) => [...host.querySelectorAll("[data-testid=help-center-articles] h3")].map((h) => h.textContent);
const settle = () => new Promise((done) => setTimeout(done, 30));

describe("bySection", () => {
  const a = (id: string, section?: string) => ({ id, title: id, language: "en", section });

  it("takes one section in any case, headed as the admin's list spells it (else as its first article)", () => {
    const items = [a("1", "account"), a("2", "Account"), a("3", "billing"), a("4", "Billing")];
    expect(bySection(items, ["Account"]).map(([name, list]) => [name, list.map((x) => x.id)]))
      .toEqual([["Account", ["1", "2"]], ["billing", ["3", "4"]]]);
  });

  it("puts the listed sections first in the list's order (any case), the others by name, those in none last", () => {
    const items = [a("x"), a("reset", "Account"), a("refund", "Billing"), a("start", "Getting started"), a("2fa", "account"),
      a("z", "Zebra"), a("c", "Contact"), a("y", "")];
    expect(bySection(items, ["Getting started", "Billing", "Account", "Not used"]).map(([name, list]) => [name, list.map((x) => x.id)]))
      .toEqual([["Getting started", ["start"]], ["Billing", ["refund"]], ["Account", ["reset", "2fa"]],
                ["Contact", ["c"]], ["Zebra", ["z"]], ["", ["x", "y"]]]);
  });

  it("orders by name without a list", () => {
    expect(bySection([a("z", "Zebra"), a("x"), a("b", "Billing")]).map(([name]) => name)).toEqual(["Billing", "Zebra", ""]);
  });
});

describe("the portal's help centre", () => {
  const signedIn = (sections: () => Response) => fakeApi((method, path) => {
    if (path === "/kb/sections") return sections();
    if (path === "/kb/articles") return json({ items: ARTICLES, next_cursor: null });
    return undefined;
  });

  it("heads the sections in the admin's order, each with its line, then the others by name, then Other articles", async () => {
    const { api, calls } = signedIn(() => json({ sections: ADMIN_ORDER, version: 3 }, 200, '"3"'));
    const host = mount(<HelpCenter api={api} route="/kb" />);
    await vi.waitFor(() => expect(headings(host)).toHaveLength(5));
    expect(headings(host)).toEqual(["Getting started", "Billing", "Account", "Zebra", "Other articles"]);
    const lines = [...host.querySelectorAll(".hc-section")].map((s) => s.querySelector("[data-testid=hc-section-description]")?.textContent ?? null);
    expect(lines).toEqual(["Your first day", null, null, null, null]);
    expect(calls.map((c) => c.path)).toContain("/kb/sections");
  });

  it("keeps words typed into the search as soon as the page shows, and follows a question the address changes", async () => {
    const { api } = signedIn(() => json({ sections: [], version: 1 }, 200, '"1"'));
    const host = mount(<HelpCenter api={api} route="/kb" />);
    const box = host.querySelector<HTMLInputElement>("[data-testid=kb-search]")!;
    box.value = "reset password"; // before the page's effects ran (a quick user, a browser test)
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    expect(host.querySelector<HTMLInputElement>("[data-testid=kb-search]")!.value).toBe("reset password");
    render(<PortalLanguage.Provider value="en"><HelpCenter api={api} route="/kb?q=invoice" /></PortalLanguage.Provider>, host);
    await settle();
    expect(host.querySelector<HTMLInputElement>("[data-testid=kb-search]")!.value).toBe("invoice");
  });

  it("shows a hit's passage as the words a reader sees, cut at a word: no Markdown marks", async () => {
    const passage = `To export, open **Settings > Data** and pick *Export*. ${"The archive holds every project. ".repeat(5)}**Large exports arrive by mail, and the link in it works for a week.**`;
    const { api } = fakeApi((method, path) => {
      if (path === "/kb/search") return json({ hits: [{ article_id: "a1", title: "Export a project", text: passage, score: 1, section: "Export", visibility: "public", link: null }] });
      if (path === "/kb/sections") return json({ sections: [], version: 1 }, 200, '"1"');
      return undefined;
    });
    const host = mount(<HelpCenter api={api} route="/kb?q=export" />);
    await settle();
    const shown = host.querySelector("[data-testid=kb-hits] .snippet")!.textContent!;
    expect(shown).toMatch(/^To export, open Settings > Data and pick Export\. The archive/);
    expect(shown).not.toMatch(/[*_`]/);
    expect(shown.endsWith("…")).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(240);
  });

  it("lists the sections by name when they cannot be read, and still lists the articles", async () => {
    const { api } = signedIn(() => problem(500, "internal", "boom"));
    const host = mount(<HelpCenter api={api} route="/kb" />);
    await vi.waitFor(() => expect(headings(host)).toHaveLength(5));
    expect(headings(host)).toEqual(["Account", "Billing", "Getting started", "Zebra", "Other articles"]);
    expect(host.querySelector("[role=alert]")).toBeNull();
    expect(host.querySelectorAll("[data-testid=help-center-articles] a")).toHaveLength(ARTICLES.length);
  });

  it("reads the public help centre's sections without a sign-in", async () => {
    window.location.hash = "#/help/acme";
    const { api, calls } = fakeApi((method, path) => {
      if (path === "/kb/public/acme/sections") return json({ sections: [{ name: "Zebra", description: "Stripes" }] });
      if (path === "/kb/public/acme/articles") return json({ items: ARTICLES, next_cursor: null });
      return undefined;
    });
    const host = mount(<PublicHelpCenter api={api} />);
    await vi.waitFor(() => expect(headings(host)).toHaveLength(5));
    expect(headings(host)).toEqual(["Zebra", "Account", "Billing", "Getting started", "Other articles"]);
    expect(host.querySelector("[data-testid=hc-section-description]")?.textContent).toBe("Stripes");
    expect(calls.some((c) => c.path === "/kb/sections")).toBe(false);
  });
});

describe("the console's sections editor", () => {
  const CONSOLE_ARTICLES = [article("a1", "Billing"), article("a2", "Account"), article("a3", "account"), article("a4")]
    .map((a) => ({ ...a, status: "published", visibility: "public", version: 1, updated_at: "2026-12-01T10:00:00Z" }));

  const server = { version: 3 };
  function consoleApi(put: (body: unknown) => Response) {
    server.version = 3;
    return fakeApi((method, path, init) => {
      if (path === "/kb/sections" && method === "PUT") {
        const answer = put(JSON.parse(String(init.body)));
        if (answer.ok) server.version += 1;
        return answer;
      }
      if (path === "/kb/sections") return json({ sections: ADMIN_ORDER, version: server.version }, 200, `"${server.version}"`);
      if (path === "/kb/articles") return json({ items: CONSOLE_ARTICLES, next_cursor: null });
      return undefined;
    });
  }

  const editor = (host: HTMLElement) => vi.waitFor(() => {
    const form = host.querySelector<HTMLFormElement>("[data-testid=kb-sections]");
    if (!form || !form.querySelector("[data-testid=kb-section]")) throw new Error("not loaded");
    return form;
  });
  const names = (form: HTMLElement) => [...form.querySelectorAll<HTMLInputElement>("input[name=section-name]")].map((i) => i.value);
  const button = (root: HTMLElement, text: string) => [...root.querySelectorAll("button")].find((b) => b.textContent?.startsWith(text))!;
  const type = async (input: HTMLInputElement, value: string) => {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
  };

  it("is not shown to agents", async () => {
    const { api, calls } = consoleApi(() => json({}));
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" />);
    await vi.waitFor(() => expect(host.querySelectorAll(".articles li")).toHaveLength(4));
    await settle();
    expect(host.querySelector("[data-testid=kb-sections]")).toBeNull();
    expect(calls.some((c) => c.path === "/kb/sections")).toBe(false);
  });

  it("saves the list as reordered, edited and completed, with the version read", async () => {
    const { api, calls } = consoleApi((body) => json({ ...(body as object), version: 4 }, 200, '"4"'));
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" admin />);
    const form = await editor(host);
    expect(names(form)).toEqual(["Getting started", "Billing", "Account"]);
    const rows = () => [...form.querySelectorAll<HTMLElement>("[data-testid=kb-section]")];
    button(rows()[0]!, "Up").click(); // the first cannot go up
    expect(button(rows()[0]!, "Up").disabled).toBe(true);
    button(rows()[2]!, "Up").click(); // Account above Billing
    await settle();
    expect(names(form)).toEqual(["Getting started", "Account", "Billing"]);
    button(rows()[0]!, "Down").click();
    await settle();
    expect(names(form)).toEqual(["Account", "Getting started", "Billing"]);
    button(rows()[2]!, "Remove").click();
    await settle();
    expect(names(form)).toEqual(["Account", "Getting started"]);
    // the articles name Billing (and account, which Account already is): offered to add
    await vi.waitFor(() => expect(form.querySelector("[data-testid=add-used-sections]")?.textContent).toContain("(Billing)"));
    form.querySelector<HTMLButtonElement>("[data-testid=add-used-sections]")!.click();
    await settle();
    expect(form.querySelector("[data-testid=add-used-sections]")).toBeNull();
    button(form, "Add section").click();
    await settle();
    await type(form.querySelectorAll<HTMLInputElement>("input[name=section-name]")[3]!, " Contact us ");
    await type(form.querySelectorAll<HTMLInputElement>("input[name=section-description]")[3]!, "Where to write");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Sections saved"));
    const put = calls.filter((c) => c.method === "PUT");
    expect(put).toHaveLength(1);
    expect(put[0]!.ifMatch).toBe('"3"');
    expect(put[0]!.body).toEqual({ sections: [{ name: "Account", description: "" }, { name: "Getting started", description: "Your first day" },
      { name: "Billing", description: "" }, { name: "Contact us", description: "Where to write" }] });
  });

  it("says another admin saved meanwhile (409), keeps the edit, and saves over the reloaded version", async () => {
    let refuse = true;
    const { api, calls } = consoleApi((body) => refuse
      ? problem(409, "concurrent_update", "it changed since it was read")
      : json({ ...(body as object), version: 5 }, 200, '"5"'));
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" admin />);
    const form = await editor(host);
    form.querySelectorAll<HTMLElement>("[data-testid=kb-section]")[2]!.querySelector<HTMLButtonElement>("button:last-of-type")!.click();
    await settle();
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    const notice = await vi.waitFor(() => {
      const found = form.querySelector("[data-testid=saved-meanwhile]");
      if (!found) throw new Error("no notice yet");
      return found;
    });
    expect(notice.textContent).toContain("Another admin saved the sections meanwhile");
    expect(names(form)).toEqual(["Getting started", "Billing"]); // the edit stays until reloaded
    refuse = false;
    server.version = 4; // what the other admin saved
    notice.querySelector("button")!.click();
    await vi.waitFor(() => expect(form.querySelector("[data-testid=saved-meanwhile]")).toBeNull());
    await settle();
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Sections saved"));
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.ifMatch)).toEqual(['"3"', '"4"']);
  });

  it("shows the API's refusal (422) in the page's alert", async () => {
    const { api } = consoleApi(() => problem(422, "validation_error", "sections: a name is listed twice"));
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" admin />);
    const form = await editor(host);
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.querySelector("[role=alert]")?.textContent).toContain("a name is listed twice"));
    expect(form.querySelector("[data-testid=saved-meanwhile]")).toBeNull();
  });
});

describe("missingSections", () => {
  it("names the sections articles use that the list lacks, in any case, once each, by name", () => {
    expect(missingSections([{ name: "Account " }], ["billing", "", "ACCOUNT", "Billing", "About"])).toEqual(["About", "billing"]);
  });
});
