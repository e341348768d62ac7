// The agent's notifications: each kind said in words (the teammate who acted, the customer, "you follow it"), unread
// ones bold with a marker, opening one marks it read and goes to its ticket, "Mark all as read" up to the newest
// shown, "Show more" by the cursor, the empty page and an error; the top bar's link and its count (none at 0, "99+",
// read again at a change of page, when the tab comes back and every minute, a failed read keeping the count); the
// ticket page marking its ticket's news read, and the top bar's count following at once.
import { render, type ComponentChild } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { NotificationItem } from "../src/api/types";
import { NOTIFICATIONS_PAGE, NotificationsPage, notificationText } from "../src/console/notifications";
import { HIDDEN_POLLS, NotificationsLink, titled, UNREAD_POLL_MS, unreadText } from "../src/console/notifications-link";
import { TicketPage } from "../src/console/ticket";
import { useHashRoute } from "../src/shared/route";
import { json, shown, ticketPageSurroundings } from "./helpers";

const at = new Date(Date.now() - 2 * 3_600_000).toISOString(); // two hours ago

function note(n: number, kind: NotificationItem["kind"], more: Partial<NotificationItem> = {}): NotificationItem {
  return {
    id: `2026-03-03T10:00:${String(60 - n).padStart(2, "0")}.000000Z#t${n}#${n}`, kind, at, read: false, following: false,
    actor_name: null,
    ticket: { id: `t${n}`, number: `T-${String(n).padStart(6, "0")}`, subject: `Question ${n}`, status: "open",
      requester_name: "Jana Müller" },
    ...more,
  };
}

const TICKET = { number: "T-000042", subject: "Printer jam" };
const on = (kind: NotificationItem["kind"], more: Partial<NotificationItem> = {}) =>
  notificationText(note(42, kind, { ...more, ticket: { ...note(42, kind).ticket, ...TICKET, ...more.ticket } }));

describe("what a notification says", () => {
  it("names the teammate who acted, the customer, and a followed ticket", () => {
    expect(on("assigned", { actor_name: "Ada Lovelace" })).toBe("Ada Lovelace assigned T-000042 · Printer jam to you");
    expect(on("assigned")).toBe("T-000042 · Printer jam was assigned to you"); // a trigger or the group's turn
    expect(on("customer_replied")).toBe("Jana Müller replied on T-000042 · Printer jam");
    expect(on("customer_replied", { following: true })).toBe("Jana Müller replied on T-000042 · Printer jam (you follow it)");
    expect(on("customer_replied", { ticket: { ...note(42, "new_ticket").ticket, ...TICKET, requester_name: null } }))
      .toBe("The customer replied on T-000042 · Printer jam");
    expect(on("customer_solved")).toBe("Jana Müller marked T-000042 · Printer jam solved");
    expect(on("rated_bad")).toBe("Jana Müller rated T-000042 · Printer jam bad");
    expect(on("mentioned", { actor_name: "Ada" })).toBe("Ada mentioned you on T-000042 · Printer jam");
    expect(on("colleague_replied", { actor_name: "Otto", following: true }))
      .toBe("Otto replied on T-000042 · Printer jam (you follow it)");
    expect(on("colleague_noted", { actor_name: null, following: true }))
      .toBe("A teammate added a note on T-000042 · Printer jam (you follow it)");
    expect(on("new_ticket")).toBe("New ticket T-000042 · Printer jam in your queue");
    expect(on("undelivered")).toBe("Our mail to the customer on T-000042 · Printer jam bounced");
    expect(on("triggered")).toBe("A trigger told you about T-000042 · Printer jam");
    expect(on("snooze_ended")).toBe("Your snooze of T-000042 · Printer jam ended");
    expect(on("side_replied")).toBe("Someone replied to a side conversation on T-000042 · Printer jam");
    expect(on("sla_warning")).toBe("T-000042 · Printer jam is close to its SLA target");
    expect(on("sla_breached")).toBe("T-000042 · Printer jam missed its SLA target");
    expect(on("notice_bounced")).toBe("Our mail to you about T-000042 · Printer jam did not arrive: check your address with an admin");
  });

  it("counts up to 99, more as 99+", () => {
    expect(unreadText(3)).toBe("3");
    expect(unreadText(99)).toBe("99");
    expect(unreadText(100)).toBe("99+");
  });
});

/** The notifications API over `all` (newest first), paged by an offset cursor, recording the queries and the
 * mark-read bodies; `unread` is what the count answers. */
