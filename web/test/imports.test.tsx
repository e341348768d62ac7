import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError } from "../src/api/client";
import type { ImportJob } from "../src/api/types";
import { connectionText } from "../src/console/import-check";
import { addressOf, EMPTY_IMPORT, refusedField, SOURCES, toNewImport } from "../src/console/import-form";
import { countedNames } from "../src/console/import-report";
import { ImportScreen, optionsText, stageText } from "../src/console/imports";

const at = "2026-03-01T09:00:00Z";
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const refusal = (status: number, code: string, message: string, details: unknown = null) => json({ error: { code, message, details } }, status);

const OPTIONS = { since: null, limit: null, dry_run: false, macros: true, views: true, sla: true, triggers: true, articles: true, publish: false };

function job(patch: Partial<ImportJob> = {}): ImportJob {
  return { id: "20260301090000-abcd1234", tenant_id: "acme", source: "zendesk", url: "https://acme.zendesk.com", email: "ada@acme.example",
    options: OPTIONS, status: "queued", created_at: at, created_by: "ada", started_at: null, finished_at: null, rounds: 0, tickets_done: false,
    parts_done: [], progress: { tickets_imported: 0, already_imported: 0, tickets_failed: 0 }, report: null, error: null, ...patch };
}

const REPORT = { tenant_id: "acme", source: "zendesk" as const, dry_run: false, tickets_imported: 3, already_imported: 1, tickets_completed: 1, deleted_skipped: 1,
  tickets_failed: 0, messages: 7, organizations_created: 2, organizations_matched: 0, customer_notes: 1, customer_addresses: 2, agents_not_in_directory: { "Zed Former": 1, "Alice Agent": 2 },
  groups_not_in_directory: { Billing: 1 }, attachments_imported: 2, attachments_left: 2, fields_created: ["invoice_number"],
  problems: Array.from({ length: 7 }, (_, i) => `ticket ${1000 + i}: a value left out`),
  macros: { created: 2, already_imported: 0, skipped: { "Escalate to Jira": "it calls a target" }, changed: {}, notes: [] },
  articles: { outcomes: { created: 2, held: 1 }, pictures_imported: 1, pictures_left: [], skipped: [] } };

describe("an import as the form holds it", () => {
  it("signs in to Zendesk with the email, and asks for every part", () => {
    const body = toNewImport({ ...EMPTY_IMPORT, url: " acme.zendesk.com ", email: " ada@acme.example ", token: " t0k ", since: "2025-03-01", limit: "10" });
    expect(body).toEqual({ source: "zendesk", url: "https://acme.zendesk.com", email: "ada@acme.example", token: "t0k", dry_run: false,
      since: "2025-03-01T00:00:00Z", limit: 10, macros: true, views: true, sla: true, triggers: true, articles: true, publish: false });
  });
  it("leaves the email out for Zammad (typed before switching), publishes only with the articles", () => {
    const body = toNewImport({ ...EMPTY_IMPORT, source: "zammad", url: "https://support.acme.example", email: "ada@acme.example", token: "z",
      articles: false, publish: true, macros: false, dryRun: true });
    expect(body).not.toHaveProperty("email");
    expect(body).toMatchObject({ source: "zammad", dry_run: true, macros: false, articles: false, publish: false });
    expect(body).not.toHaveProperty("since");
    expect(body).not.toHaveProperty("limit");
  });
  it("asks FreeScout for the tickets alone: no email, no parts", () => {
    const body = toNewImport({ ...EMPTY_IMPORT, source: "freescout", url: "https://help.acme.example", email: "x@y.z", token: "k", macros: true, publish: true });
    expect(body).toEqual({ source: "freescout", url: "https://help.acme.example", token: "k", dry_run: false });
  });
  it("keeps an address's scheme as typed (the API refuses http, saying so)", () => {
    expect(addressOf("http://old.example")).toBe("http://old.example");
    expect(addressOf("old.example/")).toBe("https://old.example/");
    expect(addressOf("  ")).toBe("");
  });
});

