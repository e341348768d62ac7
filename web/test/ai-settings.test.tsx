import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { AiSettings } from "../src/console/ai-settings";

afterEach(() => {
  document.body.innerHTML = "";
});

const json = (body: unknown, status = 200, etag?: string) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...(etag ? { etag } : {}) } });

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
