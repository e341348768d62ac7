// The published public help-center articles in the portal: search, and one article; and the public page of one
// article, read without signing in, where the chat's citations and the reply mails' footnotes link.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { ArticleDetail, HelpCenterSection, PublicArticle, PublicArticleSummary, PublicTranslation, SearchHit } from "../api/types";
import { languageName } from "../shared/language";
import { Markdown } from "../shared/markdown";
import { publicPictures, signedInPictures, type Pictures } from "../shared/pictures";
import { ProblemAlert } from "../shared/ui";
import { useHashRoute } from "../shared/route";
import { onePerArticle, snippet } from "../shared/search-hits";
import { useLanguage, useText } from "./i18n";

/** One article, signed in or on its public page, marked with the language it is written in; the tab (and a shared
 * link's preview) names it. Under its title, the other languages it is in (`translations`), each a link to the same
 * kind of page (`href`). */
function ArticleView({ article, onFeedback, pictures, href }: {
  article: Pick<PublicArticle, "title" | "body" | "language" | "translations"> & { section?: string };
  onFeedback: (helpful: boolean) => Promise<unknown>;
  pictures: Pictures; // the article's pictures: from their public address, or fetched signed in
  href: (id: string) => string;
}) {
  const t = useText();
  useEffect(() => {
    const before = document.title;
    document.title = `${article.title} · ${t.helpCenter}`;
    return () => { document.title = before; };
  }, [article.title]);
  return (
    <article aria-labelledby="a-title" lang={article.language}>
      {article.section ? <p class="hint" data-testid="article-section">{article.section}</p> : null}
      <h1 id="a-title">{article.title}</h1>
      <AlsoIn translations={article.translations} href={href} />
      <Markdown source={article.body} pictures={pictures} />
      <ArticleFeedback key={article.title} onFeedback={onFeedback} />
    </article>
  );
}

/** "Also in: Deutsch · Español": the article's other languages, each named in itself and marked as written in it
 * (the line itself in the portal's language); nothing when it has none. */
function AlsoIn({ translations, href }: { translations: PublicTranslation[]; href: (id: string) => string }) {
  const t = useText();
  const lang = useLanguage();
  if (!translations.length) return null;
  return (
    <p class="hint" lang={lang} data-testid="also-in">
      {t.alsoIn}{" "}
      {translations.map((tr, i) => (
        <span key={tr.id}>
          {i ? " · " : null}
          <a href={href(tr.id)} lang={tr.language} hreflang={tr.language}>{languageName(tr.language)}</a>
        </span>
      ))}
    </p>
  );
}

/** The search form and its hits, one per article; `find` asks the API (signed in, or the public help centre), `base`
 * is the help centre's address. The question stays in the addresses (`?q=`): of the hits, and of the articles opened
 * from them, whose "← Help center" leads back to the same hits. */
function ArticleSearch({ find, base, asked }: { find: (q: string) => Promise<SearchHit[]>; base: string; asked: string }) {
  const t = useText();
  const lang = useLanguage();
  const [q, setQ] = useState(asked);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The box follows the address's question when it changes (back, a link), not when it first shows: words typed at
  // once after the page opened (before this effect ran) stay.
  const shownFor = useRef(asked);
  useEffect(() => {
    if (shownFor.current !== asked) setQ(asked);
    shownFor.current = asked;
    setHits(null);
    setError(null);
    if (!asked.trim()) return;
    find(asked).then((found) => setHits(onePerArticle(found))).catch(setError);
  }, [asked]);
  return (
    <section aria-labelledby="hc-title">
      <h1 id="hc-title">{t.helpCenter}</h1>
      <form role="search" onSubmit={(e) => { e.preventDefault(); if (q.trim()) window.location.hash = withQuestion(base, q.trim()); }}>
        <label for="kb-q">{t.searchArticles}</label> <input id="kb-q" data-testid="kb-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">{t.search}</button>
      </form>
      <ProblemAlert error={error} lang={lang} />
      {hits ? (
        <ul class="hits" data-testid="kb-hits">
          {hits.map((h) => (
            <li key={h.article_id}><a href={withQuestion(`${base}/${encodeURIComponent(h.article_id)}`, asked)}>{h.title}</a><p class="snippet">{snippet(h.text, HELP_SNIPPET_CHARS)}</p></li>
          ))}
          {hits.length === 0 ? <li>{t.noArticle}</li> : null}
        </ul>
      ) : null}
    </section>
  );
}


