// The top bar's "Notifications" link with the agent's unread count (`GET /notifications/unread`, the cheap count):
// read when the console opens, at every change of page, when the tab comes back into sight, every minute while it is
// in sight and every five while it is not (the tab's title carries the count: "(3) Helpdesk console", what an agent
// with the console in a background tab sees). A failed read keeps the count shown (no banner: the top bar is no place
// for one). Marking read elsewhere (the Notifications page, opening a ticket) tells the link the count the API
// answered, at once.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";

export const UNREAD_POLL_MS = 60_000;
export const HIDDEN_POLLS = 5; // in a background tab, one read every this many minutes
const COUNTED_TITLE = /^\(\d+\+?\) /; // a title's count, as `titled` writes it
export const NOTIFICATIONS_HREF = "#/notifications";
const MOST = 99; // the API counts up to 100: more shows as "99+"

type UnreadListener = (unread: number) => void;
const listeners = new Set<UnreadListener>();

/** The unread count after a mark-read call (its answer): the top bar shows it without asking again. */
export function unreadChanged(unread: number): void {
  for (const listener of listeners) listener(unread);
}

/** The tab's title with the unread count before it: "(3) Helpdesk console"; the plain title at 0. */
export function titled(title: string, unread: number): string {
  const plain = title.replace(COUNTED_TITLE, "");
  return unread > 0 ? `(${unreadText(unread)}) ${plain}` : plain;
}

/** "3", or "99+" above 99. */
export function unreadText(unread: number): string {
  return unread > MOST ? `${MOST}+` : String(unread);
}

/** The ticket is open: its notifications are read (fire and forget: a failure leaves them unread, nothing more). */
export function markTicketRead(api: ApiClient, ticketId: string): void {
  api.call("post", "/notifications/read", { body: { ticket_id: ticketId } }).then(
    (r) => { if (typeof r.data?.unread === "number") unreadChanged(r.data.unread); },
    () => { /* the count stays as it was; the next read corrects it */ },
  );
}

/** The agent's unread count, read again whenever `route` changes. */
export function useUnreadCount(api: ApiClient, route: string, doc: Document = document): number {
  const [unread, setUnread] = useState(0);
  const latest = useRef(0); // the latest read or told count: an answer to an older read is dropped
  const read = () => {
    const mine = ++latest.current;
    api.get("/notifications/unread").then(
      (r) => { if (mine === latest.current) setUnread(r.unread); },
      () => { /* keep the last count */ },
    );
  };
  useEffect(() => {
    const told: UnreadListener = (n) => {
      latest.current += 1;
      setUnread(n);
    };
    listeners.add(told);
    let unseen = 0; // minutes in a background tab since the last read
    const timer = window.setInterval(() => {
      unseen = doc.visibilityState === "visible" ? 0 : unseen + 1;
      if (unseen === 0 || unseen >= HIDDEN_POLLS) {
        unseen = 0;
        read();
      }
    }, UNREAD_POLL_MS);
    const onVisible = () => {
      if (doc.visibilityState === "visible") read();
    };
    doc.addEventListener("visibilitychange", onVisible);
    return () => {
      listeners.delete(told);
      window.clearInterval(timer);
      doc.removeEventListener("visibilitychange", onVisible);
      latest.current += 1; // gone: what is still on its way is not shown
    };
  }, []);
  useEffect(read, [route]);
  useEffect(() => {
    doc.title = titled(doc.title, unread);
  }, [unread]);
  return unread;
}

/** "Notifications" with a badge of the unread count (none at 0); a screen reader hears "Notifications, 3 unread" (a
 * label of its own: text hidden inside the link would be read with a stray space, "Notifications , 3 unread"). */
export function NotificationsLink({ api, route }: { api: ApiClient; route: string }) {
  const unread = useUnreadCount(api, route);
  const current = route === "/notifications" || route.startsWith("/notifications?");
  return (
    <a class="notifications-link" href={NOTIFICATIONS_HREF} data-testid="notifications-link"
      aria-label={unread > 0 ? `Notifications, ${unreadText(unread)} unread` : undefined}
      aria-current={current ? "page" : undefined}>
      Notifications
      {unread > 0 ? <> <span class="badge badge-unread-count" data-testid="notifications-unread">{unreadText(unread)}</span></> : null}
    </a>
  );
}
