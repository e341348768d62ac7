// "Your details" in the portal and the portal's language kept in the customer's profile (GET/PATCH
// /customers/me/profile): the page reads and saves with the version read, says what a refused field needs and what
// a save over a change made meanwhile came to; the top bar's picker saves its pick; on sign-in the profile's language
// is shown where the customer picked none in this browser.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { CustomerProfile } from "../src/api/types";
import { chosenLanguage, PortalLanguage, rememberLanguage } from "../src/portal/i18n";
import { LanguagePicker, usePortalLanguage } from "../src/portal/language-choice";
import { supportedLanguage } from "../src/shared/language";
import { ProfilePage } from "../src/portal/profile";
import { json, portalMount, shown } from "./helpers";

interface Call { method: string; ifMatch: string | null; body: unknown }

/** The directory API holding one customer's profile as the API keeps it: a save with another version than the stored
 * one is a 409, a phone that is no phone number a 422 naming it; `forbidden` answers 403 (no verified address). */
function profileApi(start: Partial<CustomerProfile> = {}, { forbidden = false } = {}) {
  let stored: CustomerProfile = { tenant_id: "acme", id: "email:dana@example.com", name: null, phone: null, language: null, version: 0, ...start };
  const calls: Call[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    expect(new URL(url).pathname).toBe("/customers/me/profile");
    const method = init?.method ?? "GET";
    const ifMatch = new Headers(init?.headers).get("if-match");
    const body = init?.body ? (JSON.parse(String(init.body)) as Partial<CustomerProfile>) : undefined;
    calls.push({ method, ifMatch, body });
    if (forbidden) return json({ error: { code: "forbidden", message: "a profile needs a verified address", details: null } }, 403);
    if (method === "PATCH" && body) {
      if (ifMatch && ifMatch !== `"${stored.version}"`) {
        return json({ error: { code: "concurrent_update", message: "the profile changed since you read it", details: {} } }, 409);
      }
      if (body.phone && !/^\+?[0-9][0-9 ()./-]{2,30}$/.test(body.phone)) {
        return json({ error: { code: "validation_error", message: "request does not match the schema", details: { errors: [
          { loc: ["body", "phone"], type: "value_error", msg: "Value error, a phone number is digits" }] } } }, 422);
      }
      stored = { ...stored, ...body, version: (stored.version ?? 0) + 1 };
    }
    return json(stored, 200, `"${stored.version}"`);
  }) as unknown as typeof globalThis.fetch;
  return {
    api: new ApiClient({ baseUrl: "https://api.example", fetch }),
    calls,
    stored: () => stored,
    /** A change made elsewhere (another window, the team). */
    changeElsewhere: (change: Partial<CustomerProfile>) => { stored = { ...stored, ...change, version: (stored.version ?? 0) + 1 }; },
  };
}

const mount = portalMount();
afterEach(() => localStorage.clear()); // the window is shared with the other test files

/** Preact renders a state change on its next tick: the form's handler then holds what was typed. */
const rendered = () => new Promise((done) => setTimeout(done, 0));

async function type(host: HTMLElement, testId: string, value: string) {
  const input = await shown<HTMLInputElement | HTMLSelectElement>(host, `[data-testid=${testId}]`);
  input.value = value;
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  await rendered();
}

async function save(host: HTMLElement) {
  (await shown<HTMLButtonElement>(host, "[data-testid=profile-save]")).click();
}

const value = (host: HTMLElement, testId: string) => host.querySelector<HTMLInputElement>(`[data-testid=${testId}]`)?.value;

