// What the widget tests share: the element defined once, a JSON answer, a widget mounted on a page (in the page's
// language, with the conversation a reload finds), and a fake chat API that answers the team's look itself.
import { vi } from "vitest";
import type { WidgetLook } from "../src/api/types";
import { HelpdeskChat } from "../src/widget/chat";

if (!customElements.get("helpdesk-chat")) customElements.define("helpdesk-chat", HelpdeskChat);

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A widget of tenant acme on a page in `lang` (set each time: vitest runs the files without isolation), finding
 *  `stored` as the conversation of an earlier page; `attributes` as the page's script tag sets them. */
export function mount(lang = "en", stored: object | null = null, attributes: Record<string, string> = {}): HelpdeskChat {
  if (!vi.isMockFunction(globalThis.fetch)) stubChatApi(async () => json(404, NOT_FOUND));  // never the network
  document.documentElement.lang = lang;
  if (stored) sessionStorage.setItem("helpdesk-chat:acme", JSON.stringify(stored));
  const el = document.createElement("helpdesk-chat") as HelpdeskChat;
  el.setAttribute("tenant", "acme");
  el.setAttribute("api", "https://api.example");
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  return el;
}

const NOT_FOUND = { error: { code: "not_found", message: "no public chat", details: {} } };

type Api = (url: string, init?: RequestInit) => Promise<Response>;

/** `fetch` answered by `api`, except the team's look (`GET /chat/widget`): `look`, or 404 as for a tenant that has
 *  none. A test of the conversation sees only the conversation's calls. */
export function stubChatApi(api: Api, look?: WidgetLook): void {
  vi.stubGlobal("fetch", vi.fn(async (url: string, init?: RequestInit) => new URL(url).pathname !== "/chat/widget"
    ? api(url, init)
    : look ? json(200, look) : json(404, NOT_FOUND)));
}
