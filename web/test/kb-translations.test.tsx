// Articles translated into other languages: the portal's help centre lists each article once in the reader's
// language (it asks the API with the portal's language) and an article's page links its other languages; the
// console's knowledge screen lists an article's other languages and "Translate" opens a new article's form prefilled
// from the original, in a language the family lacks, showing where the API refuses it.
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { Knowledge } from "../src/console/kb";
import { missingLanguages, translationProblem } from "../src/console/kb-translations";
import { HelpCenter, PublicHelpCenter } from "../src/portal/help-center";
import { json, portalMount, shown } from "./helpers";

const at = "2026-01-01T00:00:00Z";

type Route = (method: string, path: string, body: unknown) => Response | undefined;

function fakeApi(route: Route) {
  const calls: { method: string; path: string; query: Record<string, string>; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const address = new URL(url);
    const method = (init.method ?? "GET").toUpperCase();
    const body = init.body ? JSON.parse(String(init.body)) : null;
    calls.push({ method, path: address.pathname, query: Object.fromEntries(address.searchParams), body });
    return route(method, address.pathname, body) ?? json({ items: [], next_cursor: null });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), calls };
}

const mount = portalMount();

const settle = () => new Promise((done) => setTimeout(done, 30));

describe("the portal's help centre in the reader's language", () => {
  it("asks the signed-in list in the portal's language", async () => {
    const { api, calls } = fakeApi((method, path) => {
      if (path === "/kb/sections") return json({ sections: [], version: 1 }, 200, '"1"');
      if (path === "/kb/articles") return json({ items: [{ id: "kb_de", title: "Passwort zurücksetzen", language: "de" }], next_cursor: null });
      return undefined;
    });
    const host = mount(<HelpCenter api={api} route="/kb" />, "de");
    const link = await shown<HTMLAnchorElement>(host, "[data-testid=help-center-articles] a");
    expect(link.textContent).toBe("Passwort zurücksetzen");
    expect(link.closest("li")!.getAttribute("lang")).toBe("de");
    expect(calls.find((c) => c.path === "/kb/articles")!.query).toMatchObject({ status: "published", language: "de" });
  });

  it("asks the public list in the portal's language", async () => {
    window.location.hash = "#/help/acme";
    const { api, calls } = fakeApi((method, path) => {
      if (path === "/kb/public/acme/sections") return json({ sections: [] });
      if (path === "/kb/public/acme/articles") return json({ items: [{ id: "kb_es", title: "Restablecer", language: "es" }], next_cursor: null });
      return undefined;
    });
    const host = mount(<PublicHelpCenter api={api} />, "es");
    await shown(host, "[data-testid=help-center-articles] a");
    expect(calls.find((c) => c.path === "/kb/public/acme/articles")!.query).toMatchObject({ language: "es" });
  });
});

describe("the portal's search in the reader's language", () => {
  it("asks the public search in the portal's language (an article and its translations come once)", async () => {
    window.location.hash = "#/help/acme?q=reset";
    const { api, calls } = fakeApi((method, path) => {
      if (path === "/kb/public/acme/sections") return json({ sections: [] });
      if (path === "/kb/public/acme/search") return json({ query: "reset", hits: [] });
      return undefined;
    });
    mount(<PublicHelpCenter api={api} />, "es");
    await vi.waitFor(() => expect(calls.find((c) => c.path === "/kb/public/acme/search")).toBeDefined());
    expect(calls.find((c) => c.path === "/kb/public/acme/search")!.query).toMatchObject({ q: "reset", language: "es" });
  });

  it("asks the signed-in search in the portal's language", async () => {
    const { api, calls } = fakeApi((method, path) => {
      if (path === "/kb/sections") return json({ sections: [], version: 1 }, 200, '"1"');
      if (path === "/kb/search") return json({ query: "reset", hits: [] });
      return undefined;
    });
    mount(<HelpCenter api={api} route="/kb?q=reset" />, "pt");
    await vi.waitFor(() => expect(calls.find((c) => c.path === "/kb/search")).toBeDefined());
    expect(calls.find((c) => c.path === "/kb/search")!.query).toMatchObject({ q: "reset", language: "pt" });
  });
});

