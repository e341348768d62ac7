// One ticket: conversation (public replies and internal notes apart), reply box with the AI draft and
// its citations, properties, the triage panel, the knowledge base search (an article's link into the reply), SLA
// badges and the event history. Polls the ticket's ETag and reloads events when it changes.
import type { ComponentChild } from "preact";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import { APPLICABLE, display, triageOf, type Applicable, type Citation, type FieldResult, type SimilarTicket, type Triage } from "../api/triage";
import { PRIORITIES, STATUSES, type AssistOut, type Priority, type Status, type Ticket, type TicketEvent, type TicketForm } from "../api/types";
import { type AttachmentEntry, Attachments, fileDropTarget, FilesToSend, postMessage, uploadFiles, useFilesToSend } from "../shared/attachments";
import { percent, slaBadges, statusText, when } from "../shared/format";
import { eventKey, MessageBody, ratedTurns } from "../shared/transcript";
import { useRefreshTick } from "../shared/refresh";
import { Alert, Badge, errorText } from "../shared/ui";
import { AssigneeSelect, GroupSelect, useTeam } from "./assignment";
import { useViewers, ViewersNotice } from "./viewers";
import { assignmentError, seesTicket } from "./directory";
import { MacroPicker } from "./macros";
import { ChatPages } from "./chat-pages";
import { FilesLeft, ImportedBadge, ImportedFrom } from "./imported-from";
import { OrganizationName, OrganizationNotes, useOrganization } from "./organization";
import { Followers } from "./followers";
import { loadDraft, saveDraft } from "./reply-drafts";
import { Participants } from "./participants";
import { ReminderPanel } from "./reminders";
import { savedMeanwhile } from "./saved-meanwhile";
import { SnoozedBadge, snoozeLine, SnoozePanel } from "./snooze";
import { undeliveredLine, UndeliveredWarning } from "./mail-undelivered";
import { RequesterProfileFacts } from "./customer-profile";
import { RequesterTickets } from "./requester-tickets";
import { editableFields, otherValues, TicketFieldInputs, useTicketDefinitions } from "../shared/ticket-field-inputs";
import { SEND_SHORTCUTS, sendKeys } from "../shared/keys";
import { FormatBar, MARKDOWN_HINT, ReplyPreview, replyKeys, replyShortcuts, typeIntoBox, type Edit } from "./format-bar";
import { ArticleLink } from "./article-link";
import { KbSearch, withLine } from "./kb-search";
import { TicketLinks } from "./ticket-links";
import { RedactText, redactedLine, redactionNotice } from "./redact-text";
import { TicketTitle } from "./ticket-title";
import { timeLoggedLine, TimeSpent } from "./time-spent";
import { parseAddresses, SideConversations, SideMailBadges, SideMailInput } from "./side-mail";
import { customerHref } from "./customer";
import { addressOfKey } from "./customer-addresses";
import { markTicketRead } from "./notifications-link";
import { ChildTicketsChoice, childRepliesRefused, childRepliesSummary, childTickets, ProblemSolvedWithoutReply } from "./child-replies";
import { ProblemSuggestion } from "./problem-suggestion";
import { lineOfTicket, ProblemBadge } from "./ticket-table";
import { afterReplyHash, leaveNote, ListNavigation, shownList } from "./shown-list";

export const POLL_MS = 4000;

/** `custom_fields`: only the fields the agent changed (null clears one); the API merges them into the ticket's, so
 * what integrations put there stays. `snoozed_until`: out of the queues until then, null back now. */
type Changes = {
  subject?: string; status?: Status; priority?: Priority; assignee_id?: string | null; group?: string | null; tags?: string[];
  custom_fields?: Record<string, unknown>; snoozed_until?: string | null;
};

/** Saves a ticket's property changes (only what is sent changes). With the ETag the page read, someone else's
 * change since is a 409 rather than overwritten. The new-ticket form assigns with it too ("Assign to me"). */
export function saveChanges(api: ApiClient, id: string, changes: Changes, etag: string | null) {
  return api.call("patch", "/tickets/{ticket_id}", { path: { ticket_id: id }, body: changes, ifMatch: etag ?? undefined });
}

export function conversation(events: TicketEvent[]): TicketEvent[] {
  return events.filter((e) => e.type === "created" || e.type === "public_message" || e.type === "internal_note");
}

/** Whether the AI draft still answers the thread: "current"; "answered" when a public reply went out after it
 * was written (using it would answer twice); "outdated" when the customer wrote again since. */
export function draftStanding(generatedAt: string | undefined, events: TicketEvent[]): "current" | "answered" | "outdated" {
  const written = generatedAt ? Date.parse(generatedAt) : Number.NaN;
  if (Number.isNaN(written)) return "current";
  const later = events.filter((e) => e.type === "public_message" && Date.parse(e.at) > written);
  const last = later[later.length - 1];
  if (!last) return "current";
  return (last.data as Record<string, unknown>).from_customer === true ? "outdated" : "answered";
}

export function history(events: TicketEvent[]): TicketEvent[] {
  return events.filter((e) => e.type !== "public_message" && e.type !== "internal_note");
}

