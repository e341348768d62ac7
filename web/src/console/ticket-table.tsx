// The ticket list the queue and a saved view both show: one row shape, built from either a full ticket
// (the queue's list) or a search row (a saved view's server-side filtered page).
import type { Ref } from "preact";
import { useEffect } from "preact/hooks";
import type { Ticket, TicketRow } from "../api/types";
import { relative, slaBadges, statusText } from "../shared/format";
import { Badge } from "../shared/ui";
import { rememberList } from "./shown-list";
import { childTickets, parentTicket } from "./child-replies";
import { shortName } from "./directory";
import { SnoozedBadge } from "./snooze";

export interface TicketLine {
  id: string;
  number: number | string; // a number from the ticket API, a string in search rows
  subject: string;
  requester: string; // by name where the ticket has one (as the customer signs), else the address
  requesterAddress?: string; // shown on hover
  group: string | null;
  assignee: string | null; // a user id
  status: string;
  priority: string;
  sla: { kind: string; label: string; title?: string } | null;
  updated_at: string;
  snoozedUntil?: string | null; // a time past is no snooze
  // Where the row knows its links (the queue's tickets; a saved view's search rows do not): a problem's count of
  // child tickets, and whether it is one of a problem's tickets itself.
  incidents?: number;
  ofProblem?: boolean;
  // The latest public message on one line, and whether the customer wrote it (then they wait for the team).
  latest?: { text: string; fromCustomer: boolean } | null;
}

/** The API's `latest_message` (a ticket's or a search row's, the same shape) as a row shows it. */
function latestLine(m: Ticket["latest_message"]): TicketLine["latest"] {
  return m ? { text: m.text, fromCustomer: m.from_customer } : null;
}

/** A queue row: the first SLA clock's state (the one due soonest). */
export function lineOfTicket(t: Ticket): TicketLine {
  const badge = slaBadges(t.sla)[0];
  return {
    id: t.id, number: t.number, subject: t.subject, requester: t.requester.name ?? t.requester.email ?? t.requester.id,
    requesterAddress: t.requester.email ?? undefined, group: t.group ?? null, assignee: t.assignee_id ?? null,
    status: t.status, priority: t.priority, updated_at: t.updated_at, snoozedUntil: t.snoozed_until,
    sla: badge ? { kind: `sla-${badge.state}`, label: `${badge.name}: ${badge.state}`, title: badge.due ? `due ${badge.due}` : undefined } : null,
    incidents: childTickets(t).length, ofProblem: parentTicket(t) !== null,
    latest: latestLine(t.latest_message),
  };
}

/** A saved view's row: the search index's one SLA state for the ticket. */
export function lineOfRow(t: TicketRow): TicketLine {
  return {
    id: t.id, number: t.number, subject: t.subject, requester: t.requester_name ?? t.requester_email ?? "",
    requesterAddress: t.requester_email ?? undefined, group: t.group ?? null, assignee: t.assignee_id ?? null,
    status: t.status, priority: t.priority, updated_at: t.updated_at, snoozedUntil: t.snoozed_until,
    sla: t.sla ? { kind: `sla-${t.sla === "at_risk" ? "warning" : t.sla}`, label: t.sla.replace("_", " ") } : null,
    latest: latestLine(t.latest_message),
  };
}

/** Under the subject: who wrote last and what, on one line ("Dana: Still jammed…", "Team: Which browser?"). */
function LatestMessage({ line }: { line: Pick<TicketLine, "latest" | "requester"> }) {
  if (!line.latest) return null;
  const who = line.latest.fromCustomer ? line.requester.split(/[\s@]/)[0] || "Customer" : "Team";
  return (
    <div class="latest-message" data-testid="latest-message" title={line.latest.text}>
      <span class={line.latest.fromCustomer ? "from-customer" : "from-team"}>{who}:</span> {line.latest.text}
    </div>
  );
}

/** Names for the group and assignee columns; an id the directory lacks (or not read yet) shows as it is. */
export interface TeamNames {
  users: { id: string; name: string; email: string }[];
  groups: { id: string; name: string }[];
}

