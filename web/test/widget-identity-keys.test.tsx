import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { WidgetIdentityKeys } from "../src/console/widget-identity-keys";

afterEach(() => {
  document.body.innerHTML = "";
});

const json = (body: unknown, status = 200) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("the widget's identity keys on the Integrations screen", () => {
  it("create a key whose secret shows once with how to sign, at most two, and delete one after a second click", async () => {
    let keys: { kid: string; created_at: string; created_by: string }[] = [];
    const calls: string[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const method = (init.method ?? "GET").toUpperCase();
      const path = new URL(url).pathname;
      calls.push(`${method} ${path}`);
      if (method === "POST") {
        const key = { kid: `k${keys.length + 1}0000000000000`, created_at: "2026-12-04T10:00:00+00:00", created_by: "root" };
        keys = [...keys, key];
        return json({ key, secret: `secret-of-${key.kid}` }, 201);
      }
      if (method === "DELETE") {
        keys = keys.filter((k) => !path.endsWith(k.kid));
        return json(null, 204);
      }
      return json(keys);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<WidgetIdentityKeys api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const button = (text: string) => [...host.querySelectorAll("button")].find((b) => b.textContent === text)!;
    await vi.waitFor(() => expect(host.textContent).toContain("No keys: every chat is anonymous."));

    button("Create identity key").click();
    const secret = await vi.waitFor(() => {
      const box = host.querySelector<HTMLElement>("[data-testid=identity-secret]");
      if (!box) throw new Error("no secret yet");
      return box;
    });
    expect(secret.querySelector<HTMLInputElement>("[name=identity-secret-value]")!.value).toBe("secret-of-k10000000000000");
    expect(secret.querySelector<HTMLInputElement>("[name=identity-example]")!.value).toContain('keyid: "k10000000000000"');
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=widget-identity-key]").length).toBe(1));
    button("I have stored it").click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=identity-secret]")).toBeNull());  // not shown again

    button("Create identity key").click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=widget-identity-key]").length).toBe(2));
    expect(button("Create identity key").disabled).toBe(true);  // two at most

    host.querySelector<HTMLButtonElement>("[aria-label='Delete key k10000000000000']")!.click();
    await vi.waitFor(() => expect(button("Delete key k10000000000000")).toBeTruthy());
    expect(calls.filter((c) => c.startsWith("DELETE"))).toEqual([]);  // one click asks again
    button("Delete key k10000000000000").click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=widget-identity-key]").length).toBe(1));
    expect(calls.filter((c) => c.startsWith("DELETE"))).toEqual(["DELETE /widget-identity-keys/k10000000000000"]);
    expect(host.textContent).toContain("tokens signed with it are refused");
  });
});