/** One history line; `name` turns a user id into the person's name (assignee changes). */
export function describeEvent(e: TicketEvent, name: (id: string) => string = (id) => id): string {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case "created":
      return "created the ticket";
    case "assignee_changed": {
      const person = (v: unknown) => (typeof v === "string" ? name(v) : display(v));
      if (assignedAutomatically(e)) {
        return `Assigned to ${person(d.to)} automatically (${d.automatic === "least_busy" ? "fewest open tickets" : "in turn"})`;
      }
      return `assignee: ${person(d.from ?? d.old ?? d.previous)} → ${person(d.to ?? d.new ?? d.value)}`;
    }
    case "status_changed":
    case "priority_changed":
    case "group_changed": {
      // the SLA scan resolved a pending ticket; an agent closed it as spam; its problem ticket was solved
      const why = d.reason === "no_reply" ? " (the customer did not reply)" : d.reason === "spam" ? " (spam)"
        : typeof d.parent_number === "string" ? ` (with its problem ${d.parent_number})` : "";
      const shown = (v: unknown) => (e.type === "status_changed" && typeof v === "string" ? statusText(v) : display(v));
      return `${e.type.replace("_changed", "")}: ${shown(d.from ?? d.old ?? d.previous)} → ${shown(d.to ?? d.new ?? d.value)}${why}`;
    }
    case "fields_changed":
      return `fields: ${fieldChanges(d.from, d.to) || "unchanged"}`;
    case "subject_changed":
      return `renamed: “${display(d.from)}” → “${display(d.to)}”`;
    case "tags_changed":
      return `tags: ${display(d.added ?? d.to ?? d.tags)}${d.removed ? ` (removed ${display(d.removed)})` : ""}`;
    case "sla":
      return `SLA ${display(d.kind)}${d.target ? ` (${display(d.target)})` : ""}`;
    case "csat_rated":
      return `rated the help ${display(d.rating)}${d.comment ? `: “${display(d.comment)}”` : ""}${d.previous ? ` (was ${display(d.previous)})` : ""}`;
    case "time_logged":
      return timeLoggedLine(d);
    case "followers_changed":
      return followersLine(d.from, d.to, name);
    case "snoozed":
      return snoozeLine(d);
    case "triggered": // a trigger's mail to the team, its news for the integrations (the actor names the trigger)
      return triggeredLine(d);
    case "mail_undelivered": // SES's bounce or complaint of our mail about the ticket
      return undeliveredLine(d);
    case "requester_changed": // a chat visitor proved their address; the team linked it to a customer or took it back
      return requesterLine(d);
    case "text_redacted": // never what: how much
      return redactedLine(d);
    default:
      return e.type.replace(/_/g, " ");
  }
}

/** A requester change: "dana.k@corp.example linked to the customer dana@example.com" when the team linked the
 * address (or "no longer linked to …"), else "requester: a → b". */
export function requesterLine(d: Record<string, unknown>): string {
  const address = (v: unknown) => {
    const requester = v && typeof v === "object" ? (v as { email?: unknown; id?: unknown }) : null;
    return requester ? display(requester.email ?? requester.id) : display(v);
  };
  if (typeof d.linked_to === "string") return `${address(d.to)} linked to the customer ${addressOfKey(d.linked_to)}`;
  if (typeof d.linked_from === "string") return `${address(d.to)} no longer linked to ${addressOfKey(d.linked_from)}`;
  return `requester: ${address(d.from)} → ${address(d.to)}`;
}

/** What a trigger's `triggered` event did: "mailed the group and told the integrations". */
export function triggeredLine(d: Record<string, unknown>): string {
  const mailed = (Array.isArray(d.notify) ? d.notify : []).map((w) => (w === "group" ? "the group" : "the one who has it"));
  return [mailed.length ? `mailed ${mailed.join(" and ")}` : "", d.integrations === true ? "told the integrations" : ""]
    .filter(Boolean).join(" and ") || "fired";
}

/** Who started or stopped following, by name ("followed by Ada", "no longer followed by Otto"). */
export function followersLine(from: unknown, to: unknown, name: (id: string) => string): string {
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const before = ids(from);
  const after = ids(to);
  const added = after.filter((id) => !before.includes(id)).map(name);
  const removed = before.filter((id) => !after.includes(id)).map(name);
  return [added.length ? `followed by ${added.join(", ")}` : "", removed.length ? `no longer followed by ${removed.join(", ")}` : ""]
    .filter(Boolean).join("; ") || "followers unchanged";
}

/** The statuses a reply or note may set the ticket to ("send and set pending"): not back to new, not closed
 * (a solved ticket closes by itself or by an explicit change). */
const THEN_STATUSES: Status[] = ["open", "pending", "on_hold", "resolved"];

/** "and then": the ticket's status after the message, in the same write; empty keeps it. */
export function ThenStatusSelect({ current, value, onChange }: {
  current: Status; value: Status | ""; onChange: (status: Status | "") => void;
}) {
  return (
    <label>then{" "}
      <select data-testid="reply-status" value={value} onChange={(e) => onChange(e.currentTarget.value as Status | "")}>
        <option value="">keep it {statusText(current)}</option>
        {THEN_STATUSES.filter((s) => s !== current).map((s) => <option key={s} value={s}>set {statusText(s)}</option>)}
      </select>
    </label>
  );
}

/** The send button says what it does: "Send reply", "Send reply and set pending". */
export function sendLabel(base: string, status: Status | ""): string {
  return status ? `${base} and set ${statusText(status)}` : base;
}

/** A group's automatic assignment gave the ticket to a member (actor `system`; in turn or by load): the line says
 * so and names no actor. */
export function assignedAutomatically(e: TicketEvent): boolean {
  const d = e.data as Record<string, unknown>;
  return e.type === "assignee_changed" && (d.automatic === "round_robin" || d.automatic === "least_busy")
    && typeof d.to === "string";
}