describe("an article's other languages in the portal", () => {
  const PUBLIC = {
    id: "kb_en", title: "Reset your password", body: "Open **Settings**.", language: "en", section: "", updated_at: at,
    translations: [{ id: "kb_de", language: "de", title: "Passwort zurücksetzen" }, { id: "kb_it", language: "it", title: "Reimposta" }],
  };

  it("links each on the public page, named in itself and marked as written in it, the line in the portal's language", async () => {
    window.location.hash = "#/help/acme/kb_en?q=reset";
    const { api } = fakeApi((method, path) => (path === "/kb/public/acme/articles/kb_en" ? json(PUBLIC) : undefined));
    const host = mount(<PublicHelpCenter api={api} />, "fr");
    const line = await shown<HTMLElement>(host, "[data-testid=also-in]");
    expect(line.textContent).toBe("Aussi disponible en : Deutsch · it");
    expect(line.getAttribute("lang")).toBe("fr"); // inside the article (lang="en"), the line is the portal's
    expect(line.closest("article")!.getAttribute("lang")).toBe("en");
    const links = [...line.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.getAttribute("lang"), a.getAttribute("hreflang")]);
    expect(links).toEqual([["#/help/acme/kb_de?q=reset", "de", "de"], ["#/help/acme/kb_it?q=reset", "it", "it"]]);
  });

  it("links the published ones on the signed-in page, to the signed-in pages, and shows nothing without any", async () => {
    const signedIn = (translations: unknown[]) => fakeApi((method, path) => path === "/kb/articles/kb_en" ? json({
      ...PUBLIC, tags: [], visibility: "public", status: "published", version: 2, published_version: 2, translation_of: null,
      created_at: at, created_by: null, updated_by: null, translations,
    }) : undefined).api;
    const host = mount(<HelpCenter api={signedIn([
      { id: "kb_es", language: "es", title: "Restablecer la contraseña", status: "published" },
      { id: "kb_de", language: "de", title: "Passwort zurücksetzen", status: "draft" }])} route="/kb/kb_en" />, "de");
    const line = await shown<HTMLElement>(host, "[data-testid=also-in]");
    expect(line.textContent).toBe("Auch auf: Español");
    expect(line.querySelector("a")!.getAttribute("href")).toBe("#/kb/kb_es");

    const alone = mount(<HelpCenter api={signedIn([])} route="/kb/kb_en" />);
    await shown(alone, "#a-title");
    expect(alone.querySelector("[data-testid=also-in]")).toBeNull();
  });
});

const consoleArticle = (id: string, language: string, over: Record<string, unknown> = {}) => ({
  id, title: `Title ${id}`, body: `# Body of ${id}`, language, tags: ["account", "password"], visibility: "internal",
  section: "Account and sign-in", status: "published", version: 3, published_version: 3, translation_of: null,
  created_at: at, updated_at: at, created_by: "ada", updated_by: "ada", translations: [], ...over,
});

const ORIGINAL = consoleArticle("kb_en", "en", {
  translations: [{ id: "kb_de", language: "de", title: "Title kb_de", status: "draft" }, { id: "kb_fr", language: "fr", title: "Title kb_fr", status: "published" }],
});
const GERMAN = consoleArticle("kb_de", "de", {
  status: "draft", translation_of: "kb_en",
  translations: [{ id: "kb_en", language: "en", title: "Title kb_en", status: "published" }, { id: "kb_fr", language: "fr", title: "Title kb_fr", status: "published" }],
});

function consoleApi(create: (body: unknown) => Response = () => json(consoleArticle("kb_new", "es", { status: "draft" }), 201, '"1"')) {
  return fakeApi((method, path, body) => {
    if (method === "POST" && path === "/kb/articles") return create(body);
    if (path === "/kb/articles/kb_en") return json(ORIGINAL, 200, '"3"');
    if (path === "/kb/articles/kb_de") return json(GERMAN, 200, '"3"');
    if (path.endsWith("/versions")) return json([]);
    if (path.startsWith("/kb/public/") || path.startsWith("/reports/")) return json({ error: { code: "not_found", message: "no", details: null } }, 404);
    if (path.endsWith("/feedback")) return json({ helpful: 0, not_helpful: 0 });
    return undefined;
  });
}

const select = async (element: HTMLSelectElement, value: string) => {
  element.value = value;
  element.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
};

