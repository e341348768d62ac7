// The customer's tickets in the portal: the list, one ticket's public conversation with a reply box, a new ticket.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket, TicketEvent } from "../api/types";
import { Attachments, postMessage } from "../shared/attachments";
import { when } from "../shared/format";
import { fill } from "../shared/language";
import { askedFields, filledValues } from "../shared/ticket-field-inputs";
import { eventKey, MessageBody } from "../shared/transcript";
import { Badge, ProblemAlert } from "../shared/ui";
import { TicketRating } from "./csat";
import { SuggestedArticles } from "./help-center";
import { TicketDetails } from "./ticket-details";
import { RequestFields, RequestFormPicker, requiredIn, useRequestDefinitions } from "./request-fields";
import { statusName, useLanguage, useText } from "./i18n";

export function MyTickets({ api }: { api: ApiClient }) {
  const t = useText();
  const lang = useLanguage();
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get("/tickets", { query: { cursor: cursors[cursors.length - 1] ?? undefined, limit: 25 } })
      .then((p) => { setItems(p.items); setNext(p.next_cursor ?? null); })
      .catch(setError);
  }, [cursors]);
  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">{t.mine}</h1>
      <p><a href="#/new" class="button">{t.openTicket}</a></p>
      <ProblemAlert error={error} lang={lang} />
      {items === null ? <p>{t.loading}</p> : items.length === 0 ? <p>{t.noTickets}</p> : (
        <ul class="portal-tickets">
          {items.map((ticket) => (
            <li key={ticket.id} data-testid="ticket-row">
              <a href={`#/t/${ticket.id}`} data-testid="ticket-subject">{ticket.subject}</a> <span class="method">{ticket.number}</span>{" "}
              <Badge kind={ticket.status}>{statusName(ticket.status, t)}</Badge>{" "}
              <span class="method">{fill(t.updated, { when: when(ticket.updated_at, lang) })}</span>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label={t.pages}>
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>{t.previous}</button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>{t.next}</button>
      </nav>
    </section>
  );
}

export function PortalTicket({ api, id }: { api: ApiClient; id: string }) {
  const t = useText();
  const lang = useLanguage();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [reply, setReply] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0); // remounts the file input to clear it after a send
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
      setFiles([]);
      setFileKey((k) => k + 1);
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
  return (
    <section aria-labelledby="t-title">
      <p><a href="#/">{t.backToMine}</a></p>
      <h1 id="t-title" data-testid="ticket-title">{ticket.subject}</h1>
      <p class="meta">
        {ticket.number} · <Badge kind={ticket.status}>{statusName(ticket.status, t)}</Badge> · {fill(t.opened, { when: when(ticket.created_at, lang) })}
      </p>
      <TicketDetails api={api} values={ticket.custom_fields ?? {}} />
      <ProblemAlert error={error} lang={lang} />
      <div class="thread" data-testid="conversation">
        {thread.map((e) => {
          const d = e.data as Record<string, unknown>;
          const mine = e.type === "created" || d.from_customer === true;
          return (
            <article key={eventKey(e)} class={`message public ${mine ? "mine" : "staff"}`} data-testid="public-message">
              <header><strong>{mine ? t.you : t.support}</strong> <time dateTime={e.at}>{when(e.at, lang)}</time></header>
              <MessageBody text={String(e.type === "created" ? d.description ?? d.body ?? ticket.description : d.body ?? "")}
                words={{ user: t.you, assistant: t.assistant, earlierCut: t.earlierCut }} />
              <Attachments api={api} ticketId={id} entries={d.attachments} label={t.attachments} />
            </article>
          );
        })}
      </div>
      {ticket.status !== "closed" ? (
        <form class="reply" onSubmit={(e) => { e.preventDefault(); if (reply.trim()) void send(); }}>
          <label for="portal-reply">{t.yourReply}</label>
          <textarea id="portal-reply" data-testid="reply-box" rows={5} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
          <label for="portal-files">{t.attach}</label>
          <input id="portal-files" key={fileKey} type="file" multiple data-testid="reply-files"
            onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} />
          <button type="submit" data-testid="reply-send" disabled={busy || !reply.trim()}>{t.sendReply}</button>
          {ticket.status !== "resolved" ? (
            <button type="button" class="secondary" data-testid="mark-solved" disabled={busy} onClick={() => void markSolved()}>{t.markSolved}</button>
          ) : null}
          <p role="status">{notice}</p>
        </form>
      ) : <p>{t.closedTicket}</p>}
      <TicketRating api={api} ticket={ticket} lang={lang} onRated={() => void load().catch(setError)} />
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
  const asked = askedFields(fields, form);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [files, setFiles] = useState<File[]>([]);
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
            <label>{t.howCanWeHelp} <textarea data-testid="new-description" required rows={8} value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
            <RequestFields fields={asked} required={(f) => requiredIn(f, forms, form)} values={values} onChange={setValues} />
            <label>{t.attach} <input type="file" multiple data-testid="new-files" onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} /></label>
            <button type="submit" data-testid="new-submit" disabled={busy}>{t.submitTicket}</button>
          </>
        )}
      </form>
      <SuggestedArticles api={api} text={`${subject}\n${description}`} />
    </section>
  );
}