/** Which custom fields a change set, removed or altered, each as `key: before → after`. */
export function fieldChanges(from: unknown, to: unknown): string {
  const record = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const before = record(from);
  const after = record(to);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${display(before[k])} → ${display(after[k])}`)
    .join("; ");
}

/** Who wrote or did it, as an agent reads it: the requester's name on the customer's own messages (mail and chat
 * come in under a system actor), a team member's name (actors are user ids: a Cognito subject in AWS), the name the
 * event recorded, a trigger by its name, else the actor as it is ("ai", "sla", an API client). */
export function actorName(e: TicketEvent, requester: Ticket["requester"], teamName: (id: string) => string | undefined): string {
  const d = e.data as Record<string, unknown>;
  const system = ["email", "chat", "system"].includes(e.actor);
  // the requester's own id also acts when they reopen by writing or say their problem is solved
  const byCustomer = d.from_customer === true || e.actor === requester.id || (e.type === "created" && system);
  if (byCustomer) {
    const named = typeof d.from_name === "string" && d.from_name ? d.from_name : null;
    return named ?? requester.name ?? requester.email ?? requester.id;
  }
  if (d.automatic === "pending_reminder") return "Automatic reminder"; // the SLA scan, to a customer who did not answer
  const trigger = d.trigger as { name?: unknown } | null | undefined; // a change a trigger made names it
  if (e.actor === "trigger" && typeof trigger?.name === "string" && trigger.name) return `Trigger “${trigger.name}”`;
  const recorded = typeof d.author_name === "string" && d.author_name ? d.author_name : undefined;
  return teamName(e.actor) ?? recorded ?? e.actor;
}

/** The address a mail sent for the requester came from (a website's contact form: the visitor in Reply-To), kept
 * by ingest as `sent_by` on the ticket's first event. */
export function SentBy({ events }: { events: TicketEvent[] }) {
  const sentBy = events.find((e) => e.type === "created")?.data.sent_by;
  if (typeof sentBy !== "string" || !sentBy) return null;
  return <span data-testid="sent-by" title="the mail came from this address and named the requester in Reply-To"> · sent by {sentBy}</span>;
}

/** The request form the customer picked when they opened the ticket: its name, else its key (a form removed since). */
export function RequestFormName({ forms, formKey }: { forms: TicketForm[]; formKey: string }) {
  const name = forms.find((f) => f.key === formKey)?.name;
  return <span data-testid="ticket-form" title={name ? `request form ${formKey}` : undefined}>form: {name ?? formKey}</span>;
}

/** Who asked, linking their page (every ticket of theirs): their name with the address beside it, the address alone,
 * else the id (an API caller). */
function Requester({ requester, requesterKey }: { requester: Ticket["requester"]; requesterKey: string }) {
  const address = requester.email ?? requester.id;
  return (
    <a href={customerHref(requesterKey)} data-testid="requester-link" title={`${address}: every ticket from them`}>
      {requester.name ? <>{requester.name} &lt;{address}&gt;</> : address}
    </a>
  );
}

const TRANSCRIPT_WORDS = { user: "Customer", assistant: "Assistant", earlierCut: "Earlier messages of the chat were cut.",
  ratedHelpful: "Rated helpful", ratedNotHelpful: "Rated not helpful" };

/** A cited article, opened in the console's knowledge base in a new tab (where an agent checks a quote against its
 * source, the reply being written staying here). */
function CitedArticle({ citation }: { citation: Citation }) {
  return <ArticleLink articleId={citation.article_id}>{citation.title}</ArticleLink>;
}

/** A custom field's value as the page shows it: text as written, anything else as JSON, cut to 200 characters. */
export function fieldText(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** What integrations put on the ticket (`custom_fields`: an order number, a plan, ...) that no defined field shows as
 * an input, read-only here. */
function CustomFields({ fields }: { fields: Record<string, unknown> }) {
  const entries = Object.entries(fields);
  if (!entries.length) return null;
  return (
    <dl class="custom-fields" data-testid="custom-fields" aria-label="Custom fields">
      {entries.map(([name, value]) => <div key={name}><dt>{name}</dt><dd>{fieldText(value)}</dd></div>)}
    </dl>
  );
}

/** A teammate's handle in a note: the local part of their address ("@ada" for ada@acme.example), as the mail
 * notifications read mentions. */
export function handleOf(email: string): string {
  return (email.split("@")[0] ?? "").toLowerCase();
}

/** The handle being typed at the caret ("@ad|" gives "ad"; "" right after "@"), or null when no mention is. What
 * may stand before the "@" is the server's rule (`helpdesk.kernel.mentions`): not a letter, digit or address
 * character, so "**@ad" (bold) is a mention and "ada@acme" an address. */
export function mentionQuery(text: string, caret: number): string | null {
  const typed = /(?:^|[^\w@.+-])@([A-Za-z0-9._+-]*)$/.exec(text.slice(0, caret));
  return typed ? (typed[1] ?? "").toLowerCase() : null;
}

/** The text with the mention at the caret completed to `handle` and a space, and where the caret goes after it. */
export function completeMention(text: string, caret: number, handle: string): { text: string; caret: number } {
  const start = text.lastIndexOf("@", caret - 1) + 1;
  const done = `${text.slice(0, start)}${handle} `;
  return { text: done + text.slice(caret).replace(/^\S*\s?/, ""), caret: done.length };
}

/** Under the note box: who can be mentioned (each mentioned teammate is mailed the note and answers by reply);
 * while a mention is typed, the teammates it may be, to complete it with a click. */
function MentionHint({ users, me, text, caret, onComplete }: {
  users: { id: string; email: string; role: string }[];
  me: string;
  text: string;
  caret: number;
  onComplete: (next: { text: string; caret: number }) => void;
}) {
  const handles = users.filter((u) => u.id !== me && u.role !== "customer" && u.email.includes("@")).map((u) => handleOf(u.email));
  if (!handles.length) return null;
  const typed = mentionQuery(text, caret);
  const matching = typed === null ? [] : handles.filter((h) => h.startsWith(typed) && h !== typed).slice(0, 6);
  return (
    <div class="hint" data-testid="mention-hint">
      Mention a teammate to mail them this note (they follow the ticket from then on): {handles.map((h) => `@${h}`).join(", ")}
      {matching.length ? (
        <ul class="mention-choices" aria-label="Complete the mention">
          {matching.map((h) => (
            <li key={h}><button type="button" class="link" data-testid="mention-choice" onClick={() => onComplete(completeMention(text, caret, h))}>@{h}</button></li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Whether a message can become a ticket of its own: a customer's message written on this ticket (the API splits
 * only those; a merged ticket's messages belong to their own ticket). */
export function splittable(e: TicketEvent): boolean {
  const d = e.data as Record<string, unknown>;
  return e.type === "public_message" && d.from_customer === true && !d.merged_from;
}

function Message({ e, api, ticket, author, onSplit, onAnswer, onReopen, onRedactFile }: {
  e: TicketEvent; api: ApiClient; ticket: Ticket; author: string; onSplit?: (seq: number) => void; onAnswer?: (address: string) => void;
  onReopen?: () => void; onRedactFile?: (file: AttachmentEntry) => void;
}) {
  const ticketId = ticket.id;
  const d = e.data as Record<string, unknown>;
  const internal = e.type === "internal_note";
  // A merged ticket's opening message carries its own text (`body`): the page's ticket is the one merged into.
  const body = e.type === "created" ? String(d.description ?? d.body ?? ticket.description) : String(d.body ?? "");
  const citations = (d.citations as Citation[] | undefined) ?? [];
  return (
    <article class={`message ${internal ? "internal" : "public"}`} data-testid={internal ? "internal-note" : "public-message"}>
      <header>
        <strong title={e.actor}>{author}</strong> <span class="kind">{internal ? "Internal note" : e.type === "created" ? "Opened" : "Public reply"}</span>
        {d.ai_draft ? <Badge kind="ai">AI draft{d.edited ? ", edited" : ""}</Badge> : null}
        {d.via === "mail_reply" ? <Badge kind="via" title="Answered by replying to a notification mail">by mail</Badge> : null}
        {d.kept_solved === true ? (
          <Badge kind="via" title="The customer only thanked, so the ticket stayed solved (AI settings)">thanks: kept solved</Badge>
        ) : null}
        {d.kept_solved === true && ticket.status === "resolved" && onReopen ? (
          <button type="button" class="link" data-testid="reopen-thanked" onClick={onReopen}>Reopen</button>
        ) : null}
        {internal ? <SideMailBadges data={d} onAnswer={ticket.status === "closed" ? undefined : onAnswer} /> : null}
        {typeof d.merged_from_number === "string" ? <Badge kind="via" title="Written on a ticket merged into this one">from {d.merged_from_number}</Badge> : null}
        {typeof d.parent_id === "string" ? (
          <a href={`#/t/${d.parent_id}`} data-testid="sent-with-problem" title="Sent to every child ticket of that problem ticket at once">
            <Badge kind="via">with {typeof d.parent_number === "string" ? d.parent_number : "its problem"}</Badge>
          </a>
        ) : null}
        <ImportedBadge data={d} />
        <time dateTime={e.at}>{when(e.at)}</time>
        {onSplit && splittable(e) && ticket.status !== "closed" ? (
          <button type="button" class="link" data-testid="split-message" onClick={() => onSplit(e.seq)}>Split into a new ticket</button>
        ) : null}
      </header>
      {/* the visitor's ratings belong to the chat this ticket was opened from, not to a ticket merged into it */}
      <MessageBody text={body} words={TRANSCRIPT_WORDS} rated={e.type === "created" && !d.merged_from ? ratedTurns(ticket.ai) : undefined}
        markdown={e.type !== "created" && d.format === "markdown"} />
      <Attachments api={api} ticketId={ticketId} entries={d.attachments} onRedact={onRedactFile} />
      <FilesLeft entries={d.attachments_left} />
      {citations.length ? (
        <ul class="citations" aria-label="Cited articles">
          {citations.map((c) => <li key={c.article_id}>{c.n ? `[${c.n}] ` : ""}<CitedArticle citation={c} /></li>)}
        </ul>
      ) : null}
    </article>
  );
}

