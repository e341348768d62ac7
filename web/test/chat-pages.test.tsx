import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { HandoverPages } from "../src/console/ai-report";
import { ChatPages, visitedPages } from "../src/console/chat-pages";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the pages a chat visitor wrote from, on the ticket page", () => {
  it("show the latest with its host and the earlier ones on request; anything but an http(s) address is left out", () => {
    const ai = { conversation_id: "s1", pages: [
      { url: "https://www.acme.example/pricing", title: "Pricing — Acme" },
      { url: "javascript:alert(1)", title: "Click me" },
      { url: "https://", title: "Broken" },
      { url: "https://shop.acme.example/checkout", title: "" },
    ] };
    expect(visitedPages(ai).map((p) => p.url)).toEqual(["https://www.acme.example/pricing", "https://shop.acme.example/checkout"]);
    const host = document.body.appendChild(document.createElement("div"));
    render(<ChatPages ai={ai} />, host);
    const shown = host.querySelector<HTMLElement>("[data-testid=chat-pages]")!;
    const latest = shown.querySelector<HTMLAnchorElement>(":scope > a")!;
    expect(latest.href).toBe("https://shop.acme.example/checkout");
    expect(latest.textContent).toBe("https://shop.acme.example/checkout");  // no title: the address
    expect(latest.rel).toBe("noopener noreferrer");
    expect(shown.textContent).toContain("(shop.acme.example)");
    expect(shown.querySelector("summary")!.textContent).toBe("Pages before (1)");
    expect(shown.querySelector("details a")!.textContent).toBe("Pricing — Acme");
    expect(shown.innerHTML).not.toContain("javascript:");
  });

  it("are not shown for a ticket that did not come from the chat", () => {
    const host = document.body.appendChild(document.createElement("div"));
    for (const ai of [null, {}, { pages: "nope" }, { pages: [{ title: "no address" }] }]) {
      render(<ChatPages ai={ai} />, host);
      expect(host.querySelector("[data-testid=chat-pages]")).toBeNull();
    }
  });
});

describe("the AI report's pages chats were handed over from", () => {
  it("list each page's hand-overs with its host; an address that is not http(s) is left out", () => {
    const host = document.body.appendChild(document.createElement("div"));
    render(<HandoverPages pages={[
      { url: "https://www.acme.example/checkout", title: "Checkout", handed_over: 3 },
      { url: "https://", title: "Broken", handed_over: 2 },
      { url: "javascript:alert(1)", title: "Click", handed_over: 1 },
    ]} />, host);
    const rows = [...host.querySelectorAll("[data-testid=ai-handover-pages] tbody tr")];
    expect(rows.map((r) => r.textContent)).toEqual(["Checkout (www.acme.example)3"]);
    expect(host.innerHTML).not.toContain("javascript:");
    render(<HandoverPages pages={[]} />, host);
    expect(host.querySelector("[data-testid=ai-handover-pages]")).toBeNull();
  });
});