describe("an article's languages in the console", () => {
  it("links an article that came apart to its original from the editor (only originals in another language offered)", async () => {
    const SOLO = consoleArticle("kb_solo", "de", { title: "Passwort vergessen", status: "draft" });
    const { api, calls } = fakeApi((method, path, body) => {
      if (path === "/kb/articles/kb_solo") return method === "PATCH" ? json({ ...SOLO, ...(body as object) }, 200, '"4"') : json(SOLO, 200, '"3"');
      if (path === "/kb/articles") return json({ items: [ORIGINAL, GERMAN, SOLO, consoleArticle("kb_de_other", "de")].map(({ translations: _family, ...a }) => a), next_cursor: null });
      if (path.endsWith("/versions")) return json([]);
      if (path.endsWith("/feedback")) return json({ helpful: 0, not_helpful: 0 });
      if (path.startsWith("/kb/public/") || path.startsWith("/reports/")) return json({ error: { code: "not_found", message: "no", details: null } }, 404);
      return undefined;
    });
    const host = mount(<Knowledge api={api} route="/kb/kb_solo" tenant="acme" />);
    const picker = await shown<HTMLSelectElement>(host, "select[name=article-translation-of]");
    await vi.waitFor(() => expect(picker.options.length).toBe(2));
    expect([...picker.options].map((o) => o.textContent)).toEqual(["None: an original", "Title kb_en (English)"]);
    await select(picker, "kb_en");
    host.querySelector<HTMLFormElement>(".editor form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")!.body).toMatchObject({ language: "de", translation_of: "kb_en" });
  });

  it("names each article's language in the list, and which are translations", async () => {
    const { api } = fakeApi((_, path) => path === "/kb/articles"
      ? json({ items: [ORIGINAL, GERMAN].map(({ translations: _family, ...article }) => article), next_cursor: null })
      : path === "/kb/sections" ? json({ sections: [], version: 1 }, 200, '"1"') : undefined);
    const host = mount(<Knowledge api={api} route="/kb" tenant="acme" />);
    await shown(host, "ul.articles li .method");
    const lines = [...host.querySelectorAll("ul.articles li .method")].map((m) => m.textContent!.split(" · ").slice(0, 3));
    expect(lines).toEqual([["Account and sign-in", "English", "internal"], ["Account and sign-in", "Deutsch translation", "internal"]]);
  });

  it("lists the family's other articles with language, linked title and status, and says what a translation translates", async () => {
    const { api } = consoleApi();
    const host = mount(<Knowledge api={api} route="/kb/kb_de" tenant="acme" />);
    const list = await shown<HTMLElement>(host, "[data-testid=article-translations]");
    const rows = [...list.querySelectorAll("[data-testid=translation]")];
    expect(rows.map((r) => r.textContent)).toEqual(["English: Title kb_en published (the original)", "Français: Title kb_fr published"]);
    expect(rows.map((r) => [r.querySelector("a")!.getAttribute("href"), r.querySelector("a")!.getAttribute("lang")]))
      .toEqual([["#/kb/kb_en", "en"], ["#/kb/kb_fr", "fr"]]);
    const of = host.querySelector("[data-testid=translation-of]")!;
    expect(of.textContent).toBe("Translation of Title kb_en (English)");
    expect(of.querySelector("a")!.getAttribute("href")).toBe("#/kb/kb_en");
    // Translate on a translation translates its original
    list.querySelector<HTMLButtonElement>("[data-testid=translate]")!.click();
    expect(window.location.hash).toBe("#/kb/kb_en/translate");
  });

  it("says an original has none yet, and is no translation", async () => {
    const { api } = fakeApi((method, path) => {
      if (path === "/kb/articles/kb_1") return json(consoleArticle("kb_1", "en"), 200, '"3"');
      if (path.endsWith("/versions")) return json([]);
      return undefined;
    });
    const host = mount(<Knowledge api={api} route="/kb/kb_1" tenant="acme" />);
    const list = await shown<HTMLElement>(host, "[data-testid=article-translations]");
    expect(list.textContent).toContain("None yet: this article is only in English.");
    expect(host.querySelector("[data-testid=translation-of]")).toBeNull();
    list.querySelector<HTMLButtonElement>("[data-testid=translate]")!.click();
    expect(window.location.hash).toBe("#/kb/kb_1/translate");
  });

  it("offers Translate only while a language is missing", () => {
    const family = (...languages: string[]) => ({ language: languages[0]!, translations: languages.slice(1).map((language) => ({ id: language, language, title: "", status: "draft" as const })) });
    expect(missingLanguages(family("en", "DE", "fr"))).toEqual(["es", "pt"]);
    expect(missingLanguages(family("en", "de", "es", "fr", "pt"))).toEqual([]);
  });
});

