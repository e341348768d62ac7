// The quarantine on the Mail screen: "Let in" for held mail an admin may overrule, the ticket it went to once delivered.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { Quarantine, READ_AGAIN_MS } from "../src/console/mail-quarantine";

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = "";
});

const held = (id: string, reason: string, more: Record<string, unknown> = {}) => ({
  delivery_id: id, tenant_id: "acme", reason, raw_key: `inbound/${id}`, sender: "dana@customer.example",
  subject: `Held as ${reason}`, received_at: "2026-12-07T09:00:00Z", deliverable: !("resolution" in more) && reason !== "virus",
  ...more,
});
const delivered = { status: "created", ticket_id: "t9", ticket_number: "T-000009", admitted_by: "ada" };

function screen(deliverNow: boolean) {
  const calls: string[] = [];
  let list = [held("d-spam", "spam"), held("d-virus", "virus"),
    held("d-old", "automatic", { resolution: delivered, details: { why: "auto-submitted: auto-generated" } })];
  const fetch = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    calls.push(`${init.method ?? "GET"} ${path}`);
    if (path === "/mail/quarantine/d-spam/deliver") {
      const after = deliverNow ? held("d-spam", "spam", { resolution: delivered }) : held("d-spam", "spam");
      list = list.map((x) => (x.delivery_id === "d-spam" ? held("d-spam", "spam", { resolution: delivered }) : x));
      return Response.json(after, { status: 202 });
    }
    return Response.json({ items: list });
  }) as unknown as typeof globalThis.fetch;
  const host = document.body.appendChild(document.createElement("div"));
  render(<Quarantine api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
  return { host, calls };
}

const rows = (host: HTMLElement) => vi.waitFor(() => {
  const found = [...host.querySelectorAll<HTMLTableRowElement>("[data-testid=held-mail]")];
  if (found.length !== 3) throw new Error("not loaded");
  return found;
});

describe("the quarantine", () => {
  it("lets in what an admin may overrule and links the ticket it went to", async () => {
    const { host, calls } = screen(true);
    const [spam, virus, old] = await rows(host);
    expect(virus!.querySelector("button")).toBeNull(); // a virus stays held
    expect(old!.querySelector("[data-testid=held-mail-ticket]")!.getAttribute("href")).toBe("#/t/t9");
    expect(old!.querySelector("[data-label=Reason]")!.textContent).toBe("automatic (auto-submitted: auto-generated)");
    const button = spam!.querySelector("button")!;
    expect(button.textContent).toBe("Let in the mail from dana@customer.example: Held as spam");
    button.click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail-ticket]")).toHaveLength(2));
    expect(calls).toContain("POST /mail/quarantine/d-spam/deliver");
    expect(host.querySelector("[role=status]")!.textContent).toBe("The mail from dana@customer.example was let in");
  });

  it("reads the list again when the mail is delivered in the background (AWS)", async () => {
    const { host, calls } = screen(false);
    const [spam] = await rows(host);
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    spam!.querySelector("button")!.click();
    await vi.waitFor(() => expect(host.querySelector("[role=status]")!.textContent).toBe(
      "The mail from dana@customer.example is being delivered"));
    expect(host.querySelectorAll("[data-testid=held-mail-ticket]")).toHaveLength(1);
    vi.advanceTimersByTime(READ_AGAIN_MS);
    vi.useRealTimers();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail-ticket]")).toHaveLength(2));
    expect(calls.filter((c) => c === "GET /mail/quarantine")).toHaveLength(2);
  });
});

