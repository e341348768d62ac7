// The Notifications page (`#/notifications`): the news of the agent's tickets and of those they follow, newest first,
// kept 30 days (`GET /notifications`, a page at a time): the same news the team's mail tells them, whether or not
// they take the mail. Each says what happened in words and opens its ticket (marking it read); "Mark all as read"
// marks everything up to the newest one shown. The top bar's link (notifications-link.tsx) counts the unread ones.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { NotificationItem } from "../api/types";
import { relative, statusText, when } from "../shared/format";
import { Alert, Badge } from "../shared/ui";
import { unreadChanged, unreadText } from "./notifications-link";

export const NOTIFICATIONS_PAGE = 25;

/** What happened, in words: "Ada Lovelace assigned T-000042 · Printer jam to you". */
export function notificationText(n: NotificationItem): string {
  const ticket = `${n.ticket.number} · ${n.ticket.subject}`;
  const customer = n.ticket.requester_name ?? "The customer";
  const teammate = n.actor_name ?? "A teammate";
  const said = ((): string => {
    switch (n.kind) {
      case "new_ticket":
        return `New ticket ${ticket} in your queue`;
      case "assigned": // a trigger or the group's automatic assignment names nobody
        return n.actor_name ? `${n.actor_name} assigned ${ticket} to you` : `${ticket} was assigned to you`;
      case "customer_replied":
        return `${customer} replied on ${ticket}`;
      case "customer_solved":
        return `${customer} marked ${ticket} solved`;
      case "rated_bad":
        return `${customer} rated ${ticket} bad`;
      case "side_replied":
        return `Someone replied to a side conversation on ${ticket}`;
      case "snooze_ended":
        return `Your snooze of ${ticket} ended`;
      case "triggered":
        return `A trigger told you about ${ticket}`;
      case "undelivered":
        return `Our mail to the customer on ${ticket} bounced`;
      case "mentioned":
        return `${teammate} mentioned you on ${ticket}`;
      case "colleague_replied":
        return `${teammate} replied on ${ticket}`;
      case "colleague_noted":
        return `${teammate} added a note on ${ticket}`;
      case "sla_warning": // a target of the SLA policy is due soon
        return `${ticket} is close to its SLA target`;
      case "sla_breached":
        return `${ticket} missed its SLA target`;
      case "notice_bounced": // our mail to them about it bounced (or was marked as spam): their address may be wrong
        return `Our mail to you about ${ticket} did not arrive: check your address with an admin`;
      default: // a kind newer than this console
        return `News of ${ticket}`;
    }
  })();
  return n.following ? `${said} (you follow it)` : said;
}

export function NotificationsPage({ api }: { api: ApiClient }) {
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const load = async (cursor: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get("/notifications", { query: { limit: NOTIFICATIONS_PAGE, cursor: cursor ?? undefined } });
      if (!live.current) return;
      setItems((shown) => (cursor && shown ? [...shown, ...page.items] : page.items));
      setNext(page.next_cursor);
      setUnread(page.unread);
      unreadChanged(page.unread);
    } catch (problem) {
      if (live.current) setError(problem);
    } finally {
      if (live.current) setBusy(false);
    }
  };
  useEffect(() => {
    void load(null);
  }, []);

  const markAllRead = async () => {
    const newest = items?.[0];
    if (!newest) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.call("post", "/notifications/read", { body: { until: newest.id } });
      if (!live.current) return;
      setItems((shown) => shown?.map((n) => ({ ...n, read: true })) ?? shown);
      setUnread(r.data.unread);
      unreadChanged(r.data.unread);
    } catch (problem) {
      if (live.current) setError(problem);
    } finally {
      if (live.current) setBusy(false);
    }
  };

  /** Opening one marks it read. The link goes on to the ticket meanwhile, whose page marks all of the ticket's news
   * read and tells the top bar the count after: this answer's count is not passed on, as it may come last and still
   * count the ticket's other news. */
  const opened = (n: NotificationItem) => {
    if (n.read) return;
    setItems((shown) => shown?.map((s) => (s.id === n.id ? { ...s, read: true } : s)) ?? shown);
    api.call("post", "/notifications/read", { body: { ids: [n.id] } }).catch(() => {
      /* still unread: opening the ticket marks it read too */
    });
  };

  const anyUnread = unread > 0 || (items?.some((n) => !n.read) ?? false);
  return (
    <section aria-labelledby="notifications-title" data-testid="notifications-page">
      <h1 id="notifications-title">Notifications</h1>
      <p class="hint">News of your tickets and of the tickets you follow, newest first, for 30 days.</p>
      <Alert error={error} />
      {items !== null && items.length > 0 ? (
        <p class="filters">
          <span data-testid="notifications-count">{unread > 0 ? `${unreadText(unread)} unread` : "All read"}</span>
          <button type="button" data-testid="notifications-read-all" disabled={busy || !anyUnread}
            onClick={() => void markAllRead()}>Mark all as read</button>
        </p>
      ) : null}
      {items === null ? (error ? null : <p aria-live="polite">Loading…</p>) : items.length === 0 ? (
        <p class="hint" data-testid="notifications-none">Nothing new: notifications of your tickets show here for 30 days.</p>
      ) : (
        <NotificationList items={items} onOpen={opened} />
      )}
      {next ? (
        <button type="button" disabled={busy} data-testid="notifications-more" onClick={() => void load(next)}>Show more</button>
      ) : null}
    </section>
  );
}

function NotificationList({ items, onOpen }: { items: NotificationItem[]; onOpen: (n: NotificationItem) => void }) {
  return (
    <ol class="notifications" data-testid="notifications" aria-label="Notifications, newest first">
      {items.map((n) => <NotificationLine key={n.id} notification={n} onOpen={() => onOpen(n)} />)}
    </ol>
  );
}

/** One piece of news: unread ones in bold with a marker a screen reader reads ("unread"). */
function NotificationLine({ notification: n, onOpen }: { notification: NotificationItem; onOpen: () => void }) {
  return (
    <li class={n.read ? "read" : "unread"} data-testid="notification" data-notification-id={n.id}>
      {n.read ? null : <span class="unread-mark" data-testid="notification-unread"><span class="sr-only">unread</span></span>}
      <a class="notification-text" href={`#/t/${n.ticket.id}`} data-testid="notification-text" onClick={onOpen}>
        {notificationText(n)}
      </a>
      <Badge kind={n.ticket.status}>{statusText(n.ticket.status)}</Badge>
      <time dateTime={n.at} title={when(n.at)}>{relative(n.at)}</time>
    </li>
  );
}
