// The problem a new report likely belongs to, under triage's similar tickets: a similar ticket that is a problem
// (it has child links) or an incident of one (its first parent link) names that problem, and one click files this
// ticket under it as its incident (`parent` here, `child` there). One suggestion per problem; none for a problem
// this ticket is already under, for this ticket itself, or for a closed problem. The similar tickets are read once
// per page view and again whenever this ticket changes (its version); one that cannot be read suggests nothing.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { SimilarTicket } from "../api/triage";
import type { Ticket } from "../api/types";
import { Alert } from "../shared/ui";
import { childTickets, parentTicket } from "./child-replies";

const READ_AT_MOST = 5; // triage lists at most 5 similar tickets

/** The problem ticket `similar` belongs to: itself when it has child links, else its first parent, else none. */
export function problemOf(similar: Pick<Ticket, "id" | "links">): string | null {
  return childTickets(similar).length ? similar.id : parentTicket(similar);
}

/** Whether `problem` is still worth offering to `ticket`: not itself, not already its parent, neither closed (a
 * closed ticket's links are as they were: the links panel offers no change there either). */
export function suggestable(problem: Ticket, ticket: Pick<Ticket, "id" | "links" | "status">): boolean {
  if (problem.id === ticket.id || problem.status === "closed" || ticket.status === "closed") return false;
  return !(ticket.links ?? []).some((l) => l.type === "parent" && l.ticket_id === problem.id);
}

/** "Sync outage (3 tickets)": a problem's subject with how many child tickets it has. */
export function problemLine(problem: Ticket): string {
  const n = childTickets(problem).length;
  return `${problem.number} · ${problem.subject} (${n} ${n === 1 ? "ticket" : "tickets"})`;
}

/** The problems the similar tickets point at, each once, in the order of the similar tickets (those read). */
async function problemsOf(api: ApiClient, ticketId: string, similar: string[]): Promise<Ticket[]> {
  const read = (id: string): Promise<Ticket | null> =>
    api.get("/tickets/{ticket_id}", { path: { ticket_id: id } }).catch(() => null); // gone or not ours: no suggestion
  const found = new Map<string, Ticket | null>();
  (await Promise.all(similar.map(read))).forEach((t, i) => found.set(similar[i]!, t));
  const ids = [...new Set([...found.values()].flatMap((t) => {
    const problem = t ? problemOf(t) : null;
    return problem && problem !== ticketId ? [problem] : [];
  }))];
  const unread = ids.filter((id) => !found.has(id));
  (await Promise.all(unread.map(read))).forEach((t, i) => found.set(unread[i]!, t));
  return ids.flatMap((id) => {
    const problem = found.get(id);
    return problem ? [problem] : [];
  });
}

export function ProblemSuggestion({ api, ticket, similar, onChanged }: {
  api: ApiClient; ticket: Ticket; similar: SimilarTicket[]; onChanged: () => Promise<unknown>;
}) {
  const [read, setRead] = useState<{ of: string; problems: Ticket[] }>({ of: "", problems: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ids = similar.slice(0, READ_AT_MOST).map((s) => s.ticket_id);
  useEffect(() => {
    let live = true;
    void problemsOf(api, ticket.id, ids).then((problems) => live && setRead({ of: ticket.id, problems }));
    return () => {
      live = false;
    };
  }, [ticket.id, ticket.version, ids.join(" ")]);

  const link = async (problem: Ticket) => {
    setBusy(true);
    setError(null);
    try {
      await api.call("post", "/tickets/{ticket_id}/links", { path: { ticket_id: ticket.id }, body: { type: "parent", ticket_id: problem.id } });
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problems = read.of === ticket.id ? read.problems.filter((p) => suggestable(p, ticket)) : [];
  if (!problems.length && !error) return null;
  return (
    <div class="problem-suggestions">
      <Alert error={error} />
      {problems.length ? (
        <ul>
          {problems.map((p) => (
            <li key={p.id} data-testid="problem-suggestion">
              Part of problem <a href={`#/t/${p.id}`}>{problemLine(p)}</a>{" "}
              <button type="button" disabled={busy} onClick={() => void link(p)}>
                Link as its incident <span class="sr-only">{p.number}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
