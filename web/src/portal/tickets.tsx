// The customer's tickets in the portal: the list (theirs, or their organisation's when it shares its tickets), one
// ticket's public conversation with a reply box, a new ticket.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket, TicketEvent } from "../api/types";
import { Attachments, fileDropTarget, FilesToSend, postMessage, useFilesToSend } from "../shared/attachments";
import { when } from "../shared/format";
import { fill } from "../shared/language";
import { askedNow, filledValues } from "../shared/ticket-field-inputs";
import { eventKey, MessageBody } from "../shared/transcript";
import { Badge, ProblemAlert } from "../shared/ui";
import { SEND_SHORTCUTS, sendKeys, sendOnCtrlEnter } from "../shared/keys";
import { TicketRating } from "./csat";
import { SuggestedArticles } from "./help-center";
import { TicketDetails } from "./ticket-details";
import { RequestFields, RequestFormPicker, requiredIn, useRequestDefinitions } from "./request-fields";
import { statusName, useLanguage, useText, type PortalText } from "./i18n";

/** The signed-in customer as their token names them (`sub`, `email`). */
export interface Customer {
  sub: string;
  email?: string | undefined;
}

/** Whether the customer asked for the ticket themselves, as the API says (`own`: their user id, their address, or an
 * address the team linked to them). Otherwise it is a colleague's (an organisation sharing its tickets): they read
 * and answer it, its requester marks it solved and rates the help. */
export function isOwnTicket(ticket: Pick<Ticket, "own">): boolean {
  return ticket.own === true;
}

/** Who opened a ticket: their name, else their address. */
export function requesterName(ticket: Pick<Ticket, "requester">): string {
  return ticket.requester.name?.trim() || ticket.requester.email || ticket.requester.id;
}

/** Who wrote a message of the public thread, as the customer reads it; null for the team. A customer's message
 * names its sender's address when it has one (`from`: a mail, a colleague's reply in a shared organisation) and
 * their name (`from_name`); the request and the requester's replies are "You" on the customer's own ticket and the
 * requester's name on a colleague's. */
export function messageAuthor(e: TicketEvent, ticket: Ticket, me: Customer, t: PortalText): { mine: boolean; name: string } | null {
  const d = e.data as Record<string, unknown>;
  if (e.type !== "created" && d.from_customer !== true) return null;
  if (typeof d.written_by_agent === "string") return null; // a team member's mail opened it (copied to support)
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const from = text(d.from).toLowerCase();
  if (e.actor === me.sub || (from && from === me.email?.trim().toLowerCase())) return { mine: true, name: t.you };
  if (from && from !== (ticket.requester.email ?? "").trim().toLowerCase()) { // someone else: a colleague, a Cc
    return { mine: false, name: text(d.from_name) || text(d.from) };
  }
  // The request itself, the requester's replies: their id (the portal, a chat), their address or ingest's (a mail)
  if (e.type === "created" || e.actor === ticket.requester.id || from || e.actor === "email") {
    return isOwnTicket(ticket) ? { mine: true, name: t.you } : { mine: false, name: requesterName(ticket) };
  }
  return { mine: false, name: text(d.from_name) || text(d.author_name) || t.colleague };
}

/** Who of the team answered: the name the reply recorded (`author_name`, the agent's), else "Support". */
export function staffName(d: Record<string, unknown>, t: PortalText): string {
  return typeof d.author_name === "string" && d.author_name.trim() ? d.author_name.trim() : t.support;
}

/** "My tickets", or with `shared` the tickets of the customer's organisation when it shares them: the switch
 * between the two shows when `organizationShares` (the customer's profile says so, as the portal read it on
 * sign-in: read, not probed, since asking for the organisation's tickets was a 403 in the browser's log for every
 * customer whose organisation does not share them). */
/** Who wrote last and what, on one line: the team's answer stands out (it waits for the customer). A colleague's
 * words on a shared ticket carry no name: the line does not say which of them wrote. */
function LatestLine({ ticket, t }: { ticket: Ticket; t: PortalText }) {
  const latest = ticket.latest_message;
  if (!latest) return null;
  const who = !latest.from_customer ? t.support : isOwnTicket(ticket) ? t.you : null;
  return (
    <div class="latest-message" data-testid="latest-message" title={latest.text}>
      {who ? <><span class={latest.from_customer ? "from-you" : "from-team"}>{who}:</span>{" "}</> : null}{latest.text}
    </div>
  );
}

export function MyTickets({ api, me, shared = false, organizationShares = false }:
  { api: ApiClient; me: Customer; shared?: boolean; organizationShares?: boolean }) {
  const t = useText();
  const title = shared ? t.organizationTickets : t.mine;
  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">{title}</h1>
      {organizationShares || shared ? (
        <nav class="views" aria-label={t.whichTickets} data-testid="tickets-switch">
          <a href="#/" aria-current={shared ? undefined : "page"}>{t.mine}</a>
          <a href="#/organization" aria-current={shared ? "page" : undefined}>{t.organizationTickets}</a>
        </nav>
      ) : null}
      <p><a href="#/new" class="button">{t.openTicket}</a></p>
      <TicketList key={shared ? "organization" : "mine"} api={api} me={me} shared={shared} />
    </section>
  );
}

