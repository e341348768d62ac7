import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { AiSettings } from "../src/console/ai-settings";
import { json } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the AI screen's saves", () => {
  it("name the version they read, and after another admin's save offer to reload instead of overwriting it", async () => {
    const puts: { path: string; ifMatch: string | null }[] = [];
    let settingsVersion = 3;
    let refuse = true;
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      const headers = new Headers(init.headers);
      if (init.method?.toUpperCase() === "PUT") {
        puts.push({ path, ifMatch: headers.get("if-match") });
        if (refuse) return json({ error: { code: "concurrent_update", message: "it changed since it was read", details: null } }, 409);
        settingsVersion += 1;
        return json({ fields: {}, draft_reply: false }, 200, `"${settingsVersion}"`);
      }
      if (path === "/assist/settings") return json({ fields: {}, draft_reply: true }, 200, `"${settingsVersion}"`);
      if (path === "/assist/categories") return json({ source: "tenant", version: 2, learned: {}, categories: [{ name: "api", description: "API errors", examples: [] }] });
      return json([]); // groups
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<AiSettings api={new ApiClient({ baseUrl: "https://api.example", fetch })} tenant="acme" />, host);
    const form = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFormElement>("[data-testid=ai-settings]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("Another admin saved these settings meanwhile"));
    expect(puts).toEqual([{ path: "/assist/settings", ifMatch: '"3"' }]);

    settingsVersion = 5; // what the other admin saved
    refuse = false;
    const reload = [...form.querySelectorAll("button")].find((b) => b.textContent === "Reload the settings")!;
    reload.click();
    await vi.waitFor(() => expect(form.querySelector("button")?.textContent).not.toBe("Reload the settings"));
    await new Promise((r) => setTimeout(r, 20));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("AI settings saved"));
    expect(puts[1]).toEqual({ path: "/assist/settings", ifMatch: '"5"' });

    const categories = host.querySelector<HTMLFormElement>("[data-testid=ticket-categories]")!;
    categories.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(3));
    expect(puts[2]).toEqual({ path: "/assist/categories", ifMatch: '"2"' });
  });
});

describe("the chat widget's look", () => {
  const type = (field: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string, event = "input") => {
    field.value = value;
    field.dispatchEvent(new Event(event, { bubbles: true }));
  };

  it("is previewed per language as visitors will see it and saved with the settings", async () => {
    const bodies: Record<string, unknown>[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (init.method?.toUpperCase() === "PUT" && path === "/assist/settings") {
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        bodies.push(body);
        const colour = (body.widget as { accent_color?: string }).accent_color;
        if (colour === "#ffcc00") {
          return json({ error: { code: "validation_error", message: "request does not match the schema", details: { errors: [
            { loc: ["body", "widget", "accent_color"], type: "value_error", msg: "Value error, white text on #ffcc00 has a contrast of 1.5:1" }] } } }, 422);
        }
        return json(body, 200, '"2"');
      }
      if (path === "/assist/settings") {
        return json({ fields: {}, widget_origins: ["https://www.acme.example"],
          widget: { title: "Acme support", greetings: { en: "Hi from Acme!" }, accent_color: "#0b6e4f", position: "right" } }, 200, '"1"');
      }
      if (path === "/assist/categories") return json({ source: "tenant", version: 1, learned: {}, categories: [] });
      return json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<AiSettings api={new ApiClient({ baseUrl: "https://api.example", fetch })} tenant="acme" />, host);
    const look = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFieldSetElement>("[data-testid=widget-look]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    const preview = () => look.querySelector<HTMLElement>("[data-testid=widget-preview]")!;
    expect(preview().textContent).toContain("Acme support");
    expect(preview().textContent).toContain("Hi from Acme!");
    expect(look.querySelector<HTMLElement>(".widget-preview-launcher")!.style.background).toMatch(/#0b6e4f|rgb\(11, 110, 79\)/);

    type(look.querySelector<HTMLSelectElement>("[name=widget-greeting-language]")!, "de", "change");
    await vi.waitFor(() => expect(preview().textContent).toContain("Deutsch"));
    expect(preview().textContent).toContain("Hi from Acme!");  // no German greeting yet: the English one
    expect(look.querySelector<HTMLElement>(".widget-preview-header")!.textContent).toBe("Acme support"); // the one title
    type(look.querySelector<HTMLTextAreaElement>("[name=widget-greeting]")!, "Hallo von Acme!");
    await vi.waitFor(() => expect(preview().textContent).toContain("Hallo von Acme!"));
    type(look.querySelector<HTMLInputElement>("[name=widget-title-in-language]")!, "Acme Hilfe");
    await vi.waitFor(() => expect(look.querySelector<HTMLElement>(".widget-preview-header")!.textContent).toBe("Acme Hilfe"));
    type(look.querySelector<HTMLSelectElement>("[name=widget-position]")!, "left", "change");
    await vi.waitFor(() => expect(preview().classList.contains("left")).toBe(true));
    type(look.querySelector<HTMLInputElement>("[name=widget-colour]")!, "#ffcc00");
    await new Promise((r) => setTimeout(r, 20));  // rendered: the form saves what it shows

    const form = host.querySelector<HTMLFormElement>("[data-testid=ai-settings]")!;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("contrast of 1.5:1"));
    type(look.querySelector<HTMLInputElement>("[name=widget-colour]")!, "#0b6e4f");
    await new Promise((r) => setTimeout(r, 20));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain("AI settings saved"));
    expect(bodies[1]!.widget).toEqual({ title: "Acme support", accent_color: "#0b6e4f", position: "left",
      titles: { de: "Acme Hilfe" }, greetings: { en: "Hi from Acme!", de: "Hallo von Acme!" } });
    expect(bodies[1]!.widget_origins).toEqual(["https://www.acme.example"]);  // the rest as it was
  });
});