describe("Translate", () => {
  it("opens the form prefilled from the original and creates the translation in the language picked", async () => {
    const { api, calls } = consoleApi();
    const host = mount(<Knowledge api={api} route="/kb/kb_de/translate" tenant="acme" />); // from the German page: its original
    const form = await shown<HTMLFormElement>(host, "[data-testid=translation-form]");
    expect(host.querySelector("[data-testid=translation-of]")!.textContent).toBe("Translation of Title kb_en (English)");
    expect(host.textContent).toContain("Listed with it in the help centre: section “Account and sign-in”, internal, tags account, password.");
    const language = form.querySelector<HTMLSelectElement>("select[name=translation-language]")!;
    expect([...language.options].map((o) => [o.value, o.textContent])).toEqual([["", "Choose a language"], ["es", "Español"], ["pt", "Português"]]);
    expect(language.required).toBe(true);
    expect(form.querySelector<HTMLInputElement>("input[name=translation-title]")!.value).toBe("Title kb_en");
    expect(form.querySelector<HTMLTextAreaElement>("textarea[name=translation-body]")!.value).toBe("# Body of kb_en");
    expect(host.querySelector("[aria-label=Original]")!.getAttribute("lang")).toBe("en");

    form.dispatchEvent(new Event("submit", { cancelable: true })); // no language yet: nothing sent
    await settle();
    expect(form.querySelector("[role=alert]")!.textContent).toBe("Choose the language of the translation.");
    expect(language.getAttribute("aria-invalid")).toBe("true");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    await select(language, "es");
    const title = form.querySelector<HTMLInputElement>("input[name=translation-title]")!;
    title.value = "Restablecer la contraseña";
    title.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(window.location.hash).toBe("#/kb/kb_new"));
    expect(calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([{
      translation_of: "kb_en", section: "Account and sign-in", tags: ["account", "password"], visibility: "internal",
      language: "es", title: "Restablecer la contraseña", body: "# Body of kb_en" }]);
  });

  it("shows a 409 beside the language, with a link to the translation that has it", async () => {
    const { api } = consoleApi(() => json({ error: { code: "conflict", message: "the original already has a translation in this language",
      details: { translation_of: "kb_en", language: "es", translation: "kb_es" } } }, 409));
    const host = mount(<Knowledge api={api} route="/kb/kb_en/translate" tenant="acme" />);
    const form = await shown<HTMLFormElement>(host, "[data-testid=translation-form]");
    const language = form.querySelector<HTMLSelectElement>("select[name=translation-language]")!;
    await select(language, "es");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    const alert = await shown<HTMLElement>(form, "[role=alert]");
    expect(alert.previousElementSibling!.contains(language)).toBe(true); // right under the picker
    expect(alert.textContent).toContain("already has a translation in this language (409 conflict)");
    expect(alert.querySelector("a")!.getAttribute("href")).toBe("#/kb/kb_es");
    expect(language.getAttribute("aria-invalid")).toBe("true");
    expect(window.location.hash).toBe("");
  });

  it("shows a 400 naming translation_of beside the original it names (the API's invalid_input)", async () => {
    const { api } = consoleApi(() => json({ error: { code: "invalid_input", message: "that article is a translation itself: name its original",
      details: { field: "translation_of", translation_of: "kb_en" } } }, 400));
    const host = mount(<Knowledge api={api} route="/kb/kb_en/translate" tenant="acme" />);
    const form = await shown<HTMLFormElement>(host, "[data-testid=translation-form]");
    await select(form.querySelector<HTMLSelectElement>("select[name=translation-language]")!, "pt");
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    const alert = await shown<HTMLElement>(host, "[role=alert]");
    expect(alert.previousElementSibling!.getAttribute("data-testid")).toBe("translation-of");
    expect(alert.textContent).toContain("name its original (400 invalid_input)");
    expect(form.querySelector("[role=alert]")).toBeNull();
  });

  it("tells the fields the API names apart", async () => {
    const { ApiError } = await import("../src/api/client");
    expect(translationProblem(new ApiError(409, "concurrent_update", "changed", { article_id: "kb_en" }))).toBeNull();
    expect(translationProblem(new ApiError(409, "conflict", "taken", { field: "language", translation: "kb_de" }))).toBe("language");
    expect(translationProblem(new ApiError(422, "validation_error", "bad", { errors: [{ loc: ["body", "translation_of"], type: "string_pattern_mismatch", msg: "m" }] })))
      .toBe("translation_of");
    expect(translationProblem(new Error("offline"))).toBeNull();
  });
});
