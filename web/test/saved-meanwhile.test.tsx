import { render, type ComponentChild } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { MailAdmin } from "../src/console/mail";
import { PrivacyRequests } from "../src/console/privacy";
import { json } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

type Screen = { name: string; path: string; form: string; document: Record<string, unknown>; saved: string;
  show: (api: ApiClient) => ComponentChild };
const SCREENS: Screen[] = [
  { name: "mail settings", path: "/mail/settings", form: "mail-settings", document: { from_name: "Acme Support" },
    saved: "Mail settings saved", show: (api) => <MailAdmin api={api} /> },
  { name: "the privacy settings", path: "/privacy/settings", form: "privacy-settings",
    document: { retention_days: 30, mask_card_numbers: true },
    saved: "Closed tickets lose their content 30 days after closing", show: (api) => <PrivacyRequests api={api} /> },
];

describe("a settings form another admin saved meanwhile", () => {
  it.each(SCREENS)("$name: the save names the version read, and a refused one offers to reload", async (screen) => {
    const ifMatches: (string | null)[] = [];
    let version = 3;
    let refuse = true;
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === screen.path && init.method?.toUpperCase() === "PUT") {
        ifMatches.push(new Headers(init.headers).get("if-match"));
        if (refuse) return json({ error: { code: "concurrent_update", message: "it changed since it was read", details: null } }, 409);
        version += 1;
        return json(screen.document, 200, `"${version}"`);
      }
      if (path === screen.path) return json(screen.document, 200, `"${version}"`);
      return json(path === "/mail/quarantine" || path === "/mail/inbound" ? { items: [] } : []);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(screen.show(new ApiClient({ baseUrl: "https://api.example", fetch })), host);
    const form = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFormElement>(`[data-testid=${screen.form}]`);
      if (!found) throw new Error("not loaded");
      return found;
    });
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    const conflict = await vi.waitFor(() => {
      const found = form.querySelector("[data-testid=saved-meanwhile]");
      if (!found) throw new Error("no notice yet");
      return found;
    });
    expect(conflict.textContent).toContain("Another admin saved");
    expect(ifMatches).toEqual(['"3"']);

    version = 5; // what the other admin saved
    refuse = false;
    conflict.querySelector("button")!.click();
    await vi.waitFor(() => expect(form.querySelector("[data-testid=saved-meanwhile]")).toBeNull());
    await new Promise((r) => setTimeout(r, 20));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(form.textContent).toContain(screen.saved));
    expect(ifMatches).toEqual(['"3"', '"5"']);
  });
});