function TicketList({ api, me, shared }: { api: ApiClient; me: Customer; shared: boolean }) {
  const t = useText();
  const lang = useLanguage();
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const cursor = cursors[cursors.length - 1] ?? undefined;
    api.get("/tickets", { query: shared ? { shared: true, cursor, limit: 25 } : { cursor, limit: 25 } })
      .then((p) => { setItems(p.items); setNext(p.next_cursor ?? null); })
      .catch(setError);
  }, [cursors]);
  return (
    <>
      <ProblemAlert error={error} lang={lang} />
      {items === null ? (error ? null : <p>{t.loading}</p>) : items.length === 0 ? <p>{shared ? t.noOrganizationTickets : t.noTickets}</p> : (
        <ul class="portal-tickets">
          {items.map((ticket) => (
            <li key={ticket.id} data-testid="ticket-row">
              <a href={`#/t/${ticket.id}`} data-testid="ticket-subject">{ticket.subject}</a> <span class="method">{ticket.number}</span>{" "}
              <Badge kind={ticket.status}>{statusName(ticket.status, t)}</Badge>{" "}
              {shared ? (
                <><span class="method" data-testid="ticket-requester">
                  {isOwnTicket(ticket) ? t.openedByYou : fill(t.openedBy, { name: requesterName(ticket) })}
                </span>{" · "}</>
              ) : null}
              <span class="method">{fill(t.updated, { when: when(ticket.updated_at, lang) })}</span>
              <LatestLine ticket={ticket} t={t} />
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label={t.pages}>
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>{t.previous}</button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>{t.next}</button>
      </nav>
    </>
  );
}

export function PortalTicket({ api, id, me }: { api: ApiClient; id: string; me: Customer }) {
  const t = useText();
  const lang = useLanguage();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [reply, setReply] = useState("");
  const outgoing = useFilesToSend();
  const files = outgoing.files;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = async () => {
    setTicket(await api.get("/tickets/{ticket_id}", { path: { ticket_id: id } }));
    setEvents(await api.get("/tickets/{ticket_id}/events", { path: { ticket_id: id } }));
  };
  useEffect(() => { load().catch(setError); }, [id]);
  // Customers may say it is solved (the API lets them set `resolved` only); the rating is then asked below.
  const markSolved = async () => {
    setError(null);
    setBusy(true);
    try {
      await api.call("patch", "/tickets/{ticket_id}", { path: { ticket_id: id }, body: { status: "resolved" } });
      setNotice(t.solvedNotice);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    setError(null);
    setBusy(true);
    try {
      await postMessage(api, id, reply, true, files);
      setReply("");
      outgoing.clear();
      setNotice(t.replySent);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!ticket) return <section><ProblemAlert error={error} lang={lang} /><p>{t.loading}</p></section>;
  const thread = events.filter((e) => e.type === "created" || e.type === "public_message");
  // A colleague's ticket (their organisation shares its tickets): read and answered here, solved and rated by its
  // requester (the API refuses anyone else both).
  const own = isOwnTicket(ticket);
  return (
    <section aria-labelledby="t-title">
      <p>{own ? <a href="#/">{t.backToMine}</a> : <a href="#/organization">{t.backToOrganization}</a>}</p>
      <h1 id="t-title" data-testid="ticket-title">{ticket.subject}</h1>
      <p class="meta">
        {ticket.number} · <Badge kind={ticket.status}>{statusName(ticket.status, t)}</Badge> · {fill(t.opened, { when: when(ticket.created_at, lang) })}
        {own ? null : <> · <strong data-testid="opened-by">{fill(t.openedBy, { name: requesterName(ticket) })}</strong></>}
      </p>
      <TicketDetails api={api} values={ticket.custom_fields ?? {}} />
      <ProblemAlert error={error} lang={lang} />
      <div class="thread" data-testid="conversation">
        {thread.map((e) => {
          const d = e.data as Record<string, unknown>;
          const author = messageAuthor(e, ticket, me, t);
          return (
            <article key={eventKey(e)} class={`message public ${author ? (author.mine ? "mine" : "customer") : "staff"}`} data-testid="public-message">
              <header><strong>{author?.name ?? staffName(d, t)}</strong> <time dateTime={e.at}>{when(e.at, lang)}</time></header>
              <MessageBody text={String(e.type === "created" ? d.description ?? d.body ?? ticket.description : d.body ?? "")}
                words={{ user: t.you, assistant: t.assistant, earlierCut: t.earlierCut }}
                markdown={e.type !== "created" && d.format === "markdown"} />
              <Attachments api={api} ticketId={id} entries={d.attachments} label={t.attachments} />
            </article>
          );
        })}
      </div>
      {ticket.status !== "closed" ? (
        <form class="reply" onSubmit={(e) => { e.preventDefault(); if (reply.trim()) void send(); }}>
          <label for="portal-reply">{t.yourReply}</label>
          <textarea id="portal-reply" data-testid="reply-box" rows={5} value={reply} onInput={(e) => setReply(e.currentTarget.value)}
            onKeyDown={sendOnCtrlEnter} aria-keyshortcuts={SEND_SHORTCUTS} {...fileDropTarget(outgoing.add)} />
          <label for="portal-files">{t.attach}</label>
          <input id="portal-files" type="file" multiple data-testid="reply-files" onChange={outgoing.pick} />
          <FilesToSend files={files} label={t.filesToSend} removeLabel={t.removeFile} onRemove={outgoing.remove} />
          <button type="submit" data-testid="reply-send" disabled={busy || !reply.trim()} title={sendKeys()}>{t.sendReply}</button>
          {own && ticket.status !== "resolved" ? (
            <button type="button" class="secondary" data-testid="mark-solved" disabled={busy} onClick={() => void markSolved()}>{t.markSolved}</button>
          ) : null}
          {own ? null : <p class="hint" data-testid="colleague-ticket">{t.colleagueTicket}</p>}
          <p role="status">{notice}</p>
        </form>
      ) : <p>{t.closedTicket}</p>}
      {own ? <TicketRating api={api} ticket={ticket} lang={lang} onRated={() => void load().catch(setError)} /> : null}
    </section>
  );
}

export function NewTicket({ api }: { api: ApiClient }) {
  const t = useText();
  const lang = useLanguage();
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const { fields, forms } = useRequestDefinitions(api);
  const [picked, setPicked] = useState<string | null>(null); // a form's key, "" for something else, null: not yet
  const form = forms.find((f) => f.key === picked) ?? null;
  const [values, setValues] = useState<Record<string, unknown>>({});
  const { asked, requiredNow } = askedNow(fields, form, values); // a form's answers may ask more
  const outgoing = useFilesToSend();
  const files = outgoing.files;
  const [opened, setOpened] = useState<{ id: string; number: string } | null>(null); // opened, files not added
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      const body = { subject, description, custom_fields: filledValues(values, asked), ...(form ? { form: form.key } : {}) };
      const r = await api.call("post", "/tickets", { body });
      // Files are granted per ticket, so they follow the opening as one message of the customer's own.
      if (files.length) {
        try {
          await postMessage(api, r.data.id, t.filesForRequest, true, files);
        } catch (e) {
          setOpened({ id: r.data.id, number: r.data.number }); // the request exists: say so, never open it twice
          setError(e);
          return;
        }
      }
      window.location.hash = `#/t/${r.data.id}`;
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (opened) {
    return (
      <section aria-labelledby="new-title">
        <h1 id="new-title">{t.openTicket}</h1>
        <ProblemAlert error={error} lang={lang} />
        <p role="status" data-testid="files-not-added">{fill(t.filesNotAdded, { number: opened.number })}</p>
        <p><a href={`#/t/${opened.id}`}>{t.openRequest}</a></p>
      </section>
    );
  }
  return (
    <section aria-labelledby="new-title">
      <p><a href="#/">{t.backToMine}</a></p>
      <h1 id="new-title">{t.openTicket}</h1>
      <ProblemAlert error={error} lang={lang} />
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        {forms.length ? <RequestFormPicker forms={forms} value={picked} onChange={setPicked} /> : null}
        {forms.length && picked === null ? null : ( // the rest follows what the request is about
          <>
            <label>{t.subject} <input data-testid="new-subject" required maxLength={300} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} /></label>
            <label>{t.howCanWeHelp} <textarea data-testid="new-description" required rows={8} value={description} onInput={(e) => setDescription(e.currentTarget.value)}
              onKeyDown={sendOnCtrlEnter} aria-keyshortcuts={SEND_SHORTCUTS} {...fileDropTarget(outgoing.add)} /></label>
            <RequestFields fields={asked} required={(f) => requiredIn(f, forms, form) || requiredNow.has(f.key)} values={values}
              onChange={setValues} />
            <label>{t.attach} <input type="file" multiple data-testid="new-files" onChange={outgoing.pick} /></label>
            <FilesToSend files={files} label={t.filesToSend} removeLabel={t.removeFile} onRemove={outgoing.remove} />
            <button type="submit" data-testid="new-submit" disabled={busy} title={sendKeys()}>{t.submitTicket}</button>
          </>
        )}
      </form>
      <SuggestedArticles api={api} text={`${subject}\n${description}`} />
    </section>
  );
}
