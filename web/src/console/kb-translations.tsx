// An article's other languages on the console's knowledge screen: the original a translation translates, the
// family's other articles (the original and its translations, drafts included), and "Translate": the form of a new
// article in a language the family lacks, prefilled from the original (its section, tags and visibility; its title
// and body to write over), which the API keeps as one article with it in the help centre.
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { Article, ArticleDetail } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES, languageName, type Lang } from "../shared/language";
import { Markdown } from "../shared/markdown";
import { signedInPictures } from "../shared/pictures";
import { validationErrors } from "../shared/problems";
import { Alert, Badge } from "../shared/ui";
import { articleHref } from "./article-link";

type Family = Pick<ArticleDetail, "id" | "language" | "translation_of" | "translations">;

/** The original of an article's family: the article it translates, else itself. */
export function originalId(article: Pick<ArticleDetail, "id" | "translation_of">): string {
  return article.translation_of ?? article.id;
}

/** The console's new-translation form of the family's original. */
export function translateHref(article: Pick<ArticleDetail, "id" | "translation_of">): string {
  return `${articleHref(originalId(article))}/translate`;
}

/** The languages the helpdesk writes in that the family (the article and its other languages) has no article in. */
export function missingLanguages(article: Pick<ArticleDetail, "language" | "translations">): Lang[] {
  const have = new Set([article.language, ...article.translations.map((t) => t.language)].map((l) => l.toLowerCase()));
  return LANGUAGES.filter((lang) => !have.has(lang));
}

/** What a translation keeps of its original: listed with it, under the same section, tags and visibility. */
export function translationOf(original: Pick<ArticleDetail, "id" | "section" | "tags" | "visibility">) {
  return { translation_of: original.id, section: original.section, tags: original.tags, visibility: original.visibility };
}

/** The field a refused translation names: a 400's `translation_of` (not an original, or no such article; the
 * service's `invalid_input`) or a 422's (a malformed id), or the
 * language a 409 says the family has already (`details.translation_of`, or an original's `field: language`). */
export function translationProblem(error: unknown): "translation_of" | "language" | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { field?: unknown; translation_of?: unknown } | null;
  if (error.status === 409) return error.code === "conflict" && (details?.translation_of || details?.field === "language") ? "language" : null;
  if (error.status !== 400 && error.status !== 422) return null;
  if (details?.field === "translation_of" || details?.field === "language") return details.field;
  const named = validationErrors(error.details).flatMap(({ loc }) =>
    loc.filter((p): p is "translation_of" | "language" => p === "translation_of" || p === "language"));
  return named[0] ?? null;
}

/** The existing translation a 409 names (`details.translation`), to open instead of writing it twice. */
function existingTranslation(error: unknown): string | null {
  const translation = error instanceof ApiError ? (error.details as { translation?: unknown } | null)?.translation : null;
  return typeof translation === "string" ? translation : null;
}

function OriginalLink({ id, title, language }: { id: string; title: string; language?: string }) {
  return (
    <>
      <a href={articleHref(id)} lang={language}>{title}</a>{language ? ` (${languageName(language)})` : null}
    </>
  );
}

/** "Translation of <original>" on a translation's page; nothing on an original's. */
export function TranslationOf({ article }: { article: Family }) {
  if (!article.translation_of) return null;
  const original = article.translations.find((t) => t.id === article.translation_of);
  return (
    <p data-testid="translation-of">
      Translation of <OriginalLink id={article.translation_of} title={original?.title ?? article.translation_of} language={original?.language} />
    </p>
  );
}

/** The family's other articles, each with its language, title (its page) and status; "Translate" while a language
 * the helpdesk writes in is missing. */
export function ArticleLanguages({ article }: { article: Family }) {
  const missing = missingLanguages(article);
  return (
    <section class="panel" aria-labelledby="article-languages-title" data-testid="article-translations">
      <h2 id="article-languages-title">Other languages</h2>
      {article.translations.length ? (
        <ul>
          {article.translations.map((t) => (
            <li key={t.id} data-testid="translation">
              {languageName(t.language)}: <a href={articleHref(t.id)} lang={t.language}>{t.title}</a>{" "}
              <Badge kind={t.status}>{t.status}</Badge>{t.id === article.translation_of ? " (the original)" : null}
            </li>
          ))}
        </ul>
      ) : <p class="hint">None yet: this article is only in {languageName(article.language)}.</p>}
      {missing.length ? (
        <button type="button" data-testid="translate" onClick={() => { window.location.hash = translateHref(article); }}>Translate</button>
      ) : <p class="hint">It is in every language the helpdesk writes in.</p>}
    </section>
  );
}

