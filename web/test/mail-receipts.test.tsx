// The receipt of a new mail ticket on the Mail screen: a text per language, saved with the mail settings.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { MailAdmin } from "../src/console/mail";
import { previewReceipt } from "../src/console/mail-receipts";

afterEach(() => {
  document.body.innerHTML = "";
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the receipt in the team's words", () => {
  it("is written per language and saved with the mail settings", async () => {
    const puts: { receipts?: Record<string, string> }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === "/mail/settings" && init.method?.toUpperCase() === "PUT") {
        puts.push(JSON.parse(String(init.body)) as { receipts?: Record<string, string> });
        return Response.json(JSON.parse(String(init.body)), { headers: { etag: '"2"' } });
      }
      if (path === "/mail/settings") {
        return Response.json({ from_name: "Support", acknowledge_new: true, receipts: { en: "Ticket {number} is with us." } },
          { headers: { etag: '"1"' } });
      }
      return Response.json(path === "/mail/quarantine" || path === "/mail/inbound" ? { items: [] } : []);
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<MailAdmin api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const receipts = await vi.waitFor(() => {
      const found = host.querySelector<HTMLFieldSetElement>("[data-testid=receipts]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    const text = () => receipts.querySelector<HTMLTextAreaElement>("textarea[name=receipt-text]")!;
    expect(text().value).toBe("Ticket {number} is with us.");
    expect(receipts.querySelector("option[value=en]")!.textContent).toBe("English (written)");

    const language = receipts.querySelector<HTMLSelectElement>("select[name=receipt-language]")!;
    language.value = "de";
    language.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(text().value).toBe("");
    expect(receipts.textContent).toContain("Blank: the English text, else the built-in receipt");
    text().value = "Hallo {name}, Ihr Ticket {number} ist bei uns.";
    text().dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    host.querySelector<HTMLFormElement>("[data-testid=mail-settings]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]!.receipts).toEqual({ en: "Ticket {number} is with us.", de: "Hallo {name}, Ihr Ticket {number} ist bei uns." });
    expect(receipts.querySelector("[data-testid=receipt-preview]")!.textContent)
      .toContain("Hallo Dana Example, Ihr Ticket T-000123 ist bei uns.");
  });

  it("previews as the API renders, and says what the API would refuse", () => {
    expect(previewReceipt("Hi {name}, {number} ({subject}). Call {{0800}}.")).toEqual(
      { text: "Hi Dana Example, T-000123 (Printer jammed). Call {0800}." });
    expect(previewReceipt("Ticket {number.__class__}")).toEqual(
      { error: "unknown placeholder {number.__class__}: use {number}, {subject}, {name}" });
    expect("error" in previewReceipt("Unclosed {number")).toBe(true);
    expect("error" in previewReceipt("Stray } brace")).toBe(true);
  });
});
