// Knowledge base search for agents (GET /kb/search, internal articles included): on the ticket page, beside the
// conversation, to find the article about X and insert its link into the reply; on the knowledge screen above the
// articles. Each article once, at its best section; the passage is article text, shown as plain text.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { SearchHit } from "../api/types";
import { onePerArticle, snippet } from "../shared/search-hits";
import { ArticleLink, articleHref } from "./article-link";
import { Alert, Badge } from "../shared/ui";

/** What "Insert link" puts in a reply: the article's title and where a customer reads it. */
export function linkLine(hit: Pick<SearchHit, "title" | "link">): string {
  return `${hit.title}: ${hit.link ?? ""}`;
}

/** `text` with `line` on a line of its own at its end. */
export function withLine(text: string, line: string): string {
  if (!text.trim()) return line;
  return text.endsWith("\n") ? `${text}${line}` : `${text}\n${line}`;
}

/** One article found. With `onInsert` (the ticket page), its actions: insert the link (a public article: an internal
 * one has no page a customer can open) and open the article in a new tab (the reply being written stays); otherwise
 * (the knowledge screen) the title opens it in place. */
function KbHit({ hit, onInsert }: { hit: SearchHit; onInsert?: (hit: SearchHit) => void }) {
  const internal = hit.visibility === "internal";
  return (
    <li class="kb-hit" data-testid="kb-hit" data-article-id={hit.article_id}>
      <p class="kb-hit-title">
        {onInsert ? <strong>{hit.title}</strong> : <a href={articleHref(hit.article_id)}>{hit.title}</a>}
        {internal ? <> <Badge kind="internal" title="Agents only">internal</Badge></> : null}
      </p>
      {hit.heading && hit.heading !== hit.title ? <p class="hint kb-hit-section" data-testid="kb-hit-section">{hit.heading}</p> : null}
      <p class="snippet" data-testid="kb-hit-snippet">{snippet(hit.text)}</p>
      {onInsert ? (
        <p class="kb-hit-actions">
          {internal ? <span class="hint" data-testid="kb-internal-hint">Agents only: no customer can open it</span> : hit.link ? (
            <button type="button" class="secondary" data-testid="kb-insert-link" onClick={() => onInsert(hit)}>
              Insert link<span class="sr-only"> to {hit.title}</span>
            </button>
          ) : null}
          <ArticleLink articleId={hit.article_id} testId="kb-open">Open<span class="sr-only"> {hit.title}</span></ArticleLink>
        </p>
      ) : null}
    </li>
  );
}

/**
 * The search box and its hits. `initial`: the words it opens with, searched at once (the ticket's subject); `k`: how
 * many passages to ask for; `onInsert`: given the line to add to the reply (the ticket page), which offers "Insert
 * link" on public articles. `title`: the panel's heading.
 */
export function KbSearch({ api, title, initial = "", k = 5, onInsert }: {
  api: ApiClient;
  title: string;
  initial?: string;
  k?: number;
  onInsert?: (line: string) => void;
}) {
  const id = useId();
  const [q, setQ] = useState(initial);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const asked = useRef(0); // the latest search: an earlier one answering late is dropped (a new one needs no wait)
  const search = async (words: string) => {
    const mine = ++asked.current;
    setError(null);
    setNotice("");
    if (!words.trim()) {
      setHits(null);
      setBusy(false);
      return;
    }
    setBusy(true);
    try {
      const found = await api.get("/kb/search", { query: { q: words.trim(), k } });
      if (mine === asked.current) setHits(onePerArticle(found.hits ?? []));
    } catch (e) {
      if (mine === asked.current) {
        setHits(null);
        setError(e);
      }
    } finally {
      if (mine === asked.current) setBusy(false);
    }
  };
  useEffect(() => {
    void search(initial);
    return () => {
      asked.current++; // gone: nothing set after
    };
  }, []);
  const insert = onInsert ? (hit: SearchHit) => {
    onInsert(linkLine(hit));
    setNotice(`Link to “${hit.title}” inserted in the reply`);
  } : undefined;
  return (
    <section class="panel kb-search" aria-labelledby={`${id}-title`} data-testid="kb-search">
      <h2 id={`${id}-title`}>{title}</h2>
      <form role="search" aria-label="Search the knowledge base" class="kb-search-form" onSubmit={(e) => { e.preventDefault(); void search(q); }}>
        <label for={`${id}-q`} class="sr-only">Search articles</label>
        <input id={`${id}-q`} type="search" data-testid="kb-query" value={q} placeholder="Search articles"
          onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <Alert error={error} />
      {busy && hits === null ? <p class="hint" aria-live="polite">Searching…</p> : null}
      {hits === null ? null : hits.length === 0 ? (
        <p class="hint" data-testid="kb-none">No article matches.</p>
      ) : (
        <ul class="kb-hits" aria-label="Articles found" aria-busy={busy}>
          {hits.map((h) => <KbHit key={h.article_id} hit={h} onInsert={insert} />)}
        </ul>
      )}
      {onInsert ? <p class="notice" role="status" aria-live="polite">{notice}</p> : null}
    </section>
  );
}
