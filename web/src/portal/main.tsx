// The customer portal: my tickets and their public history, reply, open a ticket, search and read
// the published public help-center articles.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import type { Article, SearchHit, Ticket, TicketEvent } from "../api/types";
import { loadConfig, pageAuth, type PageAuth } from "../shared/auth";
import { Attachments, uploadFiles } from "../shared/attachments";
import { when } from "../shared/format";
import { Markdown } from "../shared/markdown";
import { Alert, Badge } from "../shared/ui";
import { CsatPage, csatRoute, TicketRating } from "./csat";

let auth: PageAuth;

function useRoute(): string {
  const [route, setRoute] = useState(window.location.hash.replace(/^#/, "") || "/");
  useEffect(() => {
    const on = () => setRoute(window.location.hash.replace(/^#/, "") || "/");
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

function MyTickets({ api }: { api: ApiClient }) {
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
      <h1 id="mine-title">My tickets</h1>
      <p><a href="#/new" class="button">Open a ticket</a></p>
      <Alert error={error} />
      {items === null ? <p>Loading…</p> : items.length === 0 ? <p>You have no tickets yet.</p> : (
        <ul class="portal-tickets">
          {items.map((t) => (
            <li key={t.id} data-testid="ticket-row">
              <a href={`#/t/${t.id}`} data-testid="ticket-subject">{t.subject}</a> <span class="method">{t.number}</span>{" "}
              <Badge kind={t.status}>{t.status}</Badge> <span class="method">updated {when(t.updated_at)}</span>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>Next</button>
      </nav>
    </section>
  );
}

function PortalTicket({ api, id }: { api: ApiClient; id: string }) {
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
  const send = async () => {
    setError(null);
    setBusy(true);
    try {
      const attachment_ids = files.length ? await uploadFiles(api, id, files) : undefined;
      await api.call("post", "/tickets/{ticket_id}/messages", { path: { ticket_id: id }, body: { body: reply, public: true, attachment_ids } });
      setReply("");
      setFiles([]);
      setFileKey((k) => k + 1);
      setNotice("Your reply was sent.");
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!ticket) return <section><Alert error={error} /><p>Loading…</p></section>;
  const thread = events.filter((e) => e.type === "created" || e.type === "public_message");
  return (
    <section aria-labelledby="t-title">
      <p><a href="#/">← My tickets</a></p>
      <h1 id="t-title" data-testid="ticket-title">{ticket.subject}</h1>
      <p class="meta">{ticket.number} · <Badge kind={ticket.status}>{ticket.status}</Badge> · opened {when(ticket.created_at)}</p>
      <Alert error={error} />
      <div class="thread" data-testid="conversation">
        {thread.map((e) => {
          const d = e.data as Record<string, unknown>;
          const mine = e.type === "created" || d.from_customer === true;
          return (
            <article key={e.seq} class={`message public ${mine ? "mine" : "staff"}`} data-testid="public-message">
              <header><strong>{mine ? "You" : "Support"}</strong> <time dateTime={e.at}>{when(e.at)}</time></header>
              <p class="body">{String(e.type === "created" ? d.description ?? ticket.description : d.body ?? "")}</p>
              <Attachments api={api} ticketId={id} entries={d.attachments} />
            </article>
          );
        })}
      </div>
      {ticket.status !== "closed" ? (
        <form class="reply" onSubmit={(e) => { e.preventDefault(); if (reply.trim()) void send(); }}>
          <label for="portal-reply">Your reply</label>
          <textarea id="portal-reply" data-testid="reply-box" rows={5} value={reply} onInput={(e) => setReply(e.currentTarget.value)} />
          <label for="portal-files">Attach files</label>
          <input id="portal-files" key={fileKey} type="file" multiple data-testid="reply-files"
            onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} />
          <button type="submit" data-testid="reply-send" disabled={busy || !reply.trim()}>Send reply</button>
          <p role="status">{notice}</p>
        </form>
      ) : <p>This ticket is closed. Open a new one if you need more help.</p>}
      <TicketRating api={api} ticket={ticket} onRated={() => void load().catch(setError)} />
    </section>
  );
}

function NewTicket({ api }: { api: ApiClient }) {
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    try {
      const r = await api.call("post", "/tickets", { body: { subject, description } });
      window.location.hash = `#/t/${r.data.id}`;
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="new-title">
      <p><a href="#/">← My tickets</a></p>
      <h1 id="new-title">Open a ticket</h1>
      <Alert error={error} />
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label>Subject <input data-testid="new-subject" required maxLength={300} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} /></label>
        <label>How can we help? <textarea data-testid="new-description" required rows={8} value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
        <button type="submit" data-testid="new-submit">Open ticket</button>
      </form>
    </section>
  );
}

function HelpCenter({ api, route }: { api: ApiClient; route: string }) {
  const id = /^\/kb\/([^/?]+)/.exec(route)?.[1];
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setArticle(null);
    if (id) api.get("/kb/articles/{article_id}", { path: { article_id: decodeURIComponent(id) } }).then(setArticle).catch(setError);
  }, [id]);
  if (id) {
    return (
      <section>
        <p><a href="#/kb">← Help center</a></p>
        <Alert error={error} />
        {article ? <article aria-labelledby="a-title"><h1 id="a-title">{article.title}</h1><Markdown source={article.body} /></article> : <p>Loading…</p>}
      </section>
    );
  }
  const search = async () => {
    try {
      const r = await api.get("/kb/search", { query: { q, k: 8 } });
      const seen = new Set<string>();
      setHits(r.hits.filter((h) => !seen.has(h.article_id) && seen.add(h.article_id)));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="hc-title">
      <h1 id="hc-title">Help center</h1>
      <form role="search" onSubmit={(e) => { e.preventDefault(); if (q.trim()) void search(); }}>
        <label for="kb-q">Search articles</label> <input id="kb-q" data-testid="kb-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <Alert error={error} />
      {hits ? (
        <ul class="hits" data-testid="kb-hits">
          {hits.map((h) => (
            <li key={h.article_id}><a href={`#/kb/${h.article_id}`}>{h.title}</a><p class="snippet">{h.text.slice(0, 240)}</p></li>
          ))}
          {hits.length === 0 ? <li>No article matches.</li> : null}
        </ul>
      ) : null}
    </section>
  );
}

function App({ api }: { api: ApiClient }) {
  const route = useRoute();
  const claims = auth.claims;
  if (!claims) return null;
  const ticket = /^\/t\/([A-Za-z0-9_-]+)/.exec(route)?.[1];
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">Support</a>
        <nav aria-label="Sections">
          <a href="#/">My tickets</a>
          <a href="#/new">Open a ticket</a>
          <a href="#/kb">Help center</a>
        </nav>
        <span class="who" data-testid="signed-in-as">{claims.email ?? claims.sub}</span>
        <button type="button" class="link" onClick={() => void auth.signOut()}>Sign out</button>
      </header>
      <main id="main">
        {ticket ? <PortalTicket api={api} id={ticket} /> : route.startsWith("/new") ? <NewTicket api={api} /> :
          route.startsWith("/kb") ? <HelpCenter api={api} route={route} /> : <MyTickets api={api} />}
      </main>
    </>
  );
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const rating = csatRoute(window.location.hash);
  if (rating) { // the link mailed on resolution: no sign-in, the token in the link is the credential
    const root = document.getElementById("app");
    if (root) render(<CsatPage api={new ApiClient({ baseUrl: config.api })} token={rating.token} rating={rating.rating} lang={rating.lang} />, root);
    return;
  }
  auth = pageAuth(config, "portal");
  if (!(await auth.load())) {
    await auth.signIn();
    return;
  }
  const api = new ApiClient({ baseUrl: config.api, token: () => auth.current(), onUnauthorized: () => void auth.expired() });
  const root = document.getElementById("app");
  if (root) render(<App api={api} />, root);
}

void start();