function personName(team: TeamNames | undefined, id: string): string {
  const user = team?.users.find((u) => u.id === id);
  return user ? shortName(user) : id;
}

function groupName(team: TeamNames | undefined, id: string): string {
  return team?.groups.find((g) => g.id === id)?.name ?? id;
}

/** The rows ticked for a bulk change (the queue's); a table without one has no boxes. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  setAll: (ids: string[]) => void; // the page's rows, or none
}

/** "problem · 3 tickets" on a ticket others are linked to as its children (one reply there answers them all), or
 * "incident" on one of those. */
export function ProblemBadge({ line }: { line: Pick<TicketLine, "incidents" | "ofProblem"> }) {
  const n = line.incidents ?? 0;
  if (n) {
    return <Badge kind="via" title="Other tickets are linked to this one as its children: a reply here can answer them all">
      problem · {n} {n === 1 ? "ticket" : "tickets"}</Badge>;
  }
  return line.ofProblem ? <Badge kind="via" title="Linked to a problem ticket as one of its tickets">incident</Badge> : null;
}

export function TicketTable({ caption, lines, team, focus, bodyRef, testId, selection, oneRequester = false }: {
  caption: string;
  lines: TicketLine[];
  team?: TeamNames;
  focus?: number; // the keyboard-selected row
  bodyRef?: Ref<HTMLTableSectionElement>;
  testId?: string;
  selection?: RowSelection;
  oneRequester?: boolean; // every row is the same person's (a customer's page): no Requester column
}) {
  const all = lines.length > 0 && lines.every((t) => selection?.selected.has(t.id));
  const ids = lines.map((t) => t.id);
  // The list a ticket opened from here belongs to: "next" after a reply is the ticket below it (shown-list.tsx).
  useEffect(() => rememberList(sessionStorage, window.location.hash, ids), [ids.join(" ")]);
  return (
    <table class="tickets cards" data-testid={testId}>
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          {selection ? (
            <th scope="col">
              <input type="checkbox" data-testid="select-all" checked={all} aria-label="Select every ticket on this page"
                onChange={() => selection.setAll(all ? [] : lines.map((t) => t.id))} />
            </th>
          ) : null}
          <th scope="col">Ticket</th>
          <th scope="col">Subject</th>
          {oneRequester ? null : <th scope="col">Requester</th>}
          <th scope="col">Group</th>
          <th scope="col">Assignee</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">SLA</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {lines.map((t, i) => (
          <tr key={t.id} data-testid="ticket-row" class={i === focus ? "focused" : undefined} data-ticket-id={t.id}>
            {selection ? (
              <td>
                <input type="checkbox" data-testid="select-ticket" checked={selection.selected.has(t.id)}
                  aria-label={`Select ${t.number} ${t.subject}`} onChange={() => selection.toggle(t.id)} />
              </td>
            ) : null}
            <td class="nowrap">{t.number}</td>
            <td class="card-title">
              <a href={`#/t/${t.id}`} data-testid="ticket-subject">{t.subject}</a> <ProblemBadge line={t} />
              <LatestMessage line={t} />
            </td>
            {oneRequester ? null : <td title={t.requesterAddress} data-label="Requester">{t.requester}</td>}
            <td data-testid="ticket-group" data-label="Group">{t.group ? groupName(team, t.group) : <span class="hint">—</span>}</td>
            <td data-testid="ticket-assignee" data-label="Assignee">{t.assignee ? personName(team, t.assignee) : <span class="hint">unassigned</span>}</td>
            <td><Badge kind={t.status}>{statusText(t.status)}</Badge> <SnoozedBadge until={t.snoozedUntil} /></td>
            <td><Badge kind={`p-${t.priority}`}>{t.priority}</Badge></td>
            <td>{t.sla ? <Badge kind={t.sla.kind} title={t.sla.title}>{t.sla.label}</Badge> : null}</td>
            <td data-label="Updated">{relative(t.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