/** The question of a help-centre address (`...?q=reset%20password`), "" without one. */
export function askedQuestion(route: string): string {
  const query = route.split("?")[1] ?? "";
  return new URLSearchParams(query).get("q") ?? "";
}

function withQuestion(address: string, q: string): string {
  return q ? `${address}?q=${encodeURIComponent(q)}` : address;
}

/** "Was this article helpful?" Yes / No, answered once per page view; a failed call only hides the question. */
function ArticleFeedback({ onFeedback }: { onFeedback: (helpful: boolean) => Promise<unknown> }) {
  const t = useText();
  const [answered, setAnswered] = useState(false);
  const answer = (helpful: boolean) => { setAnswered(true); void onFeedback(helpful).catch(() => undefined); };
  if (answered) return <p class="notice" role="status" data-testid="feedback-thanks">{t.feedbackThanks}</p>;
  return (
    <p class="feedback" data-testid="article-feedback">
      {t.wasHelpful}{" "}
      <button type="button" class="secondary" onClick={() => answer(true)}>{t.helpfulYes}</button>
      <button type="button" class="secondary" onClick={() => answer(false)}>{t.helpfulNo}</button>
    </p>
  );
}

export function HelpCenter({ api, route }: { api: ApiClient; route: string }) {
  const t = useText();
  const lang = useLanguage();
  const id = /^\/kb\/([^/?]+)/.exec(route)?.[1];
  const [article, setArticle] = useState<ArticleDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Only the titles are shown, but a customer's list is the articles API's (bodies and all): pages stay at 50.
  // Each article once, in the reader's language where it is translated into it.
  const articles = useCallback((cursor?: string) =>
    api.get("/kb/articles", { query: { status: "published", limit: 50, cursor, language: lang } }), [api, lang]);
  const sections = useCallback(async () => (await api.get("/kb/sections")).sections ?? [], [api]);
  useEffect(() => {
    setArticle(null);
    setError(null);
    if (id) api.get("/kb/articles/{article_id}", { path: { article_id: decodeURIComponent(id) } }).then(setArticle).catch(setError);
  }, [id]);
  if (id) {
    return (
      <section>
        <p><a href={withQuestion("#/kb", askedQuestion(route))}>{t.backToHelpCenter}</a></p>
        <ProblemAlert error={error} lang={lang} />
        {article ? <ArticleView article={{ ...article, translations: article.translations.filter((tr) => tr.status === "published") }}
          href={(other) => withQuestion(`#/kb/${encodeURIComponent(other)}`, askedQuestion(route))}
          pictures={signedInPictures(api)} onFeedback={(helpful) => api.call("post", "/kb/articles/{article_id}/feedback", { path: { article_id: article.id }, body: { helpful } })} /> : <p>{t.loading}</p>}
      </section>
    );
  }
  const find = async (q: string) => (await api.get("/kb/search", { query: { q, k: 8, language: lang } })).hits;
  return (
    <>
      <ArticleSearch find={find} base="#/kb" asked={askedQuestion(route)} />
      {askedQuestion(route) ? null : <ArticleList load={articles} sections={sections} href={(a) => `#/kb/${encodeURIComponent(a)}`} />}
    </>
  );
}

/** `#/help/<tenant>[/<article id>][?q=...]`: the public help centre (no sign-in), as the API's links name it. */
export function publicHelpRoute(hash: string): { tenant: string; id: string | null } | null {
  const match = /^#?\/help\/([^/?]+)(?:\/([^/?]+))?/.exec(hash);
  if (!match?.[1]) return null;
  return { tenant: decodeURIComponent(match[1]), id: match[2] ? decodeURIComponent(match[2]) : null };
}