describe("a refusal of POST /imports", () => {
  it("names the field a 422 names, a refused address as the address", () => {
    expect(refusedField(new ApiError(422, "validation_error", "request does not match the schema",
      { errors: [{ loc: ["body", "limit"], type: "greater_than_equal", msg: "Input should be greater than or equal to 1" }] })))
      .toEqual({ field: "limit", text: "Input should be greater than or equal to 1" });
    expect(refusedField(new ApiError(422, "validation_error", "request does not match the schema",
      { errors: [{ loc: ["body", "email"], type: "value_error", msg: "Value error, Zendesk signs in with an admin's address and an API token: give `email`" }] })))
      .toEqual({ field: "email", text: "Zendesk signs in with an admin's address and an API token: give `email`" });
    expect(refusedField(new ApiError(422, "import_url_refused", "the helpdesk's address must use https")))
      .toEqual({ field: "url", text: "the helpdesk's address must use https" });
  });
  it("names none for another import under way", () => {
    expect(refusedField(new ApiError(409, "import_running", "an import is already under way", { import_id: "x" }))).toBeNull();
  });
});

describe("an import in the list", () => {
  it("says what was asked and where a running one is", () => {
    expect(optionsText(job({ options: { ...OPTIONS, limit: 10, macros: false, views: false, sla: false, triggers: false, articles: false } })))
      .toBe("at most 10 tickets, tickets only");
    expect(optionsText(job({ source: "freescout" }))).toBe("tickets only");
    expect(optionsText(job({ options: { ...OPTIONS, publish: true } }))).toBe("with macros, views, SLA policies, triggers, articles, publishing the published articles");
    expect(stageText(job({ status: "running" }))).toBe("reading tickets");
    expect(stageText(job({ status: "running", tickets_done: true, parts_done: ["macros"] }))).toBe("tickets done; now views");
    expect(stageText(job({ status: "done", tickets_done: true }))).toBe("");
  });
  it("names the people and groups missing, most tickets first", () => {
    expect(countedNames({ "Zed Former": 1, "Alice Agent": 2 })).toEqual(["Alice Agent (2 tickets)", "Zed Former (1 ticket)"]);
  });
});

/** The screen in a page, its calls answered by `answer` (now, or once a promise settles); the team directory answers
 * nobody. */