// The summary follows the public thread (re-made after every message), so say how much of it it covers.
function TriageSummary({ summary }: { summary: FieldResult }) {
  const messages = typeof summary.detail?.messages === "number" ? summary.detail.messages : 1;
  return (
    <div class="summary" data-testid="triage-summary">
      <p>{display(summary.value)}</p>
      <p class="method">Summary of {messages === 1 ? "the opening message" : `${messages} messages`} · {summary.method}</p>
    </div>
  );
}

/** `problem`: what goes under the similar tickets (the problem they belong to, to file this ticket under). */
function TriagePanel({ assist, busy, act, problem }: {
  assist: AssistOut | null; busy: boolean; act: (path: string, field?: Applicable) => void;
  problem: (similar: SimilarTicket[]) => ComponentChild;
}) {
  const triage: Triage | null = triageOf(assist?.triage);
  return (
    <section class="panel triage" data-testid="triage-panel" aria-labelledby="triage-title">
      <h2 id="triage-title">AI triage</h2>
      {!assist ? <p>Loading…</p> : assist.status === "imported" ? <p>Not triaged: this ticket was done before it was imported.</p>
        : assist.status === "pending" || !triage ? <p aria-live="polite">Triage is still running…</p> : (
        <>
          {triage.summary ? <TriageSummary summary={triage.summary} /> : null}
          <dl class="fields">
            {(["category", "sentiment", "language", "priority", "group"] as const).map((name) => {
              const f = triage[name];
              if (!f) return null;
              const applicable = (APPLICABLE as readonly string[]).includes(name);
              return (
                <div class="field" key={name} data-testid={`triage-${name}`} data-state={f.state}>
                  <dt>{name}</dt>
                  <dd>
                    <span class="value">{display(f.value)}</span>{" "}
                    <Badge kind={`level-${f.level}`} title={`method: ${f.method}`}>{percent(f.confidence)} {f.level}</Badge>{" "}
                    <span class="method">{f.method}</span> <Badge kind={`state-${f.state}`}>{f.state}</Badge>
                    {applicable && decidable(f) ? (
                      <span class="actions">
                        <button type="button" disabled={busy} data-testid={`accept-${name}`} aria-label={`Accept ${name} ${display(f.value)}`}
                          onClick={() => act("accept", name as Applicable)}>Accept</button>
                        <button type="button" disabled={busy} data-testid={`reject-${name}`} aria-label={`Reject ${name} ${display(f.value)}`}
                          onClick={() => act("reject", name as Applicable)}>Reject</button>
                      </span>
                    ) : null}
                  </dd>
                </div>
              );
            })}
          </dl>
          {triage.similar_tickets?.length ? (
            <>
              <h3>Similar tickets <span class="method">({triage.similar_method})</span></h3>
              <ul>
                {triage.similar_tickets.map((s) => (
                  <li key={s.ticket_id}><a href={`#/t/${s.ticket_id}`}>{s.number} {s.subject}</a> {percent(s.score)}</li>
                ))}
              </ul>
              {problem(triage.similar_tickets)}
            </>
          ) : null}
          {triage.notes?.length ? <ul class="notes">{triage.notes.map((n) => <li>{n}</li>)}</ul> : null}
          {aiApplied(triage) ? (
            <button type="button" disabled={busy} data-testid="triage-revert" onClick={() => act("revert")}>
              Revert what AI changed
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

export function TicketPage({ api, id, me }: { api: ApiClient; id: string; me: string }) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [organization, rereadOrganization] = useOrganization(api, ticket?.organization_id);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [assist, setAssist] = useState<AssistOut | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string>("");
  const [busy, setBusy] = useState(false);
  // a reply left half-written on this ticket (another page, a reload) comes back; `keptDraft` says so once
  const [keptDraft] = useState(() => loadDraft(sessionStorage, me, id));
  const [reply, setReply] = useState(keptDraft?.text ?? "");
  const [internal, setInternal] = useState(keptDraft?.internal ?? false);
  const [draftNotice, setDraftNotice] = useState(keptDraft !== null);
  const [draftUsed, setDraftUsed] = useState(false);
  const [thenStatus, setThenStatus] = useState<Status | "">(""); // "send and set pending": set in the same write
  const [mailTo, setMailTo] = useState(""); // a note also mailed to people outside the ticket (a side conversation)
  const [toChildren, setToChildren] = useState(false); // the reply goes to the child tickets too (a problem's incidents)
  const [childrenOutcome, setChildrenOutcome] = useState(""); // what the last reply to them did, ticket by ticket
  const outgoing = useFilesToSend();
  const files = outgoing.files;
  const [caret, setCaret] = useState(0); // where in the reply box the agent types (a mention being completed)
  const [preview, setPreview] = useState(false); // the reply as it will read, under the box
  const [edits, setEdits] = useState<Changes>({});
  // What someone else's change since the page read the ticket refused (409): the properties form's edits or a
  // snooze; the banner reads the ticket again and sends it once more.
  const [conflict, setConflict] = useState<"edits" | { snoozed_until: string | null } | null>(null);
  const etagRef = useRef<string | null>(null);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  // What the box selects once a completed mention or a formatting mark is in it: placed as the render commits (a
  // layout effect, before the next key is handled), not a frame later, when keys typed meanwhile would land before it.
  const selectionAfterRender = useRef<{ start: number; end: number } | null>(null);
  useLayoutEffect(() => {
    const at = selectionAfterRender.current;
    if (at === null) return;
    selectionAfterRender.current = null;
    replyRef.current?.focus();
    replyRef.current?.setSelectionRange(at.start, at.end);
  });
  /** The reply box's text and selection changed by the page (a mention completed, a formatting mark). */
  const editReply = (edit: Edit) => {
    if (replyRef.current !== null && typeIntoBox(replyRef.current, edit)) { // its input event has set the reply
      setCaret(edit.end);
      return;
    }
    selectionAfterRender.current = { start: edit.start, end: edit.end };
    setReply(edit.text);
    setCaret(edit.end);
  };
  const team = useTeam(api);
  const { fields: ticketFields, forms } = useTicketDefinitions(api);
  const teamName = (id: string): string | undefined => team.users.find((u) => u.id === id)?.name;
  const viewers = useViewers(api, id, reply.trim() !== "");

  const loadTicket = async () => {
    const r = await api.call("get", "/tickets/{ticket_id}", { path: { ticket_id: id } });
    setTicket(r.data);
    setEtag(r.etag);
    etagRef.current = r.etag;
    return r;
  };
  const loadEvents = async () => setEvents(await api.get("/tickets/{ticket_id}/events", { path: { ticket_id: id } }));
  const loadAssist = async () => {
    try {
      setAssist(await api.get("/tickets/{ticket_id}/assist", { path: { ticket_id: id } }));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  };
  const reloadAll = async () => {
    await Promise.all([loadTicket(), loadEvents(), loadAssist()]);
  };

  useEffect(() => {
    setTicket(null);
    setError(null);
    reloadAll().catch(setError);
    if (window.location.hash.endsWith("?reply")) setTimeout(() => replyRef.current?.focus(), 50);
  }, [id]);

  const focusReply = useCallback(() => replyRef.current?.focus(), []);
  useEffect(() => markTicketRead(api, id), [id]); // its news in the agent's Notifications: read now

  useEffect(() => saveDraft(sessionStorage, me, id, reply, internal), [reply, internal]);

  const tick = useRefreshTick(POLL_MS); // not while the tab is hidden: each check is a paid call
  useEffect(() => {
    // Poll with the ETag: when the ticket's version moved, reload what changed.
    if (tick === 0) return; // the first load is the page's own
    void (async () => {
      try {
        const before = etagRef.current;
        const r = await api.call("get", "/tickets/{ticket_id}", { path: { ticket_id: id } });
        if (r.etag !== before) {
          setTicket(r.data);
          setEtag(r.etag);
          etagRef.current = r.etag;
          await Promise.all([loadEvents(), loadAssist()]);
        } else if (assist?.status === "pending" || assist?.applying) { // AI's changes are on their way
          await loadAssist();
        }
      } catch {
        /* the next tick tries again */
      }
    })();
  }, [tick]);

  /** `what`: the notice once done (a function of the answer when it depends on what the API did). */
  const run = async <T,>(what: string | ((result: T) => string), action: () => Promise<T>, reload = () => true) => {
    setBusy(true);
    setError(null);
    setNotice("");
    try {
      const result = await action();
      if (reload()) await reloadAll(); // not for a page being left
      setNotice(typeof what === "string" ? what : what(result));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const triage = triageOf(assist?.triage);
  const draft = triage?.reply ?? null;
  const standing = draft ? draftStanding(draft.generated_at, events) : "current";
  const redraft = () => run("New draft ready", () => api.call("post", "/tickets/{ticket_id}/assist/draft", { path: { ticket_id: id } }));

  const act = (path: string, field?: Applicable) =>
    run(path === "revert" ? "Reverted AI changes" : `${path === "accept" ? "Accepted" : "Rejected"} ${field}`, async () => {
      if (path === "revert") await api.call("post", "/tickets/{ticket_id}/assist/revert", { path: { ticket_id: id } });
      else if (path === "accept" && field) await api.call("post", "/tickets/{ticket_id}/assist/{field}/accept", { path: { ticket_id: id, field } });
      else if (field) await api.call("post", "/tickets/{ticket_id}/assist/{field}/reject", { path: { ticket_id: id, field } });
    });

  const mailed = internal && parseAddresses(mailTo).length > 0;
  // The AI draft goes out through its own route (its citations and model go with it), as Markdown as any reply.
  const viaDraft = draftUsed && draft !== null && !internal;
  // "Answer orders@…" on a side conversation's answer: a note mailed back to them
  const answerByMail = (address: string) => {
    setInternal(true);
    setMailTo(address);
    replyRef.current?.focus();
  };

  const childIds = ticket ? childTickets(ticket) : [];
  const childrenRefused = childRepliesRefused({ files: files.length, mailed, aiDraft: draftUsed && !internal });
  const alsoChildren = toChildren && childIds.length > 0 && childrenRefused === null;

  const send = async () => {
    setChildrenOutcome("");
    // A public reply takes the agent where their `after_reply` says; a note, a reply to child tickets (its outcome
    // per ticket is read here) or a failure stays.
    let next: string | null = null;
    let sent = false;
    await run(internal ? (mailed ? "Note added and mailed" : "Note added") : "Reply sent", async () => {
      if (!internal && !alsoChildren) { // their choice: from the team list once read, else their record
        const mine = team.users.find((u) => u.id === me)
          ?? await api.get("/users/{user_id}", { path: { user_id: "me" } }).catch(() => null);
        next = afterReplyHash(mine?.after_reply ?? "stay", id, shownList(sessionStorage));
      }
      if (viaDraft && draft) {
        // The draft goes out through its accept route, which names the files uploaded first (one message).
        const attachment_ids = files.length ? await uploadFiles(api, id, files) : undefined;
        const edited = reply !== draft.text;
        await api.call("post", "/tickets/{ticket_id}/assist/{field}/accept", {
          path: { ticket_id: id, field: "reply" },
          body: { body: edited ? reply : undefined, attachment_ids, status: thenStatus || undefined, format: "markdown" },
        });
      } else {
        // written in Markdown (the box's buttons, its preview): the mail, the portal and the thread show it so
        const posted = await postMessage(api, id, reply, !internal, files, { status: thenStatus || undefined,
          mailTo: internal ? parseAddresses(mailTo) : undefined, children: alsoChildren, format: "markdown" });
        if (alsoChildren) setChildrenOutcome(childRepliesSummary(posted.children ?? []));
      }
      setReply("");
      setMailTo("");
      setDraftNotice(false);
      setThenStatus("");
      outgoing.clear();
      setDraftUsed(false);
      setToChildren(false);
      sent = true;
    }, () => !sent || next === null);
    if (sent && next !== null && ticket) {
      leaveNote(sessionStorage, `Reply sent on ${ticket.number}.`);
      window.location.hash = next;
    }
  };

  // A customer's message about something else becomes its own ticket (linked "related" both ways).
  const split = (seq: number) => {
    if (!window.confirm("Open a new ticket from this message? It is linked to this one.")) return;
    void run("Split into a new ticket", async () => {
      const made = await api.call("post", "/tickets/{ticket_id}/split", { path: { ticket_id: id }, body: { event_seq: seq } });
      window.location.hash = `#/t/${made.data.id}`;
    });
  };

  const save = (changes: Changes, tag: string | null) =>
    run("Saved", async () => {
      try {
        await saveChanges(api, id, changes, tag);
        setEdits({});
        setConflict(null);
      } catch (e) {
        if (e instanceof ApiError && e.conflict) setConflict("edits");
        throw e;
      }
    });

  /** Snoozes until `until` (null: back now) with the ETag `tag`. Only that is sent: the properties form's unsaved
   * edits stay in the form. What the API refuses is thrown for the snooze panel to show. */
  const snooze = async (until: string | null, tag: string | null) => {
    try {
      await saveChanges(api, id, { snoozed_until: until }, tag);
    } catch (e) {
      // only a change made meanwhile is worth a reload; a solved ticket or a time out of range is not
      if (savedMeanwhile(e)) setConflict({ snoozed_until: until });
      throw e;
    }
    setConflict(null);
    await reloadAll();
  };

  /** Whether the new subject was saved (the editor stays open with it otherwise, beside the error). */
  const rename = async (subject: string): Promise<boolean> => {
    let saved = false;
    await run("Renamed", async () => {
      await saveChanges(api, id, { subject }, null);
      saved = true;
    });
    return saved;
  };

  /** Whether the text was taken out of the ticket (the form stays open with it otherwise, beside the error). */
  const redact = async (text: string): Promise<boolean> => {
    let done = false;
    await run(({ data }) => redactionNotice(data), async () => {
      const answer = await api.call("post", "/privacy/redactions", { body: { ticket_id: id, text } });
      done = true;
      return answer;
    });
    return done;
  };

  /** Take a file out of the ticket for good (a photo of an ID card), once the agent confirms. */
  const redactFile = (file: AttachmentEntry) => {
    if (!window.confirm(`Delete “${file.filename}” from this ticket for good (and the mail it came in)? This cannot be undone.`)) return;
    void run(({ data }) => redactionNotice(data), () => api.call("post", "/privacy/redactions", { body: { ticket_id: id, file_id: file.id } }));
  };

  /** Close as spam and block the sender's mail (the API adds them to the blocked senders; an admin undoes it). */
  const markSpam = () => {
    if (!ticket) return;
    const address = ticket.requester.email;
    if (!window.confirm(`Close ${ticket.number} as spam${address ? ` and block all mail from ${address}` : ""}?`)) return;
    void run(({ data }) => spamNotice(data.blocked_sender, data.kept_sender),
      () => api.call("post", "/tickets/{ticket_id}/spam", { path: { ticket_id: id }, body: { block_sender: true } }));
  };

  const reapply = async () => {
    const refused = conflict;
    setBusy(true);
    try {
      const fresh = await loadTicket();
      setBusy(false);
      if (refused && refused !== "edits") await snooze(refused.snoozed_until, fresh.etag);
      else await save(edits, fresh.etag);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (!ticket) {
    return (
      <section>
        <Alert error={error} />
        {error ? <a href="#/">Back to the queue</a> : <p aria-live="polite">Loading…</p>}
      </section>
    );
  }
  const value = <K extends keyof Changes>(k: K, fallback: Changes[K]) => (k in edits ? edits[k] : fallback);
  const editable = editableFields(ticketFields, ticket.custom_fields);
  const fieldValue = (key: string): unknown => (edits.custom_fields && key in edits.custom_fields ? edits.custom_fields[key] : ticket.custom_fields[key]);

  return (
    <div class="ticket-page">
      <section class="conversation" aria-labelledby="ticket-title">
        <ListNavigation current={id} onReply={focusReply} />
        <TicketTitle ticket={ticket} busy={busy} onRename={rename}>
          {ticket.status === "closed" ? null : (
            <button type="button" class="link" data-testid="mark-spam" disabled={busy} onClick={markSpam}>Mark as spam</button>
          )}
          <RedactText busy={busy} onRedact={redact} />
        </TicketTitle>
        <ViewersNotice others={viewers} name={teamName} />
        <p class="meta">
          <Badge kind={ticket.status}>{statusText(ticket.status)}</Badge>{" "}
          <SnoozedBadge until={ticket.snoozed_until} />{" "}
          <Badge kind={`p-${ticket.priority}`}>{ticket.priority}</Badge>{" "}
          <ProblemBadge line={lineOfTicket(ticket)} />{" "}
          {ticket.no_customer ? (
            // the team's own ticket: the teammate who opened it is its requester, and no customer waits on it
            <>{ticket.channel} · <span data-testid="no-customer">no customer · opened by {teamName(ticket.requester.id) ?? ticket.requester.email ?? ticket.requester.id}</span></>
          ) : (<>
            {ticket.channel} · from <Requester requester={ticket.requester} requesterKey={ticket.requester_key} />
            <SentBy events={events} />
            <RequesterProfileFacts api={api} requesterKey={ticket.requester_key} />
          </>)}
          {ticket.organization_id ? <> · <OrganizationName id={ticket.organization_id} found={organization} /></> : null}
          {ticket.form ? <> · <RequestFormName forms={forms} formKey={ticket.form} /></> : null}
          {slaBadges(ticket.sla).map((b) => (
            <> <Badge kind={`sla-${b.state}`} title={b.due ? `due ${when(b.due)}` : undefined}>{b.name}: {b.state}{b.due ? ` · due ${when(b.due)}` : ""}</Badge></>
          ))}
        </p>
        <ChatPages ai={ticket.ai} />
        <ImportedFrom origin={ticket.imported_from} />
        {ticket.csat ? (
          <p class="meta" data-testid="ticket-csat">
            <Badge kind={`csat-${ticket.csat.rating}`} title={`rated ${when(ticket.csat.at)}`}>
              Customer rating: {ticket.csat.rating}
            </Badge>
            {ticket.csat.comment ? <> “{ticket.csat.comment}”</> : null}
          </p>
        ) : null}
        <Alert error={assignmentError(error, "group") || assignmentError(error, "assignee_id") ? null : error} />
        {conflict ? (
          <div class="alert" role="alert">
            Someone changed this ticket since you opened it.{" "}
            <button type="button" onClick={reapply} data-testid="reapply">Reload and reapply my changes</button>
          </div>
        ) : null}
        <p class="notice" role="status" aria-live="polite">{notice}</p>
        <div class="thread" data-testid="conversation">
          {conversation(events).map((e) => <Message key={eventKey(e)} e={e} api={api} ticket={ticket} author={actorName(e, ticket.requester, teamName)} onSplit={split} onAnswer={answerByMail}
            onReopen={() => void run("Reopened", () => saveChanges(api, id, { status: "open" }, etag))} onRedactFile={redactFile} />)}
        </div>
        <form class="reply" aria-label="Reply" onSubmit={(e) => { e.preventDefault(); if (reply.trim()) void send(); }}>
          <UndeliveredWarning events={events} />
          {draft && draft.state !== "accepted" ? (
            <div class="draft" data-testid="ai-draft">
              <p>
                <strong>AI draft</strong> <Badge kind={`level-${draft.level}`}>{percent(draft.confidence)} {draft.level}</Badge>{" "}
                <span class="method">{draft.method}</span>{" "}
                {standing === "answered" ? null : (
                  <button type="button" data-testid="use-draft" onClick={() => { setReply(draft.text); setDraftUsed(true); setInternal(false); replyRef.current?.focus(); }}>
                    Use draft
                  </button>
                )}{" "}
                {standing === "current" ? null : <button type="button" data-testid="redraft" disabled={busy} onClick={() => void redraft()}>Draft again</button>}
              </p>
              {standing === "current" ? null : (
                <p class="hint" data-testid="draft-standing">
                  {standing === "answered" ? "The ticket was answered after this draft was written." : "Written before the customer's latest message."}
                </p>
              )}
              {/* What "Use draft" puts in the reply box, read before it is used (focusable: it scrolls when long); the articles it cites open in
                  the knowledge base in a new tab, so the agent can check the quote against its source and keep the reply. */}
              <p class="draft-text" data-testid="draft-text" tabIndex={0} aria-label="Draft text">{draft.text}</p>
              {draft.citations.length ? (
                <ol class="citations" aria-label="Draft citations">
                  {draft.citations.map((c) => (
                    <li key={c.article_id} data-testid="draft-citation"><CitedArticle citation={c} /></li>
                  ))}
                </ol>
              ) : null}
            </div>
          ) : null}
          {draftNotice && reply.trim() ? (
            <p class="hint" data-testid="kept-draft" aria-live="polite">
              Your unsent {internal ? "note" : "reply"} was kept.{" "}
              <button type="button" class="link" data-testid="discard-draft"
                onClick={() => { setReply(""); setInternal(false); setDraftNotice(false); }}>Discard it</button>
            </p>
          ) : null}
          <label for="reply-box">{internal ? "Internal note" : "Public reply"}</label>
          <FormatBar box={replyRef} controls="reply-box" onEdit={editReply} preview={preview} onPreview={setPreview} />
          <textarea id="reply-box" ref={replyRef} data-testid="reply-box" rows={6} value={reply}
            onInput={(e) => { setReply(e.currentTarget.value); setCaret(e.currentTarget.selectionStart); }}
            onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)} onClick={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={replyKeys(editReply)} aria-keyshortcuts={replyShortcuts(SEND_SHORTCUTS)}
            aria-describedby="reply-format-hint" {...fileDropTarget(outgoing.add)} />
          <p class="hint format-hint" id="reply-format-hint" data-testid="reply-format-hint">
            {MARKDOWN_HINT}
          </p>
          {preview ? <ReplyPreview text={reply} internal={internal} words={TRANSCRIPT_WORDS} /> : null}
          {internal ? (
            <MentionHint users={team.users.filter((u) => seesTicket(u, team.groups, ticket))} me={me} text={reply} caret={caret}
              onComplete={(next) => editReply({ text: next.text, start: next.caret, end: next.caret })} />
          ) : null}
          {internal ? <SideMailInput value={mailTo} onChange={setMailTo} contacts={ticket.side_contacts ?? []} /> : null}
          <label for="reply-files">Attach files (or paste a screenshot into the box, or drop files on it)</label>
          <input id="reply-files" type="file" multiple data-testid="reply-files" onChange={outgoing.pick} />
          <FilesToSend files={files} label="Files to send" removeLabel="Remove" onRemove={outgoing.remove} />
          <ChildTicketsChoice count={childIds.length} checked={toChildren} refused={childrenRefused}
            solving={thenStatus === "resolved" || thenStatus === "closed"} onChange={setToChildren} />
          <div class="reply-actions">
            <label><input type="checkbox" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} /> Internal note</label>
            <ThenStatusSelect current={ticket.status} value={thenStatus} onChange={setThenStatus} />
            <button type="submit" data-testid="reply-send" disabled={busy || !reply.trim()} title={sendKeys()}>
              {sendLabel(internal ? (mailed ? "Add note and mail it" : "Add note") : draftUsed ? "Send AI draft" : "Send reply", thenStatus)}
            </button>
          </div>
          {childIds.length || childrenOutcome ? (
            <p class="notice" role="status" aria-live="polite" data-testid="reply-children-outcome">{childrenOutcome}</p>
          ) : null}
        </form>
        <MacroPicker api={api} ticket={ticket} etag={etag}
          onApplied={async (name) => { await reloadAll(); setNotice(`Macro applied: ${name}`); }} />
      </section>
      <aside class="side">
        <section class="panel" aria-labelledby="props-title">
          <h2 id="props-title">Properties</h2>
          <form class="props" onSubmit={(e) => { e.preventDefault(); void save(edits, etag); }}>
            <label>Status
              <select value={value("status", ticket.status)} onChange={(e) => setEdits({ ...edits, status: e.currentTarget.value as Status })}>
                {STATUSES.map((s) => <option key={s} value={s}>{statusText(s)}</option>)}
              </select>
            </label>
            <ProblemSolvedWithoutReply count={childIds.length} status={edits.status} />
            <label>Priority
              <select data-testid="prop-priority" value={value("priority", ticket.priority)} onChange={(e) => setEdits({ ...edits, priority: e.currentTarget.value as Priority })}>
                {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
              </select>
            </label>
            <GroupSelect groups={team.groups} value={value("group", ticket.group) ?? null} error={error}
              onChange={(group) => setEdits({ ...edits, group })} />
            <AssigneeSelect team={team} group={value("group", ticket.group) ?? null} value={value("assignee_id", ticket.assignee_id) ?? null}
              error={error} onChange={(assignee_id) => setEdits({ ...edits, assignee_id })} />
            <button type="button" class="link" data-testid="assign-to-me" onClick={() => setEdits({ ...edits, assignee_id: me })}>Assign to me</button>
            {team.error ? <Alert error={team.error} /> : null}
            <label>Tags
              <input data-testid="prop-tags" value={(value("tags", ticket.tags) ?? []).join(", ")}
                onInput={(e) => setEdits({ ...edits, tags: e.currentTarget.value.split(",").map((t) => t.trim()).filter(Boolean) })} />
            </label>
            <TicketFieldInputs fields={editable} value={fieldValue}
              onChange={(key, v) => setEdits({ ...edits, custom_fields: { ...edits.custom_fields, [key]: v } })} />
            <button type="submit" disabled={busy || Object.keys(edits).length === 0}>Save</button>
          </form>
          <CustomFields fields={otherValues(ticket.custom_fields, editable)} />
        </section>
        {/* what the AI suggests for those properties, and its summary: read with them, before the panels below */}
        <TriagePanel assist={assist} busy={busy} act={act}
          problem={(similar) => <ProblemSuggestion api={api} ticket={ticket} similar={similar} onChanged={reloadAll} />} />
        <RequesterTickets api={api} ticket={ticket} />
        <OrganizationNotes api={api} found={organization} onSaved={rereadOrganization} />
        <TimeSpent api={api} ticket={ticket} onLogged={async (r) => {
          // the answer is the ticket with its new total; the history gets the entry
          setTicket(r.data);
          if (r.etag) {
            setEtag(r.etag);
            etagRef.current = r.etag;
          }
          await (r.etag ? loadEvents() : Promise.all([loadTicket(), loadEvents()]));
        }} />
        {/* articles about the ticket's subject; a public one's link goes at the end of the reply, public or note as it is */}
        <KbSearch key={ticket.id} api={api} title="Knowledge base" initial={ticket.subject} k={5}
          onInsert={(line) => setReply((text) => withLine(text, line))} />
        <TicketLinks api={api} ticket={ticket} onChanged={reloadAll} />
        <Participants api={api} ticket={ticket} etag={etag} onChanged={reloadAll} />
        <Followers api={api} ticket={ticket} team={team} me={me} onChanged={reloadAll} />
        <ReminderPanel api={api} ticketId={ticket.id} />
        <SnoozePanel ticket={ticket} onSnooze={(until) => snooze(until, etag)} />
        <SideConversations events={events} onWrite={ticket.status === "closed" ? undefined : answerByMail} />
        <section class="panel" aria-labelledby="events-title">
          <h2 id="events-title">History</h2>
          <ol class="events" data-testid="events">
            {history(events).map((e) => (
              <li key={eventKey(e)}><time dateTime={e.at}>{when(e.at)}</time>{" "}
                {assignedAutomatically(e) ? null : <><strong title={e.actor}>{actorName(e, ticket.requester, teamName)}</strong>{" "}</>}
                {describeEvent(e, (uid) => teamName(uid) ?? uid)}</li>
            ))}
          </ol>
        </section>
      </aside>
    </div>
  );
}

export { errorText };

/** What "Mark as spam" did: the address it blocked, or the teammate's address it left alone. */
export function spamNotice(blocked: string | null | undefined, kept: string | null | undefined): string {
  if (blocked) return `Closed as spam. Mail from ${blocked} is blocked (an admin can unblock it under Mail).`;
  if (kept) return `Closed as spam. ${kept} is a teammate's address, so their mail is not blocked.`;
  return "Closed as spam.";
}

/** Whether AI applied a field the agent may still revert (with nothing applied, "Revert" would do nothing). */
export function aiApplied(triage: Triage): boolean {
  return APPLICABLE.some((name) => triage[name]?.state === "applied");
}

/** Whether an agent may accept or reject a suggestion: one still open, that suggests something (a field AI left
 * empty, a message unlike every example, has nothing to accept). */
export function decidable(field: Pick<FieldResult, "state" | "value">): boolean {
  return field.state === "suggested" && field.value !== null && field.value !== undefined;
}
