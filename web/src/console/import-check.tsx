// What "Test connection" on the Import form found (POST /imports/check): whom the credentials sign in as there and how
// many tickets wait, or why an import with them would fail. Each helpdesk says what it knows: Zendesk all of it,
// Zammad the person but no count, FreeScout only the count (its API key is nobody's), so the line leaves out what the
// answer lacks rather than saying "unknown".
import type { ConnectionCheck } from "../api/types";

/** The helpdesk checked, as the form names it (`SOURCES`): "Zendesk", and what its admin makes ("API token"). */
export interface Helpdesk { name: string; token: string }

const tickets = (n: number) => `${n === 0 ? "No" : n} ${n === 1 ? "ticket" : "tickets"} to bring over.`;

/** "Signed in to Zendesk as Ada Admin (admin@acme.example), an admin. 3 tickets to bring over."; "FreeScout answered:
 * 4 tickets to bring over."; "FreeScout accepted the API key." when it told nothing more. */
export function connectionText({ name, token }: Helpdesk, check: ConnectionCheck): string {
  const a = check.account;
  const who = a?.name && a.email ? `${a.name} (${a.email})` : a?.name || a?.email || "";
  const count = typeof a?.tickets === "number" ? tickets(a.tickets) : "";
  if (who) return [`Signed in to ${name} as ${who}${a?.admin ? ", an admin" : ""}.`, count].filter(Boolean).join(" ");
  return count ? `${name} answered: ${count}` : `${name} accepted the ${token}.`;
}

/** The answer under the form's buttons: a success line, or the problem as a problem. The status line is always there
 * (empty until an answer), so that screen readers announce its text when it comes. */
export function ConnectionResult({ helpdesk, check }: { helpdesk: Helpdesk; check: ConnectionCheck | null }) {
  return (
    <>
      <p role="status" class="notice import-check" data-testid="import-check">
        {check?.ok ? connectionText(helpdesk, check) : ""}
      </p>
      {check && !check.ok ? (
        <p class="alert import-check-problem" role="alert" data-testid="import-check-problem">
          {check.problem || `${helpdesk.name} did not let these credentials in.`}
        </p>
      ) : null}
    </>
  );
}
