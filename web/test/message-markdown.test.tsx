// A message an agent wrote in Markdown (`data.format: "markdown"`), shown as the customer's mail shows it
// (helpdesk.mail.html_part): CommonMark, line breaks kept, no raw HTML, no pictures, links to http(s)/mailto only
// and opened in a new tab, bare addresses linked. A message written as text reads as written.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Ticket, TicketEvent } from "../src/api/types";
import { PortalTicket } from "../src/portal/tickets";
import { Markdown, MessageMarkdown } from "../src/shared/markdown";
import { MessageBody } from "../src/shared/transcript";
import { json, portalMount, shown } from "./helpers";

const WORDS = { user: "Customer", assistant: "Assistant", earlierCut: "Earlier messages were cut." };

const hosts: HTMLElement[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) render(null, host);
});

function shownAs(source: string): HTMLElement {
  const host = document.createElement("div");
  hosts.push(host);
  render(<MessageMarkdown source={source} />, host);
  return host;
}

const hrefs = (host: HTMLElement) => [...host.querySelectorAll("a")].map((a) => a.getAttribute("href"));

describe("a message's Markdown", () => {
  it("keeps its line breaks, and reads lists, emphasis, quotes and code", () => {
    const host = shownAs([
      "Hi Dana,", "thanks for the log.", "",
      "- **Open** the export", "- pick *CSV*", "",
      "1. one", "2. two", "",
      "> your message", "",
      "Run `export --all`:", "", "```", "export --all", "```",
    ].join("\n"));
    expect(host.querySelector("p")!.innerHTML).toBe("Hi Dana,<br>thanks for the log.");
    expect([...host.querySelectorAll("ul > li")].map((li) => li.textContent)).toEqual(["Open the export", "pick CSV"]);
    expect(host.querySelector("ul strong")?.textContent).toBe("Open");
    expect(host.querySelector("ul em")?.textContent).toBe("CSV");
    expect([...host.querySelectorAll("ol > li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(host.querySelector("blockquote")?.textContent).toBe("your message");
    expect(host.querySelector("p code")?.textContent).toBe("export --all");
    expect(host.querySelector("pre code")?.textContent).toBe("export --all");
  });

  it("makes no picture: an image is \"!\" and a link, as in the mail", () => {
    const host = shownAs("See ![the logo](https://cdn.example.com/logo.png)");
    expect(host.querySelector("img")).toBeNull();
    expect(host.textContent).toBe("See !the logo");
    expect(hrefs(host)).toEqual(["https://cdn.example.com/logo.png"]);
  });

  it("shows raw HTML as text", () => {
    const html = '<img src=x onerror="window.__xss=1"> <b>bold?</b>';
    const host = shownAs(`Text ${html}\n\n<div>block</div>`);
    expect(host.querySelector("img, b, .markdown div")).toBeNull();
    expect(host.textContent).toContain(html);
    expect(host.textContent).toContain("<div>block</div>");
  });

  it("links to http(s) and mailto only, in a new tab; any other link keeps its text", () => {
    const host = shownAs("[docs](https://docs.example.com) [mail](mailto:help@example.com) [bad](javascript:alert(1)) [here](/kb/1)");
    expect(hrefs(host)).toEqual(["https://docs.example.com", "mailto:help@example.com"]);
    for (const a of host.querySelectorAll("a")) {
      expect(a.getAttribute("target")).toBe("_blank");
      expect(a.getAttribute("rel")).toBe("noopener noreferrer");
    }
    expect(host.textContent).toContain("bad");
    expect(host.textContent).toContain("here");
  });

  it("links bare addresses in its text, not again those a link shows", () => {
    const host = shownAs("See https://status.example.com/incidents/42. Or [https://help.example.com](https://help.example.com/kb).");
    expect(hrefs(host)).toEqual(["https://status.example.com/incidents/42", "https://help.example.com/kb"]);
    expect(host.querySelector("a a")).toBeNull();
    expect(host.querySelector("a")!.getAttribute("target")).toBe("_blank");
    expect(host.textContent).toBe("See https://status.example.com/incidents/42. Or https://help.example.com.");
  });

  it("leaves articles as they were: a link without a new tab, a page's link kept", () => {
    const host = document.createElement("div");
    hosts.push(host);
    render(<Markdown source={"[a](https://example.com) [b](/kb/1) https://bare.example\nnext"} />, host);
    expect(hrefs(host)).toEqual(["https://example.com", "/kb/1"]);
    expect(host.querySelector("a")!.hasAttribute("target")).toBe(false);
    expect(host.querySelector("br")).toBeNull();
  });
});

describe("a message's body", () => {
  const body = (text: string, markdown?: boolean) => {
    const host = document.createElement("div");
    hosts.push(host);
    render(<MessageBody text={text} words={WORDS} markdown={markdown} />, host);
    return host;
  };

  it("reads as written when written as text: marks stay marks", () => {
    for (const host of [body("*a* and **b**\n- c"), body("*a* and **b**\n- c", false)]) {
      expect(host.querySelector("p.body")?.textContent).toBe("*a* and **b**\n- c");
      expect(host.querySelector("em, strong, ul, .markdown")).toBeNull();
    }
  });

  it("reads as Markdown when written in it", () => {
    const host = body("*a* and **b**\n\n- c", true);
    expect(host.querySelector("p.body")).toBeNull();
    const shown = host.querySelector("div.body.markdown")!;
    expect(shown.querySelector("em")?.textContent).toBe("a");
    expect(shown.querySelector("strong")?.textContent).toBe("b");
    expect(shown.querySelector("li")?.textContent).toBe("c");
  });

  it("is still a chat's turns when it is a transcript", () => {
    const host = body("Chat transcript (conversation c1):\n[user] *hi*\n[assistant] Hello", true);
    expect(host.querySelector("[data-testid=chat-transcript]")).not.toBeNull();
    expect(host.querySelector(".markdown")).toBeNull();
  });
});

describe("an agent's Markdown reply in the portal", () => {
  const mount = portalMount();
  const at = "2026-12-01T10:00:00Z";
  const ticket = {
    id: "t1", number: "T-000001", subject: "Export fails", description: "**not** markdown", status: "open", priority: "normal",
    requester: { id: "email:dana@example.com", email: "dana@example.com", name: "Dana", email_verified: true },
    requester_key: "email:dana@example.com", custom_fields: {}, tags: [], own: true, created_at: at, updated_at: at,
  } as unknown as Ticket;
  const event = (seq: number, type: string, actor: string, data: Record<string, unknown>) =>
    ({ seq, type, actor, at, data }) as unknown as TicketEvent;

  it("shows its emphasis and lists, and the customer's own text as written", async () => {
    const events = [
      event(1, "created", "email:dana@example.com", { description: "**not** markdown" }),
      event(2, "public_message", "alice", { body: "Hi Dana,\n\n- **Open** Settings\n- Export", from_customer: false, format: "markdown" }),
      event(3, "public_message", "email:dana@example.com", { body: "*thanks*", from_customer: true }),
    ];
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1") return json(ticket);
      if (path === "/tickets/t1/events") return json(events);
      return json([]);
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const host = mount(<PortalTicket api={api} id="t1" me={{ sub: "email:dana@example.com", email: "dana@example.com" }} />);
    await shown(host, ".body.markdown");
    const messages = [...host.querySelectorAll("[data-testid=public-message]")];
    expect(messages).toHaveLength(3);
    expect(messages[0]!.querySelector("p.body")?.textContent).toBe("**not** markdown");
    expect(messages[1]!.querySelector(".body.markdown strong")?.textContent).toBe("Open");
    expect([...messages[1]!.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Open Settings", "Export"]);
    expect(messages[2]!.querySelector("p.body")?.textContent).toBe("*thanks*");
    await vi.waitFor(() => expect(host.querySelector("[data-testid=reply-box]")).not.toBeNull());
  });
});
