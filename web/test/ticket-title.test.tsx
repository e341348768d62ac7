import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Ticket } from "../src/api/types";
import { describeEvent, fieldChanges, spamNotice } from "../src/console/ticket";
import { subjectLine, TicketTitle } from "../src/console/ticket-title";

const ticket = { id: "t1", number: "T-000007", subject: "HELP!!!" } as unknown as Ticket;

afterEach(() => {
  document.body.innerHTML = "";
});

/** The subject field once the editor shows it (waitFor retries only a callback that throws). */
const subjectInput = (host: HTMLElement) => vi.waitFor(() => {
  const input = host.querySelector<HTMLInputElement>("[data-testid=subject-input]");
  if (!input) throw new Error("no subject field yet");
  return input;
});

/** Types into the field and lets Preact render what was typed (its updates are batched). */
async function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("renaming a ticket", () => {
  it("sends one line, closes when saved and stays open beside an error", async () => {
    const onRename = vi.fn(async (_subject: string) => onRename.mock.calls.length > 1);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketTitle ticket={ticket} busy={false} onRename={onRename} />, host);
    host.querySelector<HTMLButtonElement>("[data-testid=rename]")!.click();
    const input = await subjectInput(host);
    expect(input.value).toBe("HELP!!!");
    await type(input, "  Password reset\n loops ");
    host.querySelector<HTMLButtonElement>("[data-testid=save-subject]")!.click();
    await vi.waitFor(() => expect(onRename).toHaveBeenCalledWith("Password reset loops"));
    expect(host.querySelector("[data-testid=subject-input]")).not.toBeNull(); // refused: the text is kept
    host.querySelector<HTMLButtonElement>("[data-testid=save-subject]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=subject-input]")).toBeNull());
    expect(onRename).toHaveBeenCalledTimes(2);
  });

  it("sends nothing for a blank or unchanged subject, and Escape leaves it as it was", async () => {
    const onRename = vi.fn(async () => true);
    const host = document.body.appendChild(document.createElement("div"));
    render(<TicketTitle ticket={ticket} busy={false} onRename={onRename} />, host);
    host.querySelector<HTMLButtonElement>("[data-testid=rename]")!.click();
    const input = await subjectInput(host);
    await type(input, "   ");
    await vi.waitFor(() => expect(host.querySelector<HTMLButtonElement>("[data-testid=save-subject]")!.disabled).toBe(true));
    await type(input, " HELP!!! ");
    await vi.waitFor(() => expect(host.querySelector<HTMLButtonElement>("[data-testid=save-subject]")!.disabled).toBe(false));
    host.querySelector<HTMLButtonElement>("[data-testid=save-subject]")!.click();
    await vi.waitFor(() => expect(host.querySelector("[data-testid=subject-input]")).toBeNull());
    host.querySelector<HTMLButtonElement>("[data-testid=rename]")!.click();
    const again = await subjectInput(host);
    again.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await vi.waitFor(() => expect(host.querySelector("[data-testid=subject-input]")).toBeNull());
    expect(onRename).not.toHaveBeenCalled();
  });

  it("reads the history line and cleans as the API does", () => {
    expect(subjectLine(" a\t b \n")).toBe("a b");
    const e = { ticket_id: "t1", tenant_id: "acme", seq: 3, type: "subject_changed", actor: "ada", at: "2026-01-01T00:00:00Z",
      data: { from: "HELP!!!", to: "Password reset loops" }, internal: true } as unknown as Parameters<typeof describeEvent>[0];
    expect(describeEvent(e)).toBe("renamed: “HELP!!!” → “Password reset loops”");
    expect(describeEvent({ ...e, type: "status_changed", data: { from: "new", to: "closed", reason: "spam" } } as typeof e))
      .toBe("status: new → closed (spam)");
    // the history names the custom fields a change touched (it said "fields changed")
    expect(fieldChanges({ plan: "pro", order: "991", seats: 4 }, { plan: "enterprise", seats: 4, urgent: true }))
      .toBe("order: 991 → —; plan: pro → enterprise; urgent: — → true");
  });
});

describe("marking a ticket as spam", () => {
  it("says which address was blocked, or that a teammate's was left alone", () => {
    expect(spamNotice("promo@prizes.example", null)).toContain("Mail from promo@prizes.example is blocked");
    expect(spamNotice(null, "sam@acme.example")).toBe("Closed as spam. sam@acme.example is a teammate's address, so their mail is not blocked.");
    expect(spamNotice(null, undefined)).toBe("Closed as spam.");
  });
});
