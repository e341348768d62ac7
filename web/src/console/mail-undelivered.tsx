// Mail about the ticket that did not reach someone (SES's bounces and complaints, `mail_undelivered` events): one
// history line each, and above the reply box a warning while the last such report is newer than the customer's
// last message (their writing again shows the address works), so nobody replies into the void unawares.
import type { TicketEvent } from "../api/types";

type Recipient = { address?: unknown; status?: unknown; diagnostic?: unknown };

function recipientsOf(d: Record<string, unknown>): Recipient[] {
  return Array.isArray(d.recipients) ? d.recipients.filter((r): r is Recipient => typeof r === "object" && r !== null) : [];
}

function addresses(d: Record<string, unknown>): string {
  return recipientsOf(d).map((r) => String(r.address ?? "")).filter(Boolean).join(", ") || "a recipient";
}

/** "mail to jana@kunde.example bounced (550 5.1.1 … User unknown)", "jana@… marked our mail as spam". */
export function undeliveredLine(d: Record<string, unknown>): string {
  if (d.kind === "complaint") return `${addresses(d)} marked our mail as spam`;
  const why = recipientsOf(d).map((r) => (typeof r.diagnostic === "string" ? r.diagnostic : "")).find(Boolean);
  const lasting = d.bounce_type === "transient" ? " (for now: the server kept refusing it)" : "";
  return `mail to ${addresses(d)} bounced${lasting}${why ? `: ${why}` : ""}`;
}

/** The report to warn about: the latest one, unless the customer has written since. */
export function undeliveredWarning(events: TicketEvent[]): TicketEvent | null {
  const reports = events.filter((e) => e.type === "mail_undelivered");
  const last = reports[reports.length - 1];
  if (!last) return null;
  const customerSince = events.some((e) => e.seq > last.seq && e.type === "public_message"
    && (e.data as Record<string, unknown>).from_customer === true);
  return customerSince ? null : last;
}

export function UndeliveredWarning({ events }: { events: TicketEvent[] }) {
  const report = undeliveredWarning(events);
  if (!report) return null;
  const d = report.data as Record<string, unknown>;
  return (
    <p class="alert" role="alert" data-testid="mail-undelivered">
      Our mail did not arrive: {undeliveredLine(d)}.{" "}
      {d.kind === "complaint"
        ? "They may not want mail from us: reach them another way before replying."
        : "Check the address with the customer (or change the requester) before replying: a reply by mail would bounce too."}
    </p>
  );
}
