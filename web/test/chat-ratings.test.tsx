// What the team sees of the visitors' "Did this answer your question?": the rating beside the rated answer in a chat
// ticket's transcript (the console's ticket page; the portal passes no ratings), the AI report's articles whose
// answers were rated, and an article's own count on its knowledge base page.
import { render, type ComponentChild } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Article } from "../src/api/types";
import { RatedArticles } from "../src/console/ai-report";
import { ChatAnswerRatings } from "../src/console/kb";
import { TicketPage } from "../src/console/ticket";
import { MessageBody, ratedTurns } from "../src/shared/transcript";
import { listedTicket } from "./ticket-fixture";
import { json } from "./helpers";

const at = "2026-01-01T00:00:00Z";

// As helpdesk.assistant.service._transcript writes it: the visitor said "no" to the first answer, then took the offer.
const CHAT = "Chat transcript (conversation 0b6c-42):\n\n[user] How do I reset my password?\n"
  + "[assistant] From “Reset your password”: open Sign in.\n[assistant] Sorry that did not answer your question.\n"
  + "[user] yes\n[assistant] What address?\n[user] dana@example.org";
const WORDS = { user: "Customer", assistant: "Assistant", earlierCut: "cut", ratedHelpful: "Rated helpful", ratedNotHelpful: "Rated not helpful" };

function mount(node: ComponentChild) {
  const host = document.body.appendChild(document.createElement("div"));
  render(node, host);
  return host;
}

afterEach(() => {
  document.body.innerHTML = "";
  window.location.hash = "";
});

describe("a rated answer in a chat ticket's transcript", () => {
  it("reads the ratings the ticket's AI context holds, skipping what is not one", () => {
    expect([...ratedTurns({ rated_turns: [{ turn: 5, helpful: false }, { turn: 2, helpful: true }] })])
      .toEqual([[5, false], [2, true]]);
    expect(ratedTurns({ rated_turns: [{ turn: 0, helpful: true }, { turn: 1.5, helpful: true }, { turn: 3 }, null, "x"] }).size).toBe(0);
    expect(ratedTurns(null).size).toBe(0);
    expect(ratedTurns({ cited_article_ids: [] }).size).toBe(0); // a ticket from before ratings reached it
  });

  it("is marked beside that answer, counted from the transcript's last turn", () => {
    const host = mount(<MessageBody text={CHAT} words={WORDS} rated={ratedTurns({ rated_turns: [{ turn: 5, helpful: false }] })} />);
    const turns = [...host.querySelectorAll("li")];
    expect(turns[1]!.textContent).toBe("Assistant From “Reset your password”: open Sign in. Rated not helpful");
    expect(turns[1]!.querySelector(".badge-rated-not-helpful")).not.toBeNull();
    expect(host.querySelectorAll(".badge")).toHaveLength(1);
  });

  it("shows nothing without ratings (the portal's view of the same text)", () => {
    const host = mount(<MessageBody text={CHAT} words={{ user: "You", assistant: "Assistant", earlierCut: "cut" }} rated={ratedTurns({ rated_turns: [{ turn: 5, helpful: true }] })} />);
    expect(host.textContent).not.toContain("Rated");
    const again = mount(<MessageBody text={CHAT} words={WORDS} />);
    expect(again.textContent).not.toContain("Rated");
  });

  it("shows on the console's ticket page, for the chat ticket's opening message", async () => {
    const ticket = { ...listedTicket("t1", "Chat: How do I reset my password?"), channel: "chat", description: CHAT,
      ai: { cited_article_ids: ["kb-reset"], rated_turns: [{ turn: 5, helpful: false }] } };
    const fetch = (async (url: string) => {
      const path = new URL(url).pathname;
      if (path === "/tickets/t1") return json(ticket, 200, '"1"');
      if (path.endsWith("/events")) return json([{ seq: 1, type: "created", actor: "ai", at, internal: false, data: { description: CHAT } }]);
      if (path.endsWith("/assist")) return json({ error: { code: "not_found", message: "not triaged", details: null } }, 404);
      if (path.endsWith("/viewers/me")) return json({ others: [], check_in_s: 20 });
      if (path === "/ticket-fields") return json({ fields: [], version: 1 }, 200, '"1"');
      if (path === "/users" || path === "/tickets" || path === "/kb/articles") return json({ items: [], next_cursor: null });
      return json([]);
    }) as unknown as typeof globalThis.fetch;
    const host = mount(<TicketPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} id="t1" me="alex" />);
    const badge = await vi.waitFor(() => {
      const found = host.querySelector("[data-testid=chat-transcript] .badge-rated-not-helpful");
      if (!found) throw new Error("no rating shown yet");
      return found;
    }, { timeout: 2000 });
    expect(badge.textContent).toBe("Rated not helpful");
    expect(badge.closest("li")!.textContent).toContain("open Sign in.");
  });
});

describe("the AI report's articles whose chat answers were rated", () => {
  const articles = [
    { article_id: "kb-two-factor", title: "Turn on two-factor authentication", helpful: 0, not_helpful: 3 },
    { article_id: "kb-reset", title: "Reset your password", helpful: 4, not_helpful: 1 },
  ];

  it("lists them as the report ranks them, each linked to its page, saying when there were more", () => {
    const host = mount(<RatedArticles articles={articles} count={25} truncated={false} />);
    const rows = [...host.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([["Turn on two-factor authentication", "3", "0"], ["Reset your password", "1", "4"]]);
    expect(host.querySelector("a")!.getAttribute("href")).toBe("#/kb/kb-two-factor");
    expect(host.querySelector("caption")!.textContent).toBe("Articles whose chat answers were rated (the 2 most rated not helpful of 25)");
  });

  it("says nothing when no rated answer cited an article", () => {
    expect(mount(<RatedArticles articles={[]} count={0} truncated={false} />).textContent).toBe("");
  });
});

describe("an article's chat ratings on its knowledge base page", () => {
  const article = { id: "kb-reset", title: "Reset your password", status: "published" } as unknown as Article;
  const apiAnswering = (response: () => Response) => {
    const asked: string[] = [];
    const fetch = (async (url: string) => {
      asked.push(new URL(url).pathname);
      return response();
    }) as unknown as typeof globalThis.fetch;
    return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked };
  };

  it("reads how many of the rated answers citing it helped", async () => {
    const { api, asked } = apiAnswering(() => json({ article_id: "kb-reset", helpful: 1, not_helpful: 2 }));
    const host = mount(<ChatAnswerRatings api={api} article={article} />);
    await vi.waitFor(() => expect(host.textContent).toBe("Chat answers citing it: rated helpful 1 of 3"), { timeout: 2000 });
    expect(asked).toEqual(["/reports/ai/articles/kb-reset"]);
  });

  it("shows nothing when none was rated or the reports cannot be read", async () => {
    for (const response of [() => json({ article_id: "kb-reset", helpful: 0, not_helpful: 0 }),
      () => json({ error: { code: "forbidden", message: "no", details: null } }, 403)]) {
      const { api, asked } = apiAnswering(response);
      const host = mount(<ChatAnswerRatings api={api} article={article} />);
      await vi.waitFor(() => expect(asked).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(host.textContent).toBe("");
    }
  });
});
