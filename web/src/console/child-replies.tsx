// One reply to a problem ticket and to each of its incidents (the tickets linked to it as `child`), from the ticket
// page's reply box: the choice to send it to them too, and what became of each. The API renders the reply per
// ticket (`{{ requester.first_name }}` is each customer's), sets the same status on each, and skips a child already
// closed, or already solved when the reply solves; it takes no files and no side-conversation mail with it.
import type { BulkResult, Ticket } from "../api/types";
import { statusText } from "../shared/format";
import { unchangedTickets } from "./bulk-bar";

/** The ticket's child tickets (their ids, in the order they were linked, each once). */
export function childTickets(ticket: Pick<Ticket, "links">): string[] {
  return [...new Set((ticket.links ?? []).filter((l) => l.type === "child").map((l) => l.ticket_id))];
}

/** The problem this ticket is one of the tickets of (its first `parent` link), or null. */
export function parentTicket(ticket: Pick<Ticket, "links">): string | null {
  return (ticket.links ?? []).find((l) => l.type === "parent")?.ticket_id ?? null;
}

/** Why the reply as it is cannot go to the child tickets too (the API refuses files and a mailed note with it, and
 * the AI draft answers this ticket's customer), or null when it can. */
export function childRepliesRefused(reply: { files: number; mailed: boolean; aiDraft: boolean }): string | null {
  if (reply.files) return "Files stay with this ticket: remove them to send the reply to the child tickets.";
  if (reply.mailed) return "A note mailed outside the ticket stays with this ticket.";
  if (reply.aiDraft) return "The AI draft answers this ticket's customer only.";
  return null;
}

/** What a reply sent to the child tickets did: how many got it, and each that did not, with why. */
export function childRepliesSummary(children: BulkResult[]): string {
  const sent = children.filter((c) => c.outcome === "updated").length;
  const others = unchangedTickets(children);
  return `Sent to ${sent} of ${children.length} child ${children.length === 1 ? "ticket" : "tickets"}.`
    + (others.length ? ` ${others.join("; ")}.` : "");
}

/** Said beside the status when a problem is about to be solved without a reply (the Properties' Save): its child
 * tickets still unsolved are solved with it (the API's incident solver, Zendesk's rule), and their customers are only
 * asked to rate; the reply box's "Also send to the N child tickets" tells each customer what was fixed. */
export function ProblemSolvedWithoutReply({ count, status }: { count: number; status: string | undefined }) {
  if (!count || (status !== "resolved" && status !== "closed")) return null;
  return (
    <p class="hint" role="note" data-testid="problem-solved-without-reply">
      {count === 1 ? "Its child ticket, if still open, is solved with it, without a message to its customer."
        : "Its child tickets still open are solved with it, without a message to their customers."}{" "}
      To tell {count === 1 ? "them" : "each"} what was fixed, reply with "Also send to the {count === 1 ? "1 child ticket" : `${count} child tickets`}" and "set {statusText("resolved")}" instead.
    </p>
  );
}

/** "Also send to the N child tickets" (N > 0), with how each customer gets it, or why it cannot go to them now. */
export function ChildTicketsChoice({ count, checked, refused, solving, onChange }: {
  count: number; checked: boolean; refused: string | null; solving: boolean; onChange: (checked: boolean) => void;
}) {
  if (!count) return null;
  return (
    <div class="child-replies">
      <label title={refused ?? undefined}>
        <input type="checkbox" data-testid="reply-children" checked={checked && !refused} disabled={refused !== null}
          onChange={(e) => onChange(e.currentTarget.checked)} />{" "}
        Also send to the {count} child {count === 1 ? "ticket" : "tickets"}
      </label>
      {refused ? <p class="hint" data-testid="reply-children-refused">{refused}</p>
        : checked ? (
          <p class="hint" data-testid="reply-children-hint">
            Each customer gets it as their own message. <code>{"{{ requester.first_name }}"}</code> greets each by name.
          </p>
        ) : solving ? (
          <p class="hint" data-testid="reply-children-solved">
            {count === 1 ? "It is" : "They are"} solved with this ticket too. Unticked, what you write here stays on this ticket.
          </p>
        ) : null}
    </div>
  );
}