/** The help centre of a tenant that makes it public, for anyone: its search and its published public articles.
 * Where it is not public the API answers 404 and the visitor signs in to read it in the portal. */
export function PublicHelpCenter({ api }: { api: ApiClient }) {
  const t = useText();
  const lang = useLanguage();
  const route = useHashRoute();
  const place = publicHelpRoute(route);
  const tenant = place?.tenant ?? "";
  const publicArticles = useCallback((cursor?: string) =>
    api.get("/kb/public/{tenant_id}/articles", { path: { tenant_id: tenant }, query: { limit: 50, cursor, language: lang } }),
  [api, tenant, lang]);
  const publicSections = useCallback(async () =>
    (await api.get("/kb/public/{tenant_id}/sections", { path: { tenant_id: tenant } })).sections ?? [], [api, tenant]);
  if (!place) return null;
  const home = `#/help/${encodeURIComponent(place.tenant)}`;
  const signIn = place.id ? `?signin#/kb/${encodeURIComponent(place.id)}` : "?signin#/kb";
  const find = async (q: string) =>
    (await api.get("/kb/public/{tenant_id}/search", { path: { tenant_id: place.tenant }, query: { q, k: 8, language: lang } })).hits;
  return (
    <>
      <header class="topbar">
        <a class="brand" href={home}>{t.brand}</a>
        <nav aria-label={t.sections}><a href={signIn} data-testid="public-sign-in">{t.signIn}</a></nav>
      </header>
      <main id="main">
        {place.id ? <PublicArticlePage api={api} tenant={place.tenant} id={place.id} home={withQuestion(home, askedQuestion(route))}
          href={(other) => withQuestion(`${home}/${encodeURIComponent(other)}`, askedQuestion(route))} /> : (
          <>
            <ArticleSearch find={find} base={home} asked={askedQuestion(route)} />
            {askedQuestion(route) ? null : <ArticleList load={publicArticles} sections={publicSections} href={(id) => `${home}/${encodeURIComponent(id)}`} />}
          </>
        )}
      </main>
    </>
  );
}

type ArticleTitle = Pick<PublicArticleSummary, "id" | "title" | "language"> & { section?: string };
type ArticlePage = { items: ArticleTitle[]; next_cursor?: string | null };

/** The help centre's articles to browse (before any search), a page at a time: the public help centre's, or
 * those a signed-in customer may read; under their sections in the admin's order (`sections`: when they cannot be
 * read, by name as before, the list still shows). */
