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
  const masking: unknown[] = [];
  let stored = { retention_days: 30, mask_card_numbers: false };
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === "/privacy/card-masking") {
      const { cursor } = JSON.parse(String(init.body)) as { cursor: string | null };
      masking.push(cursor);
      const page = { tickets_read: 25, tickets_masked: cursor ? 1 : 2, places: cursor ? 1 : 3, events_rewritten: 3,
        html_copies_deleted: 0, chat_messages: 0, next_cursor: cursor ? null : "page-2" };
      return Response.json(page);
    }
    if (path === "/privacy/settings" && init.method === "PUT") {
      stored = JSON.parse(String(init.body));
      saved.push({ body: stored, ifMatch: new Headers(init.headers).get("If-Match") });
      return Response.json(stored, { headers: { ETag: '"2"' } });
    }
    return Response.json(stored, { headers: { ETag: '"1"' } });
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<PrivacyRequests api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
  return { host, saved, masking };
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

  it("masks the card numbers already written, page after page, after asking", async () => {
    const { host, masking } = screen();
    const find = (id: string) => vi.waitFor(() => {
      const found = host.querySelector<HTMLButtonElement>(`[data-testid=${id}]`);
      if (!found) throw new Error(`no ${id}`);
      return found;
    });
    (await find("written-cards-start")).click();
    (await find("written-cards-confirm")).nextElementSibling!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await find("written-cards-start");
    expect(masking).toEqual([]); // "Keep them" masks nothing
    (await find("written-cards-start")).click();
    (await find("written-cards-confirm")).click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=written-cards] [role=status]")!.textContent)
      .toBe("Done: 50 tickets read, card numbers masked in 3 (4 places)."));
    expect(masking).toEqual([null, "page-2"]);
  });

  it("says what the settings do", () => {
    expect(settingsNotice({ retention_days: null, mask_card_numbers: false }))
      .toBe("Tickets keep their content; card numbers stay as written.");
    expect(settingsNotice({ retention_days: 7, mask_card_numbers: true }))
      .toBe("Closed tickets lose their content 7 days after closing; card numbers are masked as they are written.");
  });
});
