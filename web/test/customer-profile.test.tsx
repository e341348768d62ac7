// A customer's profile on their page: the heading calls them by the name set there, the panel shows name, phone and
// the language of the team's mails, a save sends what the form holds with the version read, a save over someone's
// change meanwhile offers theirs, and a refused value is said without losing what was typed.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { CustomerPage } from "../src/console/customer";
import { RequesterProfileFacts } from "../src/console/customer-profile";
import { json, shown } from "./helpers";

const KEY = "email:jana.mueller@example.com";
const PROFILE = `/customers/${encodeURIComponent(KEY)}/profile`;
const at = "2026-03-03T10:00:00Z";
const newest = {
  id: "t1", number: "T-000001", subject: "Question", status: "open", priority: "normal",
  requester: { id: KEY, email: "jana.mueller@example.com", name: "Müller, Jana" }, requester_key: KEY,
  organization_id: null, group: null, assignee_id: null, updated_at: at, created_at: at, sla: [],
} as unknown as Ticket;

/** The API with one ticket of hers and her profile; a PATCH with another version than the stored one is a 409, a
 * phone of letters a 422, as the API answers. */
function server(stored: Record<string, unknown>) {
  const profile: Record<string, unknown> & { version: number } =
    { tenant_id: "acme", id: KEY, name: null, phone: null, language: null, version: 0, ...stored };
  const patches: { ifMatch: string | null; body: Record<string, unknown> }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === PROFILE) {
      if (init?.method === "PATCH") {
        const ifMatch = new Headers(init.headers).get("if-match");
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        patches.push({ ifMatch, body });
        if (ifMatch !== `"${profile.version}"`) {
          return json({ error: { code: "concurrent_update", message: "the profile changed since you read it", details: {} } }, 409);
        }
        if (typeof body.phone === "string" && /[a-z]/i.test(body.phone)) {
          return json({ error: { code: "validation_error", message: "phone: a phone number is digits", details: [] } }, 422);
        }
        Object.assign(profile, body, { version: profile.version + 1 });
      }
      return json(profile, 200, `"${profile.version}"`);
    }
    if (path === "/tickets") return json({ items: [newest], next_cursor: null });
    if (path === "/users") return json({ items: [], next_cursor: null });
    return json([]);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), profile, patches };
}

const rendered = () => new Promise((done) => setTimeout(done, 0));

function type(host: HTMLElement, name: string, value: string) {
  const field = host.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`);
  if (!field) throw new Error(`no ${name}`);
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
}

async function editing(host: HTMLElement) {
  const edit = [...host.querySelectorAll<HTMLButtonElement>("[data-testid=customer-profile] button")]
    .find((b) => b.textContent === "Edit profile");
  edit?.click();
  await shown(host, "[name=profile-name]");
}

const save = async (host: HTMLElement) => {
  await rendered();
  host.querySelector<HTMLFormElement>("form[aria-label='Customer profile']")?.requestSubmit();
};

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a customer's profile", () => {
  it("names the customer in the heading and shows what is set", async () => {
    const { api } = server({ name: "Jana Müller", phone: "+49 30 1234-567", language: "de", version: 3 });
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    await shown(host, "[data-testid=customer-profile-facts]");
    await expect.poll(() => host.querySelector("h1")?.textContent).toBe("Jana Müller"); // not the ticket's "Müller, Jana"
    expect(host.querySelector("[data-testid=customer-profile-facts]")?.textContent)
      .toBe("NameJana MüllerPhone+49 30 1234-567Mails inDeutsch");
    expect(host.querySelector<HTMLAnchorElement>("[data-testid=customer-profile-facts] a")?.href).toBe("tel:+49301234567");
    expect(host.querySelector<HTMLAnchorElement>("[data-testid=customer-new-ticket]")?.href).toContain("name=Jana+M%C3%BCller");
  });

  it("saves the form with the version read, nulls for what was emptied", async () => {
    const { api, patches, profile } = server({ phone: "030 1234", version: 1 });
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    await shown(host, "[data-testid=customer-profile-facts]");
    expect(host.querySelector("h1")?.textContent).toBe("Müller, Jana"); // no name set: the ticket's
    await editing(host);
    type(host, "profile-name", "  Jana Müller ");
    type(host, "profile-phone", "");
    type(host, "profile-language", "es");
    await save(host);
    await expect.poll(() => patches).toHaveLength(1);
    expect(patches[0]).toEqual({ ifMatch: '"1"', body: { name: "Jana Müller", phone: null, language: "es" } });
    await expect.poll(() => host.querySelector("[data-testid=customer-profile-facts]")?.textContent)
      .toBe("NameJana MüllerMails inEspañol");
    expect(profile.version).toBe(2);
  });

  it("offers theirs when someone saved meanwhile, and keeps what was typed on a refused value", async () => {
    const { api, profile, patches } = server({ name: "Jana", version: 1 });
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    await shown(host, "[data-testid=customer-profile-facts]");
    await editing(host);
    type(host, "profile-phone", "call me");
    await save(host);
    await shown(host, "[data-testid=customer-profile] .alert");
    expect(host.querySelector<HTMLInputElement>("[name=profile-phone]")?.value).toBe("call me");

    profile.version = 2; // the customer changed it in the portal meanwhile
    profile.name = "Jana M.";
    type(host, "profile-phone", "+1 555 0100");
    await save(host);
    const theirs = await shown<HTMLButtonElement>(host, "[data-testid=customer-profile] [role=alert] button");
    expect(patches.map((p) => p.ifMatch)).toEqual(['"1"', '"1"']);
    theirs.click();
    await expect.poll(() => host.querySelector("[data-testid=customer-profile-facts]")?.textContent).toBe("NameJana M.");
  });

  it("keeps a language the mails are not written in, and says so", async () => {
    const { api } = server({ language: "nl", version: 1 });
    const host = document.body.appendChild(document.createElement("div"));
    render(<CustomerPage api={api} requesterKey={KEY} />, host);
    await shown(host, "[data-testid=customer-profile-facts]");
    expect(host.querySelector("[data-testid=customer-profile-facts]")?.textContent).toBe("Mails innl");
    await editing(host);
    const select = host.querySelector<HTMLSelectElement>("[name=profile-language]");
    expect(select?.value).toBe("nl");
    expect(select?.selectedOptions[0]?.textContent).toBe("nl (mails follow their ticket)");
  });

  it("tells a ticket's header the phone and the language of the mails, and nothing where none is set", async () => {
    const { api } = server({ phone: "(555) 010-0199", language: "pt-BR", version: 1 });
    const host = document.body.appendChild(document.createElement("div"));
    render(<RequesterProfileFacts api={api} requesterKey={KEY} />, host);
    const facts = await shown(host, "[data-testid=requester-profile]");
    expect(facts.textContent).toBe(" · (555) 010-0199 · mails in pt-BR");
    expect(host.querySelector<HTMLAnchorElement>("a")?.href).toBe("tel:5550100199");

    const empty = document.body.appendChild(document.createElement("div"));
    render(<RequesterProfileFacts api={server({}).api} requesterKey={KEY} />, empty);
    await rendered();
    await rendered();
    expect(empty.textContent).toBe("");
  });
});
