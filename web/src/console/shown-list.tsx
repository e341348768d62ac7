// The list a ticket was opened from: the last ticket table shown in this tab (the queue's view, a saved view, a
// customer's tickets), kept here as it was shown. A ticket's page leads back to it and to the tickets above and
// below (links, and j/k/u as in the queue), and after a public reply the console goes where the agent's
// `after_reply` (My settings) says: stay, the next ticket of that list, or the list (FreeScout's "After sending").
import { useEffect, useRef, useState } from "preact/hooks";
import type { User } from "../api/types";
import { typingIn } from "../shared/keys";

export type AfterReply = NonNullable<User["after_reply"]>;

const LIST_KEY = "helpdesk.console.list";
const NOTE_KEY = "helpdesk.console.after-reply";
const QUEUE = "#/";

export interface ShownList {
  hash: string; // the list's own address ("#/", "#/views/v1", "#/customers/email%3Adana%40example.com")
  ids: string[]; // its tickets, top to bottom
}

/** A ticket table was shown: it is the list a ticket opened from it belongs to. */
export function rememberList(storage: Storage, hash: string, ids: string[]): void {
  storage.setItem(LIST_KEY, JSON.stringify({ hash: hash || QUEUE, ids } satisfies ShownList));
}

/** Signing out forgets the list and any note (another person may sign in to this tab). */
export function forgetShownList(storage: Storage): void {
  storage.removeItem(LIST_KEY);
  storage.removeItem(NOTE_KEY);
}

export function shownList(storage: Storage): ShownList | null {
  try {
    const read = JSON.parse(storage.getItem(LIST_KEY) ?? "null") as Partial<ShownList> | null;
    if (typeof read?.hash !== "string" || !Array.isArray(read.ids)) return null;
    return { hash: read.hash, ids: read.ids.filter((id): id is string => typeof id === "string") };
  } catch {
    return null;
  }
}

/** The address to go to after a reply on `current`, or null to stay. "next" is the ticket below `current` in the
 * list (the list's first other ticket when `current` is not in it, as when it left the view); with none left,
 * or no list known, the list itself (the queue when none is known). */
export function afterReplyHash(choice: AfterReply, current: string, list: ShownList | null): string | null {
  if (choice === "stay") return null;
  const back = list?.hash ?? QUEUE;
  if (choice === "list" || !list) return back;
  const at = list.ids.indexOf(current);
  const next = list.ids.slice(at + 1).find((id) => id !== current);
  return next ? `#/t/${next}` : back;
}

/** What the page the agent lands on says once (the reply they sent is out of sight). */
export function leaveNote(storage: Storage, text: string): void {
  storage.setItem(NOTE_KEY, text);
}

export function takeNote(storage: Storage): string | null {
  const text = storage.getItem(NOTE_KEY);
  storage.removeItem(NOTE_KEY);
  return text;
}

/** Once on the page an agent lands on after a reply: which ticket the reply went to. Gone at the next page. */
export function AfterReplyNote({ route }: { route: string }) {
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => setNote(takeNote(sessionStorage)), [route]);
  return note ? <p class="notice" role="status" data-testid="after-reply-note">{note}</p> : null;
}

/** Where `current` stands in `list`: the list's address to go back to (the queue when `current` is not in it), and
 * the tickets above and below. */
function place(list: ShownList | null, current: string) {
  const at = list ? list.ids.indexOf(current) : -1;
  return {
    at, total: list?.ids.length ?? 0, back: list && at >= 0 ? list.hash : QUEUE,
    previous: list && at > 0 ? list.ids[at - 1] : undefined, next: list && at >= 0 ? list.ids[at + 1] : undefined,
  };
}

/** The ticket's place in its list: back to the list, "3 of 25", the previous and next tickets (also j, k and u when no
 * box has the keys; r goes to the reply box, as r in the queue opens it). A ticket not in the last list shown (a
 * link, a notification) leads back to the queue. The keys read the list when pressed, as the links were drawn from
 * it: one list per tab. */
export function ListNavigation({ current, onReply }: { current: string; onReply?: () => void }) {
  const { at, total, back, previous, next } = place(shownList(sessionStorage), current);
  const shown = useRef<HTMLElement>(null); // keys act for a page on the screen only
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e) || !shown.current?.isConnected) return;
      if (e.key === "r" && onReply) {
        e.preventDefault();
        onReply();
        return;
      }
      const now = place(shownList(sessionStorage), current);
      const to = e.key === "j" ? now.next && `#/t/${now.next}` : e.key === "k" ? now.previous && `#/t/${now.previous}`
        : e.key === "u" ? now.back : null;
      if (!to) return;
      e.preventDefault();
      window.location.hash = to;
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, onReply]);
  if (at < 0) return <nav ref={shown} class="list-nav" aria-label="The queue"><a href={QUEUE}>← Queue</a></nav>;
  return (
    <nav ref={shown} class="list-nav" aria-label="The list this ticket is in" data-testid="list-nav">
      <a href={back}>← Back to the list</a>
      <span class="hint">{at + 1} of {total}</span>
      {previous ? <a href={`#/t/${previous}`} rel="prev" title="k">‹ Previous</a> : null}
      {next ? <a href={`#/t/${next}`} rel="next" title="j">Next ›</a> : null}
    </nav>
  );
}