function mount(answer: (method: string, path: string, body: unknown) => Response | undefined | Promise<Response>, pollMs = 40) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: String(init.method), path, body });
    if (path === "/users") return json({ items: [{ id: "ada", name: "Ada Admin", email: "ada@acme.example", role: "admin" }], next_cursor: null });
    if (path === "/groups") return json([]);
    return (await answer(String(init.method), path, body)) ?? json({ error: { code: "not_found", message: "no", details: null } }, 404);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<ImportScreen api={new ApiClient({ baseUrl: "https://api.example", fetch })} pollMs={pollMs} />, host);
  const field = <T extends HTMLElement = HTMLInputElement>(name: string) => host.querySelector(`[name='${name}']`) as T | null;
  const type = (name: string, value: string) => {
    const input = field(name)!;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const choose = (name: string, value: string) => {
    const select = field<HTMLSelectElement>(name)!;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const rendered = () => new Promise((done) => setTimeout(done, 10));
  const submit = async () => {
    await rendered(); // the form's handlers see what was typed
    host.querySelector("[data-testid=import-form]")!.dispatchEvent(new Event("submit", { cancelable: true }));
  };
  const testConnection = async () => {
    await rendered();
    host.querySelector<HTMLButtonElement>("[data-testid=import-test]")!.click();
  };
  const text = (selector: string) => host.querySelector(selector)?.textContent ?? "";
  const shown = (selector: string) => vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });
  return { host, calls, field, type, choose, submit, testConnection, text, shown, rendered };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the Import screen", () => {
  it("starts a Zendesk import with the email and every part, empties the token once started, and lists it", async () => {
    let jobs: ImportJob[] = [];
    const { calls, field, type, submit, text, shown } = mount((method, path, body) => {
      if (method === "GET" && path === "/imports") return json({ items: jobs });
      if (method === "POST" && path === "/imports") {
        jobs = [job({ url: (body as { url: string }).url })];
        return json(jobs[0], 202);
      }
    });
    await vi.waitFor(() => expect(text("[data-testid=imports]")).toContain("No imports yet."), { timeout: 2000 });
    expect(text("[data-testid=import-token-hint]")).toContain("Admin Center > Apps and integrations > APIs > Zendesk API");
    type("import-url", "https://acme.zendesk.com");
    type("import-email", "ada@acme.example");
    type("import-token", "zd-secret");
    await submit();
    await shown("[data-testid=import]");
    const sent = calls.find((c) => c.method === "POST")!;
    expect(sent.path).toBe("/imports");
    expect(sent.body).toEqual({ source: "zendesk", url: "https://acme.zendesk.com", email: "ada@acme.example", token: "zd-secret", dry_run: false,
      macros: true, views: true, sla: true, triggers: true, articles: true, publish: false });
    expect(field("import-token")!.value).toBe("");
    expect(field("import-url")!.value).toBe("https://acme.zendesk.com"); // the rest stays for the next run
    expect(text("[data-testid=import-notice]")).toContain("from Zendesk is queued");
    expect(text("[data-testid=import-status]")).toContain("queued");
    expect(text("[data-testid=import]")).toContain("by Ada Admin");
  });

  it("asks FreeScout for the tickets alone: no email field, no parts", async () => {
    const { calls, field, type, choose, submit, text, host, shown, rendered } = mount((method) =>
      method === "GET" ? json({ items: [] }) : json(job({ source: "freescout", email: null }), 202));
    await shown("[data-testid=import-parts]");
    choose("import-source", "freescout");
    await rendered();
    expect(host.querySelector("[data-testid=import-parts]")).toBeNull();
    expect(field("import-email")).toBeNull();
    expect(text("[data-testid=import-tickets-only]")).toContain("tickets, customers and custom fields only");
    expect(text("[data-testid=import-token-hint]")).toContain("Manage > API & Webhooks");
    type("import-url", "https://help.acme.example");
    type("import-token", "fs-key");
    await submit();
    await vi.waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true), { timeout: 2000 });
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ source: "freescout", url: "https://help.acme.example", token: "fs-key", dry_run: false });
  });

  it("shows a 422 beside the field it names, keeping what was typed, and a 409 above the form", async () => {
    let answer = refusal(422, "validation_error", "request does not match the schema",
      { errors: [{ loc: ["body", "limit"], type: "greater_than_equal", msg: "Input should be greater than or equal to 1" }] });
    const { field, type, submit, host, text, shown } = mount((method) => (method === "GET" ? json({ items: [] }) : answer));
    await shown("[name=import-url]");
    type("import-url", "https://acme.zendesk.com");
    type("import-email", "ada@acme.example");
    type("import-token", "zd-secret");
    type("import-limit", "0");
    await submit();
    await shown("[data-testid=import-limit-problem]");
    expect(text("[data-testid=import-limit-problem]")).toBe("Input should be greater than or equal to 1");
    expect(field("import-limit")!.getAttribute("aria-invalid")).toBe("true");
    expect(field("import-limit")!.getAttribute("aria-describedby")).toBe("import-limit-problem");
    expect(field("import-token")!.value).toBe("zd-secret"); // not started: nothing is emptied
    expect(host.querySelector("[data-testid=import-form] [role=alert]")).toBeNull(); // said by the field, not twice

    answer = refusal(422, "import_url_refused", "the helpdesk's address must use https");
    await submit();
    await shown("[data-testid=import-url-problem]");
    expect(text("[data-testid=import-url-problem]")).toBe("the helpdesk's address must use https");
    expect(host.querySelector("[data-testid=import-limit-problem]")).toBeNull();

    answer = refusal(409, "import_running", "an import is already under way: wait for it to end or cancel it", { import_id: "x" });
    await submit();
    await vi.waitFor(() => expect(text("[data-testid=import-form] [role=alert]")).toContain("an import is already under way"), { timeout: 2000 });
    expect(text("[data-testid=import-form] [role=alert]")).toContain("409 import_running");
    expect(host.querySelector("[data-testid=import-url-problem]")).toBeNull();
  });

  it("follows a running import until it ends, then stops reading the list; a failed one says why", async () => {
    let reads = 0;
    const running = job({ status: "running", rounds: 1, started_at: at,
      progress: { tickets_imported: 2, already_imported: 1, tickets_failed: 1, tickets_total: 1200 } });
    const failed = job({ id: "20260228090000-00000000", status: "failed", finished_at: at, error: "Zendesk answered 401: the email or token is wrong" });
    const done = job({ status: "done", rounds: 1, tickets_done: true, finished_at: at, parts_done: ["macros", "articles"], report: REPORT,
      progress: { tickets_imported: 3, already_imported: 1, tickets_failed: 0 } });
    const { text, host, shown } = mount((method, path) => {
      if (method !== "GET" || path !== "/imports") return undefined;
      reads += 1;
      return json({ items: [reads < 3 ? running : done, failed] });
    });
    await shown("[data-testid=import-progress]");
    expect(text("[data-testid=import-imported]")).toBe("2 imported");
    expect(text("[data-testid=import-read]")).toBe("4 of about 1,200 tickets read"); // its counts, of Zendesk's
    expect(host.querySelector<HTMLProgressElement>("[data-testid=import-read] progress")?.value).toBe(4);
    expect(text("[data-testid=import-status]")).toContain("reading tickets");
    expect(text("[data-testid=import-error]")).toBe("It failed: Zendesk answered 401: the email or token is wrong");
    expect(host.querySelector("[data-testid=cancel-import]")).not.toBeNull();

    await vi.waitFor(() => expect(host.querySelector("[data-status=done]")).not.toBeNull(), { timeout: 2000 });
    expect(text("[data-testid=import-notice]")).toContain("is done");
    expect(host.querySelector("[data-testid=cancel-import]")).toBeNull();
    expect(host.querySelector("[data-testid=import-read]")).toBeNull(); // done: the report's counts say it all
    expect(text("[data-testid=import-progress]")).toBe("3 imported · 1 already here · 0 failed");
    const report = host.querySelector("[data-testid=import-report]")!; // the newest one's, open
    expect(text("[data-testid=import-tickets-imported]")).toBe("3");
    expect(report.textContent).toContain("People: Alice Agent (2 tickets); Zed Former (1 ticket)");
    expect(report.textContent).toContain("Groups: Billing (1 ticket)");
    expect(report.textContent).toContain("Given their agent or group now1"); // an earlier import's gaps filled
    expect(report.textContent).toContain("Notes on customers1 (on their pages)"); // Zendesk's user notes
    expect(report.textContent).toContain("Customers' other addresses2 linked to them"); // FreeScout's several per customer
    expect(report.querySelector("[data-part=macros]")!.textContent).toContain("Escalate to Jira: it calls a target");
    expect(report.textContent).toContain("2 created, 1 held");
    const problems = report.querySelector("[data-testid=import-problems]")!;
    expect(problems.textContent).toContain("7 problems");
    expect(problems.querySelector("details:not([open])")).not.toBeNull(); // a long list is folded

    const settled = reads;
    await new Promise((waited) => setTimeout(waited, 200)); // five polls' time: none comes
    expect(reads).toBe(settled);
  });

  it("imports again with an ended import's settings: the form filled, the token to type", async () => {
    const ended = job({ source: "zammad", url: "https://support.acme.example", email: null, status: "done", finished_at: at,
      options: { since: "2025-03-01T00:00:00Z", limit: null, dry_run: false, macros: false, views: true, sla: true, triggers: true,
        articles: true, publish: false } });
    const { host, field, shown } = mount((method, path) => (method === "GET" && path === "/imports" ? json({ items: [ended] }) : undefined));
    await shown("[data-testid=import-again]");
    expect(host.querySelector("[data-testid=cancel-import]")).toBeNull();
    (host.querySelector("[data-testid=import-again]") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(field("import-url")!.value).toBe("https://support.acme.example"));
    expect(field<HTMLSelectElement>("import-source")!.value).toBe("zammad");
    expect(field("import-email")).toBeNull(); // Zammad signs in with the token alone
    expect(field("import-since")!.value).toBe("2025-03-01");
    expect(field("import-macros")!.checked).toBe(false);
    expect(field("import-views")!.checked).toBe(true);
    expect(field("import-token")!.value).toBe("");
    expect(document.activeElement).toBe(field("import-token")); // where the admin types next
  });

  it("stops reading the list once the screen is left", async () => {
    let reads = 0;
    const { host, shown } = mount((method, path) => {
      if (method !== "GET" || path !== "/imports") return undefined;
      reads += 1;
      return json({ items: [job({ status: "running", rounds: 1 })] });
    });
    await shown("[data-status=running]");
    await vi.waitFor(() => expect(reads).toBeGreaterThan(1), { timeout: 2000 }); // it follows the running one
    render(null, host);
    const left = reads;
    await new Promise((waited) => setTimeout(waited, 200));
    expect(reads).toBe(left); // counted as each starts: none after
  });

  it("cancels a running import after asking", async () => {
    let current = job({ status: "running", rounds: 1 });
    const { calls, host, text, shown } = mount((method, path) => {
      if (method === "GET" && path === "/imports") return json({ items: [current] });
      if (method === "POST" && path === `/imports/${current.id}/cancel`) {
        current = { ...current, status: "cancelled", finished_at: at };
        return json(current);
      }
    }, 60_000);
    await shown("[data-testid=cancel-import]");
    host.querySelector<HTMLButtonElement>("[data-testid=cancel-import]")!.click();
    await shown("[data-testid=cancel-import-confirm]");
    expect(calls.some((c) => c.method === "POST")).toBe(false); // nothing is stopped before the second click
    host.querySelector<HTMLButtonElement>("[data-testid=cancel-import-confirm]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-status=cancelled]")).not.toBeNull(), { timeout: 2000 });
    expect(calls.find((c) => c.method === "POST")!.path).toBe("/imports/20260301090000-abcd1234/cancel");
    expect(text("[data-testid=import-notice]")).toContain("is stopped: what came over stays");
    expect(host.querySelector("[data-testid=cancel-import]")).toBeNull();
  });
});