/** `#/kb/<id>/translate`: a new translation of the article's original (the article's own, when it is a translation). */
export function NewTranslation({ api, id }: { api: ApiClient; id: string }) {
  const [original, setOriginal] = useState<ArticleDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setOriginal(null);
    setError(null);
    readOriginal(api, id).then(setOriginal).catch(setError);
  }, [id]);
  if (!original) {
    return <section><Alert error={error} />{error ? <a href="#/kb">Back to the knowledge base</a> : <p aria-live="polite">Loading…</p>}</section>;
  }
  return <TranslationForm key={original.id} api={api} original={original} />;
}

async function readOriginal(api: ApiClient, id: string): Promise<ArticleDetail> {
  const article = await api.get("/kb/articles/{article_id}", { path: { article_id: id } });
  return article.translation_of ? api.get("/kb/articles/{article_id}", { path: { article_id: article.translation_of } }) : article;
}

/** The original's title and body to write over in the language picked, beside the original as readers see it;
 * created as a draft, whose page then opens (to publish it there). */
function TranslationForm({ api, original }: { api: ApiClient; original: ArticleDetail }) {
  const languages = missingLanguages(original);
  const [language, setLanguage] = useState("");
  const [title, setTitle] = useState(original.title);
  const [body, setBody] = useState(original.body);
  const [error, setError] = useState<unknown>(null);
  const [unpicked, setUnpicked] = useState(false); // submitted without a language
  const [busy, setBusy] = useState(false);
  const pictures = useMemo(() => signedInPictures(api), [api]);
  const refused = translationProblem(error);
  const problem = (field: "translation_of" | "language" | null) => {
    if (!error || refused !== field) return null;
    const existing = field === "language" ? existingTranslation(error) : null;
    return <Alert error={error}>{existing ? <> <a href={articleHref(existing)}>Open that translation</a></> : null}</Alert>;
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setUnpicked(!language);
    if (!language) return;
    setBusy(true);
    try {
      const created = await api.call("post", "/kb/articles", { body: { ...translationOf(original), language, title, body } });
      window.location.hash = articleHref(created.data.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const { section, tags, visibility } = translationOf(original);
  return (
    <section class="editor" aria-labelledby="translate-title">
      <p><a href={articleHref(original.id)}>← {original.title}</a></p>
      <h1 id="translate-title">New translation</h1>
      <p data-testid="translation-of">Translation of <OriginalLink id={original.id} title={original.title} language={original.language} /></p>
      {problem("translation_of")}
      <p class="hint">Listed with it in the help centre: {section ? `section “${section}”` : "no section"}, {visibility}
        {tags.length ? `, tags ${tags.join(", ")}` : ""}.</p>
      {problem(null)}
      {languages.length === 0 ? <p>It is in every language the helpdesk writes in.</p> : (
        <div class="split">
          <form onSubmit={(e) => void create(e)} data-testid="translation-form">
            <label>Language
              <select name="translation-language" required value={language} aria-invalid={unpicked || refused === "language" ? true : undefined}
                onChange={(e) => { setLanguage(e.currentTarget.value); setUnpicked(false); }}>
                <option value="">Choose a language</option>
                {languages.map((lang) => <option key={lang} value={lang} lang={lang}>{LANGUAGE_NAMES[lang]}</option>)}
              </select>
            </label>
            {unpicked ? <p class="alert" role="alert">Choose the language of the translation.</p> : null}
            {problem("language")}
            <label>Title <input name="translation-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
            <label>Markdown <textarea name="translation-body" rows={18} value={body} onInput={(e) => setBody(e.currentTarget.value)} /></label>
            <div class="reply-actions">
              <button type="submit" disabled={busy}>Create translation</button>
              <a href={articleHref(original.id)}>Cancel</a>
            </div>
          </form>
          <div class="preview" aria-label="Original" lang={original.language}>
            <h2>{original.title}</h2>
            <Markdown source={original.body} pictures={pictures} />
          </div>
        </div>
      )}
    </section>
  );
}

/** The editor's "Translation of": the articles that may be this one's original (originals, not itself, in another
 * language), by title; "" makes it an original. Linking what came apart (two articles imported before they could be
 * linked) or unlinking a translation. */
export function OriginalPicker({ api, article, value, language, onChange }: {
  api: ApiClient; article: Family; value: string; language: string;
  onChange: (id: string) => void;
}) {
  const [originals, setOriginals] = useState<Article[]>([]);
  useEffect(() => {
    api.get("/kb/articles", { query: { limit: 100 } }).then((page) => setOriginals(page.items)).catch(() => setOriginals([]));
  }, [article.id]);
  // An original with translations stays one (the API refuses it): nothing to pick then.
  if (!article.translation_of && article.translations.length) return null;
  const candidates = originals.filter((a) => !a.translation_of && a.id !== article.id && a.language.toLowerCase() !== language.toLowerCase());
  return (
    <label>Translation of
      <select name="article-translation-of" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">None: an original</option>
        {value && !candidates.some((a) => a.id === value) ? <option value={value}>{value}</option> : null}
        {candidates.map((a) => <option key={a.id} value={a.id}>{a.title} ({languageName(a.language)})</option>)}
      </select>
    </label>
  );
}