describe("Your details", () => {
  it("shows the customer's name, phone and language, and says the team's mails are written in it", async () => {
    const server = profileApi({ name: "Dana Scott", phone: "+49 30 1234-567", language: "de", version: 3 });
    const host = mount(<ProfilePage api={server.api} onLanguage={() => undefined} picked={null} />);
    await shown(host, "[data-testid=profile-name]");
    expect([value(host, "profile-name"), value(host, "profile-phone"), value(host, "profile-language")])
      .toEqual(["Dana Scott", "+49 30 1234-567", "de"]);
    expect(host.querySelector("h1")?.textContent).toBe("Your details");
    expect(host.querySelector("#profile-language-hint")?.textContent).toBe("Mails from our team to you are written in this language.");
  });

  it("saves what changed with the version read, and switches the portal to a language saved", async () => {
    const server = profileApi({ name: "Dana Scott", language: "pt-BR", version: 3 });
    const onLanguage = vi.fn();
    const host = mount(<ProfilePage api={server.api} onLanguage={onLanguage} picked={null} />);
    expect(await vi.waitFor(() => value(host, "profile-language") || Promise.reject(new Error("not read")))).toBe("pt");
    await type(host, "profile-phone", "+351 21 123 4567");
    await save(host);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=profile-saved]")?.textContent).toBe("Your details were saved."));
    // pt-BR shows as pt and stays as stored while the customer leaves it
    expect(server.calls.at(-1)).toEqual({ method: "PATCH", ifMatch: '"3"', body: { phone: "+351 21 123 4567" } });
    expect(onLanguage).not.toHaveBeenCalled();

    await type(host, "profile-language", "de");
    await type(host, "profile-name", "  ");
    await save(host);
    await vi.waitFor(() => expect(onLanguage).toHaveBeenCalledWith("de"));
    expect(server.calls.at(-1)).toEqual({ method: "PATCH", ifMatch: '"4"', body: { name: null, language: "de" } });
    expect(server.stored()).toMatchObject({ name: null, phone: "+351 21 123 4567", language: "de", version: 5 });
  });

  it("says what a refused phone number needs, by the field, and keeps what was typed", async () => {
    const server = profileApi({ version: 1 });
    const host = mount(<ProfilePage api={server.api} onLanguage={() => undefined} picked={null} />, "de");
    await type(host, "profile-phone", "ruf mich an");
    await save(host);
    const problem = await shown(host, "[data-testid=profile-phone-problem]");
    expect(problem.textContent).toContain("Diese Telefonnummer können wir nicht übernehmen.");
    const phone = host.querySelector<HTMLInputElement>("[data-testid=profile-phone]")!;
    expect(phone.getAttribute("aria-invalid")).toBe("true");
    expect(phone.getAttribute("aria-describedby")).toBe("profile-phone-problem");
    expect(phone.value).toBe("ruf mich an");
    expect(host.querySelector("[data-testid=problem]")).toBeNull(); // said once, by the field
    expect(server.stored().version).toBe(1);
  });

  it("says that someone changed the details meanwhile and shows them as saved now", async () => {
    const server = profileApi({ name: "Dana Scott", version: 2 });
    const host = mount(<ProfilePage api={server.api} onLanguage={() => undefined} picked={null} />);
    await type(host, "profile-name", "Dana S.");
    server.changeElsewhere({ name: "Dana Scott-Miller", phone: "+1 555 0100" });
    await save(host);
    await shown(host, "[data-testid=profile-changed]");
    expect(host.querySelector("[data-testid=profile-changed]")?.textContent).toContain("Someone changed your details meanwhile");
    await vi.waitFor(() => expect(value(host, "profile-name")).toBe("Dana Scott-Miller"));
    expect(value(host, "profile-phone")).toBe("+1 555 0100");
    expect(server.stored().name).toBe("Dana Scott-Miller"); // nothing overwritten
    // saved again, over the version now read
    await type(host, "profile-name", "Dana S.");
    await save(host);
    await vi.waitFor(() => expect(server.stored().name).toBe("Dana S."));
    expect(server.calls.at(-1)?.ifMatch).toBe('"3"'); // the version the reload read
  });
});

/** The portal's top bar and its "Your details" page, as the portal's App wires them. */
function Portal({ api }: { api: ApiClient }) {
  const { lang, pick, keep, saved } = usePortalLanguage(api);
  return (
    <PortalLanguage.Provider value={lang}>
      <LanguagePicker lang={lang} onPick={pick} />
      <ProfilePage api={api} onLanguage={keep} picked={saved} />
    </PortalLanguage.Provider>
  );
}

const picker = (host: HTMLElement) => host.querySelector<HTMLSelectElement>("[data-testid=portal-language]")!;