function server(all: NotificationItem[], counts: { unread: number } = { unread: all.filter((n) => !n.read).length }) {
  const asked: URLSearchParams[] = [];
  const marked: unknown[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    const address = new URL(url);
    if (address.pathname === "/notifications") {
      asked.push(address.searchParams);
      const from = Number(address.searchParams.get("cursor") ?? 0);
      const limit = Number(address.searchParams.get("limit"));
      const next = from + limit < all.length ? String(from + limit) : null;
      return json({ items: all.slice(from, from + limit), unread: counts.unread, next_cursor: next });
    }
    if (address.pathname === "/notifications/read" && init.method === "POST") {
      marked.push(JSON.parse(String(init.body)));
      counts.unread = Math.max(0, counts.unread - 1);
      return json({ unread: counts.unread });
    }
    if (address.pathname === "/notifications/unread") return json({ unread: counts.unread });
    return json({ error: { code: "not_found", message: "no such route", details: null } }, 404);
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked, marked, counts };
}

const mounted: HTMLElement[] = [];
function mount(node: ComponentChild, hash = "#/notifications"): HTMLElement {
  history.replaceState(null, "", hash);
  const host = document.body.appendChild(document.createElement("div"));
  mounted.push(host);
  render(node, host);
  return host;
}

afterEach(() => {
  for (const host of mounted.splice(0)) render(null, host);
  document.body.innerHTML = "";
  vi.useRealTimers();
  history.replaceState(null, "", "#"); // the window is shared with the other test files (isolate: false)
});

const lines = (host: HTMLElement) => [...host.querySelectorAll("[data-testid=notification-text]")].map((a) => a.textContent);
const item = (host: HTMLElement, id: string) => host.querySelector<HTMLLIElement>(`[data-notification-id='${id}']`);

describe("the Notifications page", () => {
  const assigned = note(1, "assigned", { actor_name: "Ada Lovelace" });
  const replied = note(2, "customer_replied");
  const followed = note(3, "colleague_noted", { actor_name: "Otto", following: true, read: true,
    ticket: { ...note(3, "colleague_noted").ticket, status: "pending" } });

  it("lists them newest first in words, with the ticket's status and the time; unread ones stand out", async () => {
    const { api, asked } = server([assigned, replied, followed]);
    const host = mount(<NotificationsPage api={api} />);
    await shown(host, "[data-testid=notifications]");
    expect(lines(host)).toEqual([
      "Ada Lovelace assigned T-000001 · Question 1 to you",
      "Jana Müller replied on T-000002 · Question 2",
      "Otto added a note on T-000003 · Question 3 (you follow it)",
    ]);
    expect(asked[0]?.get("limit")).toBe(String(NOTIFICATIONS_PAGE));
    expect(asked[0]?.get("cursor")).toBeNull();
    const first = item(host, assigned.id)!;
    expect(first.classList.contains("unread")).toBe(true);
    expect(first.querySelector("[data-testid=notification-unread]")?.textContent).toBe("unread"); // read out
    expect(first.querySelector("a")?.getAttribute("href")).toBe("#/t/t1");
    expect(first.querySelector(".badge")?.textContent).toBe("open");
    expect(first.querySelector("time")?.textContent).toBe("2 h ago");
    const read = item(host, followed.id)!;
    expect(read.classList.contains("unread")).toBe(false);
    expect(read.querySelector("[data-testid=notification-unread]")).toBeNull();
    expect(read.querySelector(".badge")?.textContent).toBe("pending");
    expect(host.querySelector("[data-testid=notifications-count]")?.textContent).toBe("2 unread");
    expect(host.querySelector("[data-testid=notifications-more]")).toBeNull();
  });

  it("marks one read when it is opened, and goes to its ticket", async () => {
    const { api, marked } = server([assigned, replied]);
    const host = mount(<NotificationsPage api={api} />);
    (await shown<HTMLAnchorElement>(host, `[data-notification-id='${replied.id}'] a`)).click();
    await vi.waitFor(() => expect(marked).toEqual([{ ids: [replied.id] }]));
    expect(window.location.hash).toBe("#/t/t2");
    expect(item(host, replied.id)?.classList.contains("unread")).toBe(false);
    expect(item(host, assigned.id)?.classList.contains("unread")).toBe(true);
  });

  it("marks all read up to the newest shown", async () => {
    const { api, marked, counts } = server([assigned, replied, followed]);
    const host = mount(<NotificationsPage api={api} />);
    const button = await shown<HTMLButtonElement>(host, "[data-testid=notifications-read-all]");
    counts.unread = 1; // what the API answers after marking
    button.click();
    await vi.waitFor(() => expect(marked).toEqual([{ until: assigned.id }]));
    await vi.waitFor(() => expect(host.querySelectorAll("li.unread")).toHaveLength(0));
    expect(host.querySelector("[data-testid=notifications-unread]")).toBeNull();
    expect(host.querySelector("[data-testid=notifications-count]")?.textContent).toBe("All read");
    expect(button.disabled).toBe(true);
  });

  it("reads on by the cursor with Show more, below the ones shown", async () => {
    const many = Array.from({ length: NOTIFICATIONS_PAGE + 2 }, (_, i) => note(i + 1, "customer_replied"));
    const { api, asked } = server(many);
    const host = mount(<NotificationsPage api={api} />);
    await shown(host, "[data-testid=notifications]");
    expect(lines(host)).toHaveLength(NOTIFICATIONS_PAGE);
    (await shown<HTMLButtonElement>(host, "[data-testid=notifications-more]")).click();
    await vi.waitFor(() => expect(lines(host)).toHaveLength(NOTIFICATIONS_PAGE + 2));
    expect(asked[1]?.get("cursor")).toBe(String(NOTIFICATIONS_PAGE));
    expect(lines(host).slice(-1)).toEqual([`Jana Müller replied on T-0000${NOTIFICATIONS_PAGE + 2} · Question ${NOTIFICATIONS_PAGE + 2}`]);
    expect(host.querySelector("[data-testid=notifications-more]")).toBeNull();
  });

  it("says when there is nothing", async () => {
    const { api } = server([]);
    const host = mount(<NotificationsPage api={api} />);
    expect((await shown(host, "[data-testid=notifications-none]")).textContent)
      .toBe("Nothing new: notifications of your tickets show here for 30 days.");
    expect(host.querySelector("[data-testid=notifications-read-all]")).toBeNull();
  });

  it("shows the API's error as the other pages do", async () => {
    const fetch = (async () => json({ error: { code: "forbidden", message: "customers have no notifications here", details: null } }, 403)) as
      unknown as typeof globalThis.fetch;
    const host = mount(<NotificationsPage api={new ApiClient({ baseUrl: "https://api.example", fetch })} />);
    expect((await shown(host, "[role=alert]")).textContent).toBe("customers have no notifications here (403 forbidden)");
    expect(host.textContent).not.toContain("Loading");
  });
});

