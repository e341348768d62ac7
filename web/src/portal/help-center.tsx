// The published public help-center articles in the portal: search, and one article; and the public page of one
// article, read without signing in, where the chat's citations and the reply mails' footnotes link.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Article, PublicArticle, SearchHit } from "../api/types";
import { Markdown } from "../shared/markdown";
import { ProblemAlert } from "../shared/ui";
import { useLanguage, useText } from "./i18n";

/** One article, signed in or on its public page, marked with the language it is written in. */
function ArticleView({ article }: { article: Pick<PublicArticle, "title" | "body" | "language"> }) {
  return (
    <article aria-labelledby="a-title" lang={article.language}>
      <h1 id="a-title">{article.title}</h1>
      <Markdown source={article.body} />
    </article>
  );
}

export function HelpCenter({ api, route }: { api: ApiClient; route: string }) {
  const t = useText();
  const lang = useLanguage();
  const id = /^\/kb\/([^/?]+)/.exec(route)?.[1];
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setArticle(null);
    setError(null);
    if (id) api.get("/kb/articles/{article_id}", { path: { article_id: decodeURIComponent(id) } }).then(setArticle).catch(setError);
  }, [id]);
  if (id) {
    return (
      <section>
        <p><a href="#/kb">{t.backToHelpCenter}</a></p>
        <ProblemAlert error={error} lang={lang} />
        {article ? <ArticleView article={article} /> : <p>{t.loading}</p>}
      </section>
    );
  }
  const search = async () => {
    setError(null);
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
      <h1 id="hc-title">{t.helpCenter}</h1>
      <form role="search" onSubmit={(e) => { e.preventDefault(); if (q.trim()) void search(); }}>
        <label for="kb-q">{t.searchArticles}</label> <input id="kb-q" data-testid="kb-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">{t.search}</button>
      </form>
      <ProblemAlert error={error} lang={lang} />
      {hits ? (
        <ul class="hits" data-testid="kb-hits">
          {hits.map((h) => (
            <li key={h.article_id}><a href={`#/kb/${h.article_id}`}>{h.title}</a><p class="snippet">{h.text.slice(0, 240)}</p></li>
          ))}
          {hits.length === 0 ? <li>{t.noArticle}</li> : null}
        </ul>
      ) : null}
    </section>
  );
}

/** `#/help/<tenant>/<article id>`: the public page of an article (no sign-in), as the API's links name it. */
export function publicArticleRoute(hash: string): { tenant: string; id: string } | null {
  const match = /^#\/help\/([^/?]+)\/([^/?]+)/.exec(hash);
  return match?.[1] && match[2] ? { tenant: decodeURIComponent(match[1]), id: decodeURIComponent(match[2]) } : null;
}

/** A published public article for anyone; where the tenant's help centre is not public, the customer signs in and
 * reads it in the portal's help centre. */
export function PublicArticlePage({ api, tenant, id }: { api: ApiClient; tenant: string; id: string }) {
  const t = useText();
  const lang = useLanguage();
  const [article, setArticle] = useState<PublicArticle | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get("/kb/public/{tenant_id}/articles/{article_id}", { path: { tenant_id: tenant, article_id: id } })
      .then(setArticle).catch(setError);
  }, [tenant, id]);
  return (
    <>
      <header class="topbar">
        <span class="brand">{t.brand}</span>
        <nav aria-label={t.sections}><a href={`?signin#/kb/${encodeURIComponent(id)}`} data-testid="public-sign-in">{t.signIn}</a></nav>
      </header>
      <main id="main">
        <section>
          <ProblemAlert error={error} lang={lang} />
          {article ? <ArticleView article={article} /> : error ? null : <p>{t.loading}</p>}
        </section>
      </main>
    </>
  );
}
