// The published public help-center articles in the portal: search, and one article.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Article, SearchHit } from "../api/types";
import { Markdown } from "../shared/markdown";
import { ProblemAlert } from "../shared/ui";
import { useLanguage, useText } from "./i18n";

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
        {article ? <article aria-labelledby="a-title"><h1 id="a-title">{article.title}</h1><Markdown source={article.body} /></article> : <p>{t.loading}</p>}
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
