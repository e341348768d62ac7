// The ticket's number and subject as the page's heading, and "Rename" for agents: a customer's "HELP!!!" says
// little in a queue. The change is the subject alone, so it is sent without the page's ETag: a reply or a
// status change meanwhile is no reason to refuse it (the API retries the write on a fresh read).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Ticket } from "../api/types";

export const MAX_SUBJECT_CHARS = 500; // the API's limit

/** The subject as the API stores it: one line, runs of whitespace as one space. */
export function subjectLine(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

/** `children`: the page's other actions on the whole ticket, beside "Rename" (hidden while renaming). */
export function TicketTitle({ ticket, busy, onRename, children }: {
  ticket: Ticket;
  busy: boolean;
  onRename: (subject: string) => Promise<boolean>;
  children?: ComponentChildren;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const heading = <h1 id="ticket-title" data-testid="ticket-title">{ticket.number} · {ticket.subject}</h1>;
  if (editing === null) {
    return (
      <div class="ticket-title">
        {heading}
        <button type="button" class="link" data-testid="rename" onClick={() => setEditing(ticket.subject)}>Rename</button>
        {children}
      </div>
    );
  }
  const subject = subjectLine(editing);
  const save = async () => {
    if (subject === ticket.subject || (await onRename(subject))) setEditing(null);
  };
  return (
    <div class="ticket-title">
      {heading}
      <form class="filters" aria-label="Rename the ticket" onSubmit={(e) => { e.preventDefault(); if (subject) void save(); }}>
        <input
          aria-label="Subject"
          data-testid="subject-input"
          value={editing}
          maxLength={MAX_SUBJECT_CHARS}
          autoFocus
          onInput={(e) => setEditing(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === "Escape") setEditing(null); }}
        />
        <button type="submit" disabled={busy || !subject} data-testid="save-subject">Save</button>
        <button type="button" onClick={() => setEditing(null)}>Cancel</button>
      </form>
    </div>
  );
}
