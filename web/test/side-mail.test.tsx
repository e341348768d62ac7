// Side conversations on the ticket page: the addresses typed are read as mail clients read them, a mailed note says
// to whom it went, and an answer from outside the ticket says who wrote and offers to answer them.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TicketEvent } from "../src/api/types";
import { parseAddresses, SideConversations, sideConversations, SideMailBadges, SideMailInput } from "../src/console/side-mail";

afterEach(() => { document.body.innerHTML = ""; });

function mount(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement("div");
  document.body.append(root);
  render(node, root);
  return root;
}

describe("side conversations", () => {
  it("reads addresses separated by commas, semicolons, spaces or in angle brackets, each once", () => {
    expect(parseAddresses(" Orders@Supplier.example; <ops@warehouse.example>,orders@supplier.example\n")).toEqual(
      ["orders@supplier.example", "ops@warehouse.example"]);
    expect(parseAddresses(" , ")).toEqual([]);
  });

  it("says to whom a note was mailed", () => {
    const root = mount(<SideMailBadges data={{ mail_to: ["orders@supplier.example"] }} />);
    expect(root.textContent).toBe("mailed to orders@supplier.example");
  });

  it("names the sender of an answer and answers them", () => {
    const onAnswer = vi.fn();
    const root = mount(<SideMailBadges data={{ side_reply: true, from: "orders@supplier.example" }} onAnswer={onAnswer} />);
    expect(root.textContent).toContain("by mail from orders@supplier.example");
    root.querySelector<HTMLButtonElement>("[data-testid=side-mail-answer]")!.click();
    expect(onAnswer).toHaveBeenCalledWith("orders@supplier.example");
  });

  it("shows nothing on an ordinary note", () => {
    const root = mount(<SideMailBadges data={{ body: "checked the logs", from: "x@y.example" }} />);
    expect(root.textContent).toBe("");
  });

  it("explains where the note goes once an address is typed", () => {
    const empty = mount(<SideMailInput value="" onChange={() => undefined} />);
    expect(empty.querySelector("[data-testid=side-mail-hint]")).toBeNull();
    const typed = mount(<SideMailInput value="orders@supplier.example" onChange={() => undefined} />);
    expect(typed.querySelector("[data-testid=side-mail-hint]")?.textContent).toContain("The customer sees none of it");
  });
});

describe("the ticket's side contacts", () => {
  it("are offered one click away, each added once, those typed already not offered", () => {
    const onChange = vi.fn();
    const contacts = ["orders@supplier.example", "desk@warehouse.example"];
    const root = mount(<SideMailInput value="Desk@Warehouse.example" onChange={onChange} contacts={contacts} />);
    const offered = [...root.querySelectorAll<HTMLButtonElement>("[data-testid=side-mail-contacts] button")];
    expect(offered.map((b) => b.textContent)).toEqual(["orders@supplier.example"]);
    offered[0]!.click();
    expect(onChange).toHaveBeenCalledWith("desk@warehouse.example, orders@supplier.example");
    const none = mount(<SideMailInput value="" onChange={onChange} />);
    expect(none.querySelector("[data-testid=side-mail-contacts]")).toBeNull();
  });
});

function note(seq: number, at: string, data: Record<string, unknown>): TicketEvent {
  return { ticket_id: "t1", seq, type: "internal_note", actor: "a1", at, data } as unknown as TicketEvent;
}

describe("the side conversations panel", () => {
  const events = [
    note(1, "2026-12-04T09:00:00Z", { body: "rollers in stock?", mail_to: ["orders@supplier.example"] }),
    note(2, "2026-12-04T10:00:00Z", { body: "Yes", side_reply: true, from: "Orders@Supplier.example" }),
    note(3, "2026-12-04T11:00:00Z", { body: "can you pick up?", mail_to: ["desk@warehouse.example"] }),
    note(4, "2026-12-04T11:30:00Z", { body: "checked the logs" }),
  ];

  it("reads one conversation per address from the notes, the latest first", () => {
    expect(sideConversations(events)).toEqual([
      { address: "desk@warehouse.example", mailed: 1, lastMailedAt: "2026-12-04T11:00:00Z", lastAnswerAt: null },
      { address: "orders@supplier.example", mailed: 1, lastMailedAt: "2026-12-04T09:00:00Z",
        lastAnswerAt: "2026-12-04T10:00:00Z" },
    ]);
    expect(sideConversations([events[3]!])).toEqual([]);
    // a contact since erased: their address reads "[erased]", their answer names nobody
    expect(sideConversations([note(5, "2026-12-04T12:00:00Z", { mail_to: ["[erased]"] }),
      note(6, "2026-12-04T12:10:00Z", { side_reply: true, from: null, body: "[erased]" })])).toEqual([]);
  });

  it("says whom the team waits for and who answered, and writes to them again", () => {
    const onWrite = vi.fn();
    const root = mount(<SideConversations events={events} onWrite={onWrite} nowMs={Date.parse("2026-12-04T12:00:00Z")} />);
    const rows = [...root.querySelectorAll("[data-testid=side-conversation]")].map((li) => li.textContent);
    expect(rows[0]).toContain("desk@warehouse.example waiting for an answer, mailed 1 h ago");
    expect(rows[1]).toContain("orders@supplier.example answered 2 h ago");
    root.querySelector<HTMLButtonElement>("[data-testid=side-conversation-write]")!.click();
    expect(onWrite).toHaveBeenCalledWith("desk@warehouse.example");
    expect(mount(<SideConversations events={[events[3]!]} />).textContent).toBe("");
  });
});

describe("on hold", () => {
  it("reads as words in the console", async () => {
    const { statusText } = await import("../src/shared/format");
    expect(statusText("on_hold")).toBe("on hold");
    expect(statusText("pending")).toBe("pending");
  });
});
