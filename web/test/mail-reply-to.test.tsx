// Whose ticket a contact form's mail is: the Mail screen's setting, on by default, saved with the mail settings.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { TicketEvent } from "../src/api/types";
import { MailAdmin } from "../src/console/mail";
import { SentBy } from "../src/console/ticket";

afterEach(() => {
  document.body.innerHTML = "";
});

type Saved = { reply_to_requester?: boolean; system_mail?: string };

function mailScreen(stored: Saved) {
  const puts: Saved[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === "/mail/settings" && init.method?.toUpperCase() === "PUT") {
      puts.push(JSON.parse(String(init.body)) as Saved);
      return Response.json(JSON.parse(String(init.body)), { headers: { etag: '"2"' } });
    }
    if (path === "/mail/settings") return Response.json({ from_name: "Support", ...stored }, { headers: { etag: '"1"' } });
    return Response.json(path === "/mail/quarantine" || path === "/mail/inbound" ? { items: [] } : []);
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<MailAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
  return { host, puts };
}

const checkbox = (host: HTMLElement) => vi.waitFor(() => {
  const found = host.querySelector<HTMLInputElement>("input[name=reply-to-requester]");
  if (!found) throw new Error("not loaded");
  return found;
});

describe("a contact form's mail", () => {
  it("is the Reply-To person's ticket unless the admin turns it off", async () => {
    const { host, puts } = mailScreen({});
    const box = await checkbox(host);
    expect(box.checked).toBe(true); // a tenant that never saved the setting has it on, as the API does
    expect(box.closest("label")!.textContent).toContain("contact form");
    box.checked = false;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector<HTMLInputElement>("input[name=reply-to-requester]")!.checked).toBe(false));
    host.querySelector<HTMLFormElement>("[data-testid=mail-settings]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.reply_to_requester).toBe(false);
  });

  it("shows the setting as saved", async () => {
    const { host } = mailScreen({ reply_to_requester: false });
    expect((await checkbox(host)).checked).toBe(false);
  });
});

describe("the ticket's header", () => {
  const created = (data: Record<string, unknown>) => [{ type: "created", data } as unknown as TicketEvent];

  it("names the address a mail sent for the requester came from", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<SentBy events={created({ from: "jana@customer.example", sent_by: "no-reply@shop.example" })} />, host);
    expect(host.querySelector("[data-testid=sent-by]")!.textContent).toBe(" · sent by no-reply@shop.example");
    render(<SentBy events={created({ from: "jana@customer.example" })} />, host);
    expect(host.querySelector("[data-testid=sent-by]")).toBeNull(); // the customer's own mail: nothing to say
  });
});

describe("mail a system generated", () => {
  it("is ignored unless the admin asks for tickets of it", async () => {
    const { host, puts } = mailScreen({});
    const select = await vi.waitFor(() => {
      const found = host.querySelector<HTMLSelectElement>("select[name=system-mail]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    expect(select.value).toBe("ignore");
    select.value = "ticket";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector<HTMLSelectElement>("select[name=system-mail]")!.value).toBe("ticket"));
    host.querySelector<HTMLFormElement>("[data-testid=mail-settings]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.system_mail).toBe("ticket");
  });
});