function ArticleList({ load, sections, href }: {
  load: (cursor?: string) => Promise<ArticlePage>; sections: () => Promise<HelpCenterSection[]>; href: (id: string) => string;
}) {
  const t = useText();
  const lang = useLanguage();
  const [items, setItems] = useState<ArticleTitle[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [order, setOrder] = useState<HelpCenterSection[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const more = async (cursor?: string) => {
    try {
      const page = await load(cursor);
      setItems((shown) => [...shown, ...page.items]);
      setNext(page.next_cursor ?? null);
    } catch (e) {
      setError(e);
    } finally {
      setLoaded(true);
    }
  };
  useEffect(() => { setItems([]); setNext(null); void more(); }, [load]);
  useEffect(() => { setOrder(null); sections().then(setOrder).catch(() => setOrder([])); }, [sections]);
  if (!loaded || order === null) return null;
  const described = new Map(order.map((s) => [s.name.toLowerCase(), s.description ?? ""]));
  return (
    <section aria-labelledby="hc-articles">
      <h2 id="hc-articles">{t.articles}</h2>
      <ProblemAlert error={error} lang={lang} />
      <div data-testid="help-center-articles">
        {bySection(items, order.map((s) => s.name)).map(([section, articles]) => (
          <section key={section} class="hc-section">
            {items.some((a) => a.section) ? <h3>{section || t.otherArticles}</h3> : null}
            {section && described.get(section.toLowerCase())
              ? <p class="hint" data-testid="hc-section-description">{described.get(section.toLowerCase())}</p> : null}
            <ul class="articles">
              {articles.map((a) => <li key={a.id} lang={a.language}><a href={href(a.id)}>{a.title}</a></li>)}
            </ul>
          </section>
        ))}
      </div>
      {next ? <button type="button" class="secondary" onClick={() => void more(next)}>{t.moreArticles}</button> : null}
    </section>
  );
}

/** The articles under their sections: first those `order` lists (the admin's order), then the sections it does not
 * list, by name, then those in none ("" last); each keeps the list's order. Names match in any case: "Account" and
 * "account" are one section, headed as the admin's list spells it (else as the first article does). */
export function bySection(items: ArticleTitle[], order: string[] = []): [string, ArticleTitle[]][] {
  const key = (name: string) => name.toLowerCase();
  const listed = new Map(order.map((name, i) => [key(name), { name, rank: i }]));
  const groups = new Map<string, { name: string; articles: ArticleTitle[] }>();
  for (const a of items) {
    const section = a.section ?? "";
    const group = groups.get(key(section)) ?? { name: listed.get(key(section))?.name ?? section, articles: [] };
    group.articles.push(a);
    groups.set(key(section), group);
  }
  const rank = (name: string) => (name === "" ? order.length + 1 : listed.get(key(name))?.rank ?? order.length);
  return [...groups.values()].map((g): [string, ArticleTitle[]] => [g.name, g.articles])
    .sort(([x], [y]) => rank(x) - rank(y) || x.localeCompare(y));
}

function PublicArticlePage({ api, tenant, id, home, href }: {
  api: ApiClient; tenant: string; id: string; home: string; href: (id: string) => string;
}) {
  const t = useText();
  const lang = useLanguage();
  const [article, setArticle] = useState<PublicArticle | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setArticle(null);
    setError(null);
    api.get("/kb/public/{tenant_id}/articles/{article_id}", { path: { tenant_id: tenant, article_id: id } })
      .then(setArticle).catch(setError);
  }, [tenant, id]);
  return (
    <section>
      <p><a href={home} data-testid="help-center-home">{t.backToHelpCenter}</a></p>
      <ProblemAlert error={error} lang={lang} />
      {article ? <ArticleView article={article} href={href} pictures={publicPictures(api)} onFeedback={(helpful) => api.call("post", "/kb/public/{tenant_id}/articles/{article_id}/feedback", { path: { tenant_id: tenant, article_id: id }, body: { helpful } })} /> : error ? null : <p>{t.loading}</p>}
    </section>
  );
}

/** While a customer writes a new ticket: the help centre's articles closest to what they wrote so far (opened in
 * a new tab, so the ticket being written stays), which often answer it before anyone has to. */
export function SuggestedArticles({ api, text }: { api: ApiClient; text: string }) {
  const t = useText();
  const lang = useLanguage();
  const [hits, setHits] = useState<SearchHit[]>([]);
  const asked = text.trim();
  useEffect(() => {
    if (asked.split(/\s+/).length < 3) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      api.get("/kb/search", { query: { q: asked.slice(0, 1000), k: 3, language: lang } })
        .then((r) => { if (live) setHits(onePerArticle(r.hits)); })
        .catch(() => { if (live) setHits([]); });
    }, SUGGEST_AFTER_MS);
    return () => { live = false; window.clearTimeout(timer); };
  }, [asked, lang]);
  if (!hits.length) return null;
  return (
    <aside class="panel" aria-labelledby="suggested-title" data-testid="suggested-articles">
      <h2 id="suggested-title">{t.mayHelp}</h2>
      <ul class="articles">
        {hits.map((h) => (
          <li key={h.article_id}><a href={`#/kb/${encodeURIComponent(h.article_id)}`} target="_blank" rel="noopener noreferrer">{h.title}</a></li>
        ))}
      </ul>
    </aside>
  );
}

const SUGGEST_AFTER_MS = 600; // a pause in typing, not every key
const HELP_SNIPPET_CHARS = 240; // a public page has room for more of the passage than the console's side column
