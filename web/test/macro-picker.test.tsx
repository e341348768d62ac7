// The ticket page's macro picker previews what a macro would write as the ticket will show it: a macro written in
// Markdown (the Macros screen writes them so) formatted, one saved as text before as typed.
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket } from "../src/api/types";
import { MacroPicker } from "../src/console/macros";
import { json, shown } from "./helpers";

const at = "2026-01-01T00:00:00Z";
const TICKET = {
  id: "t1", number: "T-000001", subject: "Refund", description: "Where is it?", status: "open", priority: "normal",
  channel: "web", requester: { id: "c1", email: "dana@example.com", name: "Dana", email_verified: true },
  requester_key: "email:dana@example.com", assignee_id: null, group: null, tags: [], custom_fields: {},
  participants: [], followers: [], links: [], version: 3, created_at: at, updated_at: at,
} as unknown as Ticket;

function pickerApi(format: "text" | "markdown"): ApiClient {
  const fetch = (async (url: string) => {
    const path = new URL(url).pathname;
    if (path === "/macros") {
      return json([{ id: "m1", name: "Refund sent", description: "", scope: "tenant", group: null, owner_id: null,
        version: 1, actions: { reply: "Hi **Dana**", note: "*checked*", format } }]);
    }
    if (path === "/tickets/t1/macros/m1/apply") {
      return json({ dry_run: true, macro_id: "m1", reply: "Hi **Dana**", note: "*checked*", format, ticket: TICKET, events: [] });
    }
    return json({ error: { code: "not_found", message: path } }, 404);
  }) as unknown as typeof globalThis.fetch;
  return new ApiClient({ baseUrl: "https://api.example", fetch });
}

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) render(null, host);
  document.body.innerHTML = "";
});

async function preview(format: "text" | "markdown"): Promise<HTMLElement> {
  const host = document.body.appendChild(document.createElement("div"));
  hosts.push(host);
  render(<MacroPicker api={pickerApi(format)} ticket={TICKET} etag={'"3"'} onApplied={async () => {}} />, host);
  const select = await shown<HTMLSelectElement>(host, "select");
  await shown(host, "option[value=m1]");
  select.value = "m1";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  return shown(host, "[data-testid=macro-preview]");
}

describe("the macro picker's preview", () => {
  it("shows a macro written in Markdown formatted", async () => {
    const shownPreview = await preview("markdown");
    expect((await shown(shownPreview, "[data-testid=macro-reply] strong")).textContent).toBe("Dana");
    expect(shownPreview.querySelector("[data-testid=macro-note] em")?.textContent).toBe("checked");
  });

  it("shows a macro saved as text as typed", async () => {
    const shownPreview = await preview("text");
    expect((await shown(shownPreview, "[data-testid=macro-reply]")).textContent).toBe("Hi **Dana**");
    expect(shownPreview.querySelector("strong")).toBeNull();
  });
});