describe("the portal's language and the profile", () => {
  it("is saved to the profile when picked, and the page open meanwhile saves over the pick", async () => {
    const server = profileApi({ name: "Dana Scott", version: 1 });
    const host = mount(<Portal api={server.api} />);
    await shown(host, "[data-testid=profile-name]");
    await type(host, "portal-language", "fr");
    await vi.waitFor(() => expect(server.stored().language).toBe("fr"));
    expect(server.calls.find((c) => c.method === "PATCH")).toEqual({ method: "PATCH", ifMatch: null, body: { language: "fr" } });
    expect(chosenLanguage()).toBe("fr");
    expect(host.querySelector("h1")?.textContent).toBe("Vos coordonnées");
    await vi.waitFor(() => expect(value(host, "profile-language")).toBe("fr"));
    // the pick was the only change since the page read the profile: no 409 over the customer's own pick
    await type(host, "profile-phone", "+33 1 23 45 67 89");
    await save(host);
    await vi.waitFor(() => expect(server.stored().phone).toBe("+33 1 23 45 67 89"));
    expect(server.calls.at(-1)).toEqual({ method: "PATCH", ifMatch: '"2"', body: { phone: "+33 1 23 45 67 89" } });
    expect(host.querySelector("[data-testid=profile-changed]")).toBeNull();
  });

  it("saves quick picks one at a time, the latest last, so the profile ends with the last pick", async () => {
    let stored = "en";
    const patched: string[] = [];
    const fetch = (async (_url: string, init?: RequestInit) => {
      if ((init?.method ?? "GET") === "PATCH") {
        const language = String((JSON.parse(String(init!.body)) as { language: string }).language);
        patched.push(language);
        await new Promise((done) => setTimeout(done, language === "de" ? 60 : 0)); // the first answer is slow
        stored = language;
      }
      return json({ tenant_id: "acme", id: "email:dana@example.com", name: null, phone: null, language: stored, version: 1 });
    }) as unknown as typeof globalThis.fetch;
    const host = mount(<Portal api={new ApiClient({ baseUrl: "https://api.example", fetch })} />);
    await type(host, "portal-language", "de");
    await type(host, "portal-language", "fr");
    await vi.waitFor(() => expect(patched).toEqual(["de", "fr"]));
    await new Promise((done) => setTimeout(done, 120)); // every answer in, the slow one too
    expect(stored).toBe("fr");
    expect(picker(host).value).toBe("fr");
  });

  it("keeps a pick the profile could not take", async () => {
    const server = profileApi({}, { forbidden: true });
    const host = mount(<Portal api={server.api} />);
    await type(host, "portal-language", "es");
    await vi.waitFor(() => expect(server.calls.some((c) => c.method === "PATCH")).toBe(true));
    await rendered();
    expect(picker(host).value).toBe("es");
    expect(chosenLanguage()).toBe("es");
  });

  it("is the profile's on sign-in where none was picked in this browser", async () => {
    const server = profileApi({ language: "pt-BR", version: 4 });
    const host = mount(<Portal api={server.api} />);
    await vi.waitFor(() => expect(picker(host).value).toBe("pt"));
    expect(host.querySelector("h1")?.textContent).toBe("Os seus dados");
    expect(chosenLanguage()).toBeNull(); // the profile's, not a pick: it follows the profile next time
    expect(server.calls.every((c) => c.method === "GET")).toBe(true);
  });

  it("stays the one picked in this browser, or the browser's when the profile cannot be read", async () => {
    rememberLanguage("es");
    const picked = mount(<Portal api={profileApi({ language: "de", version: 1 }).api} />);
    await shown(picked, "[data-testid=profile-name]");
    await rendered();
    expect(picker(picked).value).toBe("es");

    localStorage.clear();
    const unverified = profileApi({}, { forbidden: true });
    const host = mount(<Portal api={unverified.api} />);
    const why = await shown(host, "[data-testid=profile-unverified]"); // why, not "You do not have access to this"
    expect(why.textContent).toContain("confirmed e-mail address");
    expect(host.querySelector("[data-testid=problem]")).toBeNull();
    expect(picker(host).value).toBe("en");
    expect(unverified.calls.every((c) => c.method === "GET")).toBe(true);
  });

  it("reads a profile's language tag as the portal's language, where the portal writes in it", () => {
    expect([supportedLanguage("pt-BR"), supportedLanguage("de"), supportedLanguage("it"), supportedLanguage(null)]).toEqual(["pt", "de", null, null]);
  });
});
