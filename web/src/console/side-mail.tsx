// Side conversations: an internal note mailed to someone outside the ticket (a supplier, another department), and
// their answers, which come back as internal notes. The customer sees none of it.
import type { TicketEvent } from "../api/types";
import { relative, when } from "../shared/format";
import { Badge } from "../shared/ui";

/** The addresses typed into "Also mail this note to", split at commas, semicolons and spaces (as mail clients take
 * them), each once and lower-cased; the API checks that each is an address. */
export function parseAddresses(text: string): string[] {
  const found: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const address = part.trim().replace(/^<|>$/g, "").toLowerCase();
    if (address && !found.includes(address)) found.push(address);
  }
  return found;
}

/** `text` with `address` added (once), as the field shows addresses: comma-separated. */
export function withAddress(text: string, address: string): string {
  return [...parseAddresses(text), address.toLowerCase()].filter((a, i, all) => all.indexOf(a) === i).join(", ");
}

/** "Also mail this note to", with the people this ticket's notes were mailed to before (`side_contacts`) one click
 * away: a side conversation goes on without typing the supplier's address again. */
export function SideMailInput({ value, onChange, contacts = [] }: {
  value: string; onChange: (value: string) => void; contacts?: readonly string[];
}) {
  const typed = parseAddresses(value);
  const offered = contacts.filter((a) => !typed.includes(a));
  return (
    <div class="side-mail">
      <label for="side-mail-to">Also mail this note to (people outside the ticket)</label>
      <input id="side-mail-to" data-testid="side-mail-to" type="text" inputMode="email" autoComplete="off"
        placeholder="orders@supplier.example" value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      {offered.length ? (
        <p class="side-mail-contacts" data-testid="side-mail-contacts">
          Mailed on this ticket before:{" "}
          {offered.map((address) => (
            <button key={address} type="button" class="link" onClick={() => onChange(withAddress(value, address))}>
              {address}
            </button>
          ))}
        </p>
      ) : null}
      {value.trim() ? (
        <p class="hint" data-testid="side-mail-hint">
          The note and its files are mailed from the team&apos;s address in your name; their answers come back here as
          internal notes. The customer sees none of it, and nothing of theirs goes out unless you write it into the note.
        </p>
      ) : null}
    </div>
  );
}

/** On a note: to whom it was mailed, or that it is an answer by mail from outside the ticket (with a way to answer). */
export function SideMailBadges({ data, onAnswer }: { data: Record<string, unknown>; onAnswer?: (address: string) => void }) {
  const mailed = Array.isArray(data.mail_to) ? data.mail_to.filter((a): a is string => typeof a === "string") : [];
  if (mailed.length) {
    return <Badge kind="via" title="Mailed to people outside the ticket; their answers come back as notes">mailed to {mailed.join(", ")}</Badge>;
  }
  const from = typeof data.from === "string" ? data.from : null;
  if (data.side_reply !== true || !from) return null;
  return (
    <>
      <Badge kind="via" title={`An answer by mail from ${from}, outside the ticket`}>by mail from {from}</Badge>
      {onAnswer ? (
        <button type="button" class="link" data-testid="side-mail-answer" onClick={() => onAnswer(from)}>Answer {from}</button>
      ) : null}
    </>
  );
}

/** One side conversation: the person outside the ticket, how often the team wrote to them, and when each side last
 * wrote (an ISO time, or null). */
export interface SideConversation {
  address: string;
  mailed: number;
  lastMailedAt: string | null;
  lastAnswerAt: string | null;
}

/** The ticket's side conversations from its history, one per address, most recent first: the notes mailed to them
 * (`mail_to`) and their answers by mail (`side_reply` from that address). */
export function sideConversations(events: readonly TicketEvent[]): SideConversation[] {
  const found = new Map<string, SideConversation>();
  const entry = (address: string) => {
    const key = address.toLowerCase();
    let c = found.get(key);
    if (!c) found.set(key, c = { address: key, mailed: 0, lastMailedAt: null, lastAnswerAt: null });
    return c;
  };
  for (const e of events) {
    if (e.type !== "internal_note") continue;
    const d = (e.data ?? {}) as Record<string, unknown>;
    // (an erased contact's address reads "[erased]": no conversation to show or write to)
    const mailed = Array.isArray(d.mail_to) ? d.mail_to.filter((a): a is string => typeof a === "string" && a.includes("@")) : [];
    for (const address of mailed) {
      const c = entry(address);
      c.mailed += 1;
      c.lastMailedAt = e.at;
    }
    if (d.side_reply === true && typeof d.from === "string" && d.from.includes("@")) entry(d.from).lastAnswerAt = e.at;
  }
  const latest = (c: SideConversation) => Math.max(Date.parse(c.lastMailedAt ?? "") || 0, Date.parse(c.lastAnswerAt ?? "") || 0);
  return [...found.values()].sort((a, b) => latest(b) - latest(a));
}

/** Whether the team still waits for them: mailed after their last answer (or never answered). */
export function awaitingAnswer(c: SideConversation): boolean {
  if (!c.lastMailedAt) return false;
  return !c.lastAnswerAt || Date.parse(c.lastAnswerAt) < Date.parse(c.lastMailedAt);
}

/** The ticket's side conversations at a glance: whom the team waits for and since when, who answered, and a way to
 * write to each again. Nothing when the ticket has none. */
export function SideConversations({ events, onWrite, nowMs }: {
  events: readonly TicketEvent[]; onWrite?: (address: string) => void; nowMs?: number;
}) {
  const conversations = sideConversations(events);
  if (!conversations.length) return null;
  return (
    <section class="panel" aria-labelledby="side-conversations-title" data-testid="side-conversations">
      <h2 id="side-conversations-title">Side conversations</h2>
      <ul class="side-conversations">
        {conversations.map((c) => (
          <li key={c.address} data-testid="side-conversation">
            <strong>{c.address}</strong>{" "}
            {awaitingAnswer(c)
              ? <Badge kind="waiting" title={when(c.lastMailedAt)}>waiting for an answer, mailed {relative(c.lastMailedAt, nowMs)}</Badge>
              : <Badge kind="answered" title={when(c.lastAnswerAt)}>answered {relative(c.lastAnswerAt, nowMs)}</Badge>}
            <span class="method"> {c.mailed === 1 ? "1 note mailed" : `${c.mailed} notes mailed`}</span>
            {onWrite ? (
              <>{" "}<button type="button" class="link" data-testid="side-conversation-write" onClick={() => onWrite(c.address)}>Write to them</button></>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