describe("a long quarantine", () => {
  it("pages on to older mail", async () => {
    const asked: string[] = [];
    const fetch = (async (url: string) => {
      const query = new URL(url).searchParams;
      asked.push(query.get("cursor") ?? "first");
      return query.get("cursor") === "c2"
        ? Response.json({ items: [held("d-old-spam", "spam")], next_cursor: null })
        : Response.json({ items: [held("d-oof", "automatic")], next_cursor: "c2" });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Quarantine api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const older = await vi.waitFor(() => {
      const found = host.querySelector<HTMLButtonElement>("[data-testid=older-held-mail]");
      if (!found) throw new Error("not loaded");
      return found;
    });
    older.click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail]")).toHaveLength(2));
    expect(asked).toEqual(["first", "c2"]);
    expect(host.querySelector("[data-testid=older-held-mail]")).toBeNull(); // the last page
  });
});

describe("finding a held mail", () => {
  it("searches by the words typed, and searches older mail while the newest read holds none", async () => {
    const asked: string[] = [];
    const fetch = (async (url: string) => {
      const query = new URL(url).searchParams;
      asked.push(`${query.get("q") ?? ""}|${query.get("cursor") ?? ""}`);
      if (!query.get("q")) return Response.json({ items: [held("d-oof", "automatic")], next_cursor: null });
      return query.get("cursor") === "c2"
        ? Response.json({ items: [held("d-dana", "spam")], next_cursor: null })
        : Response.json({ items: [], next_cursor: "c2" });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Quarantine api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail]")).toHaveLength(1));
    const box = host.querySelector<HTMLInputElement>("[data-testid=held-mail-search]")!;
    box.value = "  dana invoice ";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    host.querySelector<HTMLFormElement>("form[role=search]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.textContent).toContain(
      "No held mail matches “dana invoice” in the newest mail read; search older mail below."));
    const older = host.querySelector<HTMLButtonElement>("[data-testid=older-held-mail]")!;
    expect(older.textContent).toBe("Search older mail");
    older.click();
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail]")).toHaveLength(1));
    expect(host.querySelector("[data-testid=held-mail] .card-title")!.textContent).toBe("Held as spam");
    expect(asked).toEqual(["|", "dana invoice|", "dana invoice|c2"]);
    expect(host.querySelector("[data-testid=older-held-mail]")).toBeNull();
    box.value = "";  // the box's ×: the whole quarantine again
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=held-mail] .card-title")!.textContent).toBe("Held as automatic"));
    expect(asked.at(-1)).toBe("|");
  });

  it("shows the search's answer when the first read answers after it (a slow first page)", async () => {
    let answerFirst: (() => void) | null = null;
    const fetch = (async (url: string) => {
      if (!new URL(url).searchParams.get("q")) {  // the whole quarantine, answering late
        await new Promise<void>((resolve) => { answerFirst = resolve; });
        return Response.json({ items: [held("d-oof", "automatic"), held("d-alert", "automatic")], next_cursor: null });
      }
      return Response.json({ items: [held("d-alert", "automatic", { subject: "CRITICAL: disk full" })], next_cursor: null });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Quarantine api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    await vi.waitFor(() => expect(answerFirst).not.toBeNull()); // the first page asked for, not answered yet
    const box = host.querySelector<HTMLInputElement>("[data-testid=held-mail-search]")!;
    box.value = "disk";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    host.querySelector<HTMLFormElement>("form[role=search]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(host.querySelectorAll("[data-testid=held-mail]")).toHaveLength(1));
    answerFirst!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rows = host.querySelectorAll("[data-testid=held-mail]");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.querySelector(".card-title")!.textContent).toBe("CRITICAL: disk full");
  });

  it("reads again, after a mail let in, the search shown by then", async () => {
    const asked: string[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      const parsed = new URL(url);
      if (init.method === "POST") return Response.json(held("d-spam", "spam"), { status: 202 });
      asked.push(parsed.searchParams.get("q") ?? "");
      return Response.json({ items: [held("d-spam", "spam")], next_cursor: null });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Quarantine api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    const [spam] = await vi.waitFor(() => {
      const found = [...host.querySelectorAll<HTMLTableRowElement>("[data-testid=held-mail]")];
      if (!found.length) throw new Error("not loaded");
      return found;
    });
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    spam!.querySelector("button")!.click();
    await vi.waitFor(() => expect(host.querySelector("[role=status]")!.textContent).toContain("is being delivered"));
    const box = host.querySelector<HTMLInputElement>("[data-testid=held-mail-search]")!;
    box.value = "dana";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    host.querySelector<HTMLFormElement>("form[role=search]")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(asked).toEqual(["", "dana"]));
    vi.advanceTimersByTime(READ_AGAIN_MS);
    vi.useRealTimers();
    await vi.waitFor(() => expect(asked).toEqual(["", "dana", "dana"]));
  });
});
