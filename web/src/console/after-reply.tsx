// Where the console goes once an agent has sent a public reply: their `after_reply` (My settings) says stay on the
// ticket, open the next ticket of the list they came from, or go back to that list (FreeScout's "After sending").
// The list is the last ticket table shown in this tab (the queue's view, a saved view, a customer's tickets), kept
// here as it was shown: the next ticket is the one below this one there.
import { useEffect, useState } from "preact/hooks";
import type { User } from "../api/types";

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