/** The top bar's link where the console shows it: following the address, as main.tsx passes the route. */
function RoutedLink({ api }: { api: ApiClient }) {
  return <NotificationsLink api={api} route={useHashRoute()} />;
}

/** A count API answering `answers` in turn (the last one again after), recording how often it was asked. */
function counter(...answers: (number | "fails")[]) {
  let asked = 0;
  const fetch = (async (url: string) => {
    if (new URL(url).pathname !== "/notifications/unread") return json({ error: { code: "not_found", message: "no", details: null } }, 404);
    const answer = answers[Math.min(asked, answers.length - 1)];
    asked += 1;
    return answer === "fails" ? json({ error: { code: "unavailable", message: "try later", details: null } }, 503) : json({ unread: answer });
  }) as unknown as typeof globalThis.fetch;
  return { api: new ApiClient({ baseUrl: "https://api.example", fetch }), asked: () => asked };
}

const link = (host: HTMLElement) => host.querySelector<HTMLAnchorElement>("[data-testid=notifications-link]")!;
/** The link's accessible name: its label, else its words. */
const named = (host: HTMLElement) => link(host).getAttribute("aria-label") ?? link(host).textContent;

describe("the top bar's Notifications link", () => {
  it("shows the unread count, read out as 'Notifications, 3 unread', and nothing at 0", async () => {
    const { api } = counter(3);
    const host = mount(<RoutedLink api={api} />, "#/");
    await shown(host, "[data-testid=notifications-unread]");
    expect(named(host)).toBe("Notifications, 3 unread"); // its accessible name
    expect(link(host).textContent).toBe("Notifications 3"); // what shows: the word and the badge (axe: in the name)
    expect(host.querySelector("[data-testid=notifications-unread]")?.classList.contains("badge")).toBe(true);
    expect(link(host).getAttribute("href")).toBe("#/notifications");
    expect(link(host).getAttribute("aria-current")).toBeNull();

    const none = mount(<RoutedLink api={counter(0).api} />, "#/");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(named(none)).toBe("Notifications");
    expect(link(none).hasAttribute("aria-label")).toBe(false); // its words name it
    expect(none.querySelector("[data-testid=notifications-unread]")).toBeNull();
  });

  it("says 99+ above 99", async () => {
    const host = mount(<RoutedLink api={counter(100).api} />, "#/notifications");
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 99+ unread"));
    expect(link(host).getAttribute("aria-current")).toBe("page");
  });

  it("reads the count again when the page changes, and keeps it when a read fails", async () => {
    const { api, asked } = counter(3, 1, "fails");
    const host = mount(<RoutedLink api={api} />, "#/");
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 3 unread"));
    window.location.hash = "#/t/t1";
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 1 unread"));
    window.location.hash = "#/";
    await vi.waitFor(() => expect(asked()).toBe(3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(named(host)).toBe("Notifications, 1 unread"); // the failed read changed nothing
    expect(host.querySelector("[role=alert]")).toBeNull();
  });

  it("reads it every minute while the tab is in sight, and when it comes back into sight", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { api, asked } = counter(2, 5, 7);
    const host = mount(<RoutedLink api={api} />, "#/");
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 2 unread"));
    vi.advanceTimersByTime(UNREAD_POLL_MS);
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 5 unread"));

    const sight = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    vi.advanceTimersByTime(UNREAD_POLL_MS * (HIDDEN_POLLS - 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked()).toBe(2); // a tab in the background asks far less often ...
    vi.advanceTimersByTime(UNREAD_POLL_MS);
    await vi.waitFor(() => expect(asked()).toBe(3)); // ... every five minutes, for its title
    await vi.waitFor(() => expect(named(host)).toBe("Notifications, 7 unread"));
    sight.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    await vi.waitFor(() => expect(asked()).toBe(4));
    sight.mockRestore();
  });

  it("puts the count in the tab's title, and takes it away at 0", async () => {
    document.title = "Helpdesk console";
    const { api } = counter(3, 0);
    const host = mount(<RoutedLink api={api} />, "#/");
    await vi.waitFor(() => expect(document.title).toBe("(3) Helpdesk console"));
    window.location.hash = "#/t/t1";
    await vi.waitFor(() => expect(document.title).toBe("Helpdesk console"));
    expect(named(host)).toBe("Notifications");
    expect(titled("(99+) Helpdesk console", 4)).toBe("(4) Helpdesk console");
    expect(titled("Helpdesk console", 100)).toBe("(99+) Helpdesk console");
  });
});

describe("opening a ticket", () => {
  it("marks its notifications read, and the top bar's count follows", async () => {
    const marked: unknown[] = [];
    let unread = 2;
    const fetch = (async (url: string, init: RequestInit = {}) => {
      const path = new URL(url).pathname;
      if (path === "/notifications/unread") return json({ unread });
      if (path === "/notifications/read" && init.method === "POST") {
        marked.push(JSON.parse(String(init.body)));
        unread = 0;
        return json({ unread });
      }
      if (path === "/tickets/t7") {
        return json({
          id: "t7", number: "T-000007", subject: "Printer jam", description: "Jammed", status: "open", priority: "normal",
          channel: "web", requester: { id: "c1", email: "jana@kunde.example", name: "Jana", email_verified: true },
          requester_key: "email:jana@kunde.example", assignee_id: "mika", group: null, tags: [], custom_fields: {},
          participants: [], links: [], version: 1, created_at: at, updated_at: at, ai: { cited_article_ids: [] },
        }, 200, '"1"');
      }
      if (path === "/tickets/t7/events") return json([]);
      return ticketPageSurroundings(path);
    }) as unknown as typeof globalThis.fetch;
    const api = new ApiClient({ baseUrl: "https://api.example", fetch });
    const bar = mount(<RoutedLink api={api} />, "#/");
    await vi.waitFor(() => expect(named(bar)).toBe("Notifications, 2 unread"));

    window.location.hash = "#/t/t7";
    const page = mount(<TicketPage api={api} id="t7" me="mika" />, "#/t/t7");
    await shown(page, "[data-testid=ticket-title]");
    await vi.waitFor(() => expect(marked).toEqual([{ ticket_id: "t7" }])); // once
    await vi.waitFor(() => expect(named(bar)).toBe("Notifications"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(marked).toHaveLength(1);
  });
});
