// "Redact" beside the ticket's title: the page's selection fills the box, the agent confirms, the form closes once
// the API took the text out (and stays with it when refused).
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RedactText, redactedLine, redactionNotice } from "../src/console/redact-text";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

function mount(onRedact: (text: string) => Promise<boolean>) {
  const host = document.body.appendChild(document.createElement("div"));
  const page = document.body.appendChild(document.createElement("p"));
  page.textContent = "My card 4111 1111 1111 1111 was charged twice.";
  render(<RedactText busy={false} onRedact={onRedact} />, host);
  return { host, page };
}

/** The box, once the form shows it. */
const opened = (host: HTMLElement) => vi.waitFor(() => {
  const box = host.querySelector<HTMLInputElement>("[data-testid=redact-text]");
  if (!box) throw new Error("not open");
  return box;
});

const submit = (host: HTMLElement) =>
  host.querySelector<HTMLFormElement>("form")!.dispatchEvent(new Event("submit", { cancelable: true }));

describe("redacting a text", () => {
  it("starts from the text selected on the page and closes once it is out", async () => {
    const asked: string[] = [];
    const { host, page } = mount(async (text) => { asked.push(text); return true; });
    const range = document.createRange();
    const node = page.firstChild!;
    range.setStart(node, 8);
    range.setEnd(node, 27);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    host.querySelector<HTMLButtonElement>("[data-testid=redact]")!.click();
    const box = await opened(host);
    expect(box.value).toBe("4111 1111 1111 1111");
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    submit(host);
    await vi.waitFor(() => expect(host.querySelector("[data-testid=redact]")).not.toBeNull());
    expect(asked).toEqual(["4111 1111 1111 1111"]);
    expect((confirm.mock.calls[0] as unknown[])[0]).toBe("Take “4111 1111 1111 1111” out of this ticket everywhere? This cannot be undone.");
  });

  it("sends nothing unconfirmed or too short, and stays open when the API refuses", async () => {
    const asked: string[] = [];
    const { host } = mount(async (text) => { asked.push(text); return false; });
    window.getSelection()!.removeAllRanges();
    host.querySelector<HTMLButtonElement>("[data-testid=redact]")!.click();
    const box = await opened(host);
    box.value = " a b ";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector<HTMLButtonElement>("[data-testid=redact-submit]")!.disabled).toBe(true));
    box.value = "hunter2";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector<HTMLButtonElement>("[data-testid=redact-submit]")!.disabled).toBe(false));
    let answer = false;
    vi.stubGlobal("confirm", () => answer);
    submit(host);
    expect(asked).toEqual([]);
    answer = true;
    submit(host);
    await vi.waitFor(() => expect(asked).toEqual(["hunter2"]));
    expect(host.querySelector("[data-testid=redact-text]")).not.toBeNull();
  });

  it("says what it did", () => {
    expect(redactionNotice({ ticket_id: "t", places: 1, events_redacted: 2, mails_deleted: 2, chat_messages: 0,
      draft_article_deleted: false })).toBe("Redacted 1 place; 2 original mails deleted.");
    expect(redactionNotice({ ticket_id: "t", places: 3, events_redacted: 1, mails_deleted: 0, chat_messages: 1,
      draft_article_deleted: false })).toBe("Redacted 3 places; 1 chat message redacted.");
  });
});

describe("the history of a redaction", () => {
  it("says how much, never what", () => {
    expect(redactedLine({ places: 1, mails_deleted: 1, files_deleted: 0 })).toBe("redacted text (1 place, 1 original mail deleted)");
    expect(redactedLine({ places: 3, mails_deleted: 0 })).toBe("redacted text (3 places)");
    expect(redactedLine({ places: 2, mails_deleted: 0, html_copies_deleted: 1, card_numbers: true }))
      .toBe("masked card numbers (2 places, 1 HTML copy deleted)");
    expect(redactedLine({ places: 0, mails_deleted: 2, files_deleted: 1 })).toBe("redacted a file, 2 original mails deleted");
    expect(redactionNotice({ ticket_id: "t", places: 0, events_redacted: 1, mails_deleted: 1, chat_messages: 0,
      draft_article_deleted: false, files_deleted: 1 })).toBe("Redacted the file; 1 original mail deleted.");
  });
});