describe("a connection check's answer in words", () => {
  const account = { name: "Ada Admin", email: "admin@acme.example", admin: true, tickets: 3 };
  it("names whom the credentials are and how many tickets wait, leaving out what the helpdesk did not say", () => {
    expect(connectionText(SOURCES.zendesk, { ok: true, account, problem: null }))
      .toBe("Signed in to Zendesk as Ada Admin (admin@acme.example), an admin. 3 tickets to bring over.");
    expect(connectionText(SOURCES.zammad, { ok: true, account: { ...account, tickets: null }, problem: null }))
      .toBe("Signed in to Zammad as Ada Admin (admin@acme.example), an admin.");
    expect(connectionText(SOURCES.zendesk, { ok: true, account: { name: null, email: "admin@acme.example", admin: null, tickets: 1 }, problem: null }))
      .toBe("Signed in to Zendesk as admin@acme.example. 1 ticket to bring over.");
    expect(connectionText(SOURCES.freescout, { ok: true, account: { name: null, email: null, admin: null, tickets: 4 }, problem: null }))
      .toBe("FreeScout answered: 4 tickets to bring over.");
    expect(connectionText(SOURCES.freescout, { ok: true, account: { name: null, email: null, admin: null, tickets: 0 }, problem: null }))
      .toBe("FreeScout answered: No tickets to bring over.");
    expect(connectionText(SOURCES.freescout, { ok: true, account: null, problem: null })).toBe("FreeScout accepted the API key.");
  });
});

