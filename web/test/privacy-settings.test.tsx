// The privacy settings on the console's Privacy screen: one document, so saving the card masking keeps the
// retention period and saving the retention period keeps the card masking.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { PrivacyRequests, settingsNotice } from "../src/console/privacy";

afterEach(() => {
  document.body.innerHTML = "";
});

function screen() {
  const saved: { body: unknown; ifMatch: string | null }[] = [];
  let stored = { retention_days: 30, mask_card_numbers: false };
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === "/privacy/settings" && init.method === "PUT") {
      stored = JSON.parse(String(init.body));
      saved.push({ body: stored, ifMatch: new Headers(init.headers).get("If-Match") });
      return Response.json(stored, { headers: { ETag: '"2"' } });
    }
    return Response.json(stored, { headers: { ETag: '"1"' } });
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<PrivacyRequests api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
  return { host, saved };
}

describe("the privacy settings", () => {
  it("masks card numbers without losing the retention period", async () => {
    const { host, saved } = screen();
    const box = await vi.waitFor(() => {
      const found = host.querySelector<HTMLInputElement>("[name=mask-card-numbers]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    expect(box.checked).toBe(false);
    expect(host.querySelector<HTMLInputElement>("[name=retention-days]")!.value).toBe("30");
    box.click();
    host.querySelector<HTMLButtonElement>("[data-testid=privacy-settings] button[type=submit]")!.click();
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ body: { retention_days: 30, mask_card_numbers: true }, ifMatch: '"1"' });
    await vi.waitFor(() => expect(host.querySelector("[data-testid=privacy-settings] [role=status]")!.textContent)
      .toContain("card numbers are masked as they are written"));
    expect(box.checked).toBe(true);
  });

  it("says what the settings do", () => {
    expect(settingsNotice({ retention_days: null, mask_card_numbers: false }))
      .toBe("Tickets keep their content; card numbers stay as written.");
    expect(settingsNotice({ retention_days: 7, mask_card_numbers: true }))
      .toBe("Closed tickets lose their content 7 days after closing; card numbers are masked as they are written.");
  });
});
