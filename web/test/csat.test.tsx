import { render } from "preact";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { describeEvent } from "../src/console/ticket";
import { CsatPage, csatRoute } from "../src/portal/csat";

// Wait for what the page shows, not a fixed number of ticks (a loaded machine is slower to render the response).
const shown = (host: HTMLElement, selector: string) =>
  vi.waitFor(() => expect(host.querySelector(selector)).not.toBeNull(), { timeout: 2000 });

function fakeApi(status: number, body: unknown, calls: { method: string; url: string; body?: string }[]) {
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ method: String(init.method), url, body: init.body as string | undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as unknown as typeof globalThis.fetch;
  return new ApiClient({ baseUrl: "https://api.example", fetch });
}

describe("CSAT rating link", () => {
  it("reads the token and the clicked rating from the portal's hash route", () => {
    expect(csatRoute("#/csat/aa.bb-cc_dd?rating=good")).toEqual({ token: "aa.bb-cc_dd", rating: "good", lang: "en" });
    expect(csatRoute("#/csat/aa.bb.cc")).toEqual({ token: "aa.bb.cc", rating: null, lang: "en" });
    expect(csatRoute("#/csat/aa.bb.cc?rating=great&lang=xx")).toEqual({ token: "aa.bb.cc", rating: null, lang: "en" });
    expect(csatRoute("#/csat/aa.bb.cc?rating=bad&lang=de")).toEqual({ token: "aa.bb.cc", rating: "bad", lang: "de" });
    expect(csatRoute("#/t/123")).toBeNull();
    expect(csatRoute("#/csat/<script>")).toBeNull();
  });

  it("rates at once when the mail's button was clicked, without a token header", async () => {
    const calls: { method: string; url: string; body?: string }[] = [];
    const api = fakeApi(200, { ticket: "T-000001", subject: "Printer jams", rating: "good", comment: null,
                               rated_at: "2026-12-01T10:00:00Z", expires_at: null }, calls);
    const host = document.createElement("div");
    render(<CsatPage api={api} token="aa.bb.cc" rating="good" />, host);
    await shown(host, '[data-testid="csat-thanks"]');
    expect(calls).toEqual([{ method: "POST", url: "https://api.example/csat/aa.bb.cc", body: '{"rating":"good"}' }]);
    expect(host.querySelector('[data-testid="csat-thanks"]')?.textContent).toContain("you rated this good");
    expect(host.textContent).toContain("Printer jams");
  });

  it("speaks the language of the mail that linked to it", async () => {
    const api = fakeApi(200, { ticket: "T-000001", subject: "Rechnung ist falsch", rating: "bad", comment: null,
                               rated_at: "2026-12-01T10:00:00Z", expires_at: null }, []);
    const host = document.createElement("div");
    render(<CsatPage api={api} token="aa.bb.cc" rating="bad" lang="de" />, host);
    await shown(host, '[data-testid="csat-thanks"]');
    expect(host.querySelector("h1")?.textContent).toBe("Wie zufrieden waren Sie?");
    expect(host.querySelector('[data-testid="csat-thanks"]')?.textContent).toMatch(/^Vielen Dank! Ihre Bewertung: schlecht \(/);
    expect(host.querySelector('[data-testid="csat-good"]')?.textContent).toBe("Gut");
    expect(host.querySelector("main")?.getAttribute("lang")).toBe("de");
  });

  it("says an expired link has expired", async () => {
    const api = fakeApi(410, { error: { code: "gone", message: "the rating link has expired" } }, []);
    const host = document.createElement("div");
    render(<CsatPage api={api} token="aa.bb.cc" rating={null} />, host);
    await shown(host, '[role="alert"]');
    expect(host.querySelector('[role="alert"]')?.textContent).toBe("This rating link has expired.");
  });

  it("shows a rating in the console's ticket history", () => {
    const event = { seq: 9, type: "csat_rated", actor: "cy", at: "2026-12-01T10:00:00Z",
                    data: { rating: "bad", comment: "slow", previous: "good" } };
    expect(describeEvent(event)).toBe("rated the help bad: “slow” (was good)");
  });
});