describe("Test connection on the Import form", () => {
  const SIGNED_IN = { ok: true, account: { name: "Ada Admin", email: "admin@acme.example", admin: true, tickets: 3 }, problem: null };
  const fillZendesk = (type: (name: string, value: string) => void) => {
    type("import-url", "https://acme.zendesk.com");
    type("import-email", "admin@acme.example");
    type("import-token", "zd-secret");
  };

  it("says whom Zendesk signed in and how many tickets wait, sending what Start sends; the answer goes once it starts", async () => {
    let jobs: ImportJob[] = [];
    const { calls, host, type, testConnection, submit, text, shown } = mount((method, path, body) => {
      if (method === "GET" && path === "/imports") return json({ items: jobs });
      if (path === "/imports/check") return json(SIGNED_IN);
      if (path === "/imports") {
        jobs = [job({ url: (body as { url: string }).url })];
        return json(jobs[0], 202);
      }
    });
    await shown("[name=import-url]");
    fillZendesk(type);
    type("import-limit", "10");
    await testConnection();
    await vi.waitFor(() => expect(text("[data-testid=import-check]")).not.toBe(""), { timeout: 2000 });
    expect(text("[data-testid=import-check]")).toBe("Signed in to Zendesk as Ada Admin (admin@acme.example), an admin. 3 tickets to bring over.");
    expect(host.querySelector("[data-testid=import-check]")!.getAttribute("role")).toBe("status");
    expect(host.querySelector("[data-testid=import-check-problem]")).toBeNull();
    expect(host.querySelector("[data-testid=import]")).toBeNull(); // a check starts nothing

    await submit();
    await shown("[data-testid=import]");
    const checked = calls.find((c) => c.path === "/imports/check")!;
    const started = calls.find((c) => c.method === "POST" && c.path === "/imports")!;
    expect(checked.method).toBe("POST");
    expect(checked.body).toEqual(started.body);
    expect(checked.body).toMatchObject({ source: "zendesk", url: "https://acme.zendesk.com", email: "admin@acme.example", token: "zd-secret", limit: 10 });
    expect(text("[data-testid=import-check]")).toBe(""); // it described the form before the start
  });

  it("says what FreeScout answered: its API key is nobody's, only the count", async () => {
    const { calls, choose, type, testConnection, text, shown, rendered } = mount((method, path) => {
      if (method === "GET") return json({ items: [] });
      if (path === "/imports/check") return json({ ok: true, account: { name: null, email: null, admin: null, tickets: 4 }, problem: null });
    });
    await shown("[name=import-url]");
    choose("import-source", "freescout");
    await rendered();
    type("import-url", "https://help.acme.example");
    type("import-token", "fs-key");
    await testConnection();
    await vi.waitFor(() => expect(text("[data-testid=import-check]")).toBe("FreeScout answered: 4 tickets to bring over."), { timeout: 2000 });
    expect(calls.find((c) => c.path === "/imports/check")!.body).toEqual({ source: "freescout", url: "https://help.acme.example", token: "fs-key", dry_run: false });
  });

  it("shows why an import with these credentials would fail, as a problem; the button reads Testing… meanwhile", async () => {
    const problem = "Zendesk refused the credentials (401): an admin's address and an API token (Admin Center > Apps and integrations > APIs)";
    let answered!: (response: Response) => void;
    const { host, type, testConnection, text, shown } = mount((method, path) => {
      if (method === "GET") return json({ items: [] });
      if (path === "/imports/check") return new Promise<Response>((done) => { answered = done; });
    });
    await shown("[name=import-url]");
    fillZendesk(type);
    await testConnection();
    const button = host.querySelector<HTMLButtonElement>("[data-testid=import-test]")!;
    await vi.waitFor(() => expect(button.textContent).toBe("Testing…"));
    expect(button.disabled).toBe(true);
    answered(json({ ok: false, account: null, problem }));
    await shown("[data-testid=import-check-problem]");
    expect(text("[data-testid=import-check-problem]")).toBe(problem);
    expect(host.querySelector("[data-testid=import-check-problem]")!.getAttribute("role")).toBe("alert");
    expect(host.querySelector("[data-testid=import-check-problem]")!.classList.contains("alert")).toBe(true);
    expect(text("[data-testid=import-check]")).toBe("");
    expect(button.textContent).toBe("Test connection");
    expect(button.disabled).toBe(false);
  });

  it("shows a refused address beside the address field, as a refused start does; a 403 above the form", async () => {
    let answer = refusal(422, "import_url_refused", "the helpdesk's address must use https");
    const { host, field, type, testConnection, text, shown } = mount((method, path) => {
      if (method === "GET") return json({ items: [] });
      if (path === "/imports/check") return answer;
    });
    await shown("[name=import-url]");
    fillZendesk(type);
    type("import-url", "http://acme.zendesk.com");
    await testConnection();
    await shown("[data-testid=import-url-problem]");
    expect(text("[data-testid=import-url-problem]")).toBe("the helpdesk's address must use https");
    expect(field("import-url")!.getAttribute("aria-invalid")).toBe("true");
    expect(host.querySelector("[data-testid=import-form] [role=alert]")).toBeNull(); // said by the field, not twice
    expect(text("[data-testid=import-check]")).toBe("");

    answer = refusal(403, "forbidden", "admins only");
    await testConnection();
    await vi.waitFor(() => expect(text("[data-testid=import-form] [role=alert]")).toContain("admins only"), { timeout: 2000 });
    expect(host.querySelector("[data-testid=import-url-problem]")).toBeNull();
  });

  it("forgets the answer once the token is edited: it no longer describes what is typed", async () => {
    const { calls, host, type, testConnection, text, shown, rendered } = mount((method, path) => {
      if (method === "GET") return json({ items: [] });
      if (path === "/imports/check") return json(SIGNED_IN);
    });
    await shown("[name=import-url]");
    fillZendesk(type);
    await testConnection();
    await vi.waitFor(() => expect(text("[data-testid=import-check]")).toContain("Ada Admin"), { timeout: 2000 });
    type("import-token", "zd-secret-2");
    await rendered();
    expect(text("[data-testid=import-check]")).toBe("");
    expect(host.querySelector("[data-testid=import-check-problem]")).toBeNull();
    expect(calls.filter((c) => c.path === "/imports/check")).toHaveLength(1);
  });

  it("drops an answer that comes after the address was edited", async () => {
    let answered!: (response: Response) => void;
    const { host, type, testConnection, text, shown, rendered } = mount((method, path) => {
      if (method === "GET") return json({ items: [] });
      if (path === "/imports/check") return new Promise<Response>((done) => { answered = done; });
    });
    await shown("[name=import-url]");
    fillZendesk(type);
    await testConnection();
    await vi.waitFor(() => expect(answered).toBeTypeOf("function"));
    type("import-url", "https://other.zendesk.com");
    await rendered();
    expect(host.querySelector<HTMLButtonElement>("[data-testid=import-test]")!.textContent).toBe("Test connection");
    answered(json(SIGNED_IN));
    await rendered();
    expect(text("[data-testid=import-check]")).toBe("");
  });

  it("asks for an empty token as Start does, sending nothing", async () => {
    const { calls, host, type, testConnection, shown, rendered } = mount((method) => (method === "GET" ? json({ items: [] }) : json(SIGNED_IN)));
    await shown("[name=import-url]");
    type("import-url", "https://acme.zendesk.com");
    type("import-email", "admin@acme.example");
    await testConnection();
    await rendered();
    expect(calls.some((c) => c.path === "/imports/check")).toBe(false);
    expect(host.querySelector<HTMLInputElement>("[name=import-token]")!.validity.valueMissing).toBe(true);
  });
});
