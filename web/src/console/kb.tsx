// Knowledge base: search (as the ticket page's panel does), list (by status, including the drafts the knowledge loop
// wrote), edit Markdown with a preview, pictures uploaded into it, publish, archive, versions, translations.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Article, ArticleDetail } from "../api/types";
import { when } from "../shared/format";
import { languageName } from "../shared/language";
import { Markdown } from "../shared/markdown";
import { PICTURE_TYPES, signedInPictures, uploadPicture } from "../shared/pictures";
import { Alert, Badge } from "../shared/ui";
import { KbSearch } from "./kb-search";
import { HelpCenterSections } from "./kb-sections";
import { ArticleLanguages, NewTranslation, OriginalPicker, TranslationOf } from "./kb-translations";
import { savedMeanwhile } from "./saved-meanwhile";

type ArticleStatus = "draft" | "published" | "archived";

/** `admin`: the list also orders the help centre's sections. */
export function Knowledge({ api, route, tenant, admin = false }: { api: ApiClient; route: string; tenant: string; admin?: boolean }) {
  const [, id, translate] = /^\/kb\/([^/?]+)(\/translate)?/.exec(route) ?? [];
  if (id && translate) return <NewTranslation api={api} id={decodeURIComponent(id)} />;
  return id ? <ArticleEditor api={api} id={decodeURIComponent(id)} tenant={tenant} /> : <ArticleList api={api} admin={admin} />;
}

/** The published article's page in the public help centre, for an agent to open or paste into a reply: shown
 * only when that page answers (the tenant's help centre may not be public). */
function PublicPageLink({ api, tenant, article }: { api: ApiClient; tenant: string; article: Article }) {
  const [open, setOpen] = useState(false);
  const live = article.status === "published" && article.visibility === "public";
  useEffect(() => {
    setOpen(false);
    if (!live) return;
    api.get("/kb/public/{tenant_id}/articles/{article_id}", { path: { tenant_id: tenant, article_id: article.id } })
      .then(() => setOpen(true)).catch(() => setOpen(false));
  }, [article.id, article.version, live]);
  if (!open) return null;
  const href = `/portal/#/help/${encodeURIComponent(tenant)}/${encodeURIComponent(article.id)}`;
  return <p><a href={href} target="_blank" rel="noopener noreferrer" data-testid="public-page-link">Public page in the help centre</a></p>;
}

function ArticleList({ api, admin }: { api: ApiClient; admin: boolean }) {
  const [status, setStatus] = useState<ArticleStatus>("published");
  const [items, setItems] = useState<Article[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setItems(null);
    api.get("/kb/articles", { query: { status, limit: 100 } }).then((p) => setItems(p.items)).catch(setError);
  }, [status]);
  const create = async () => {
    try {
      const a = await api.call("post", "/kb/articles", { body: { title: "New article", body: "# New article\n\nWrite here." } });
      window.location.hash = `#/kb/${a.data.id}`;
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="kb-title">
      <h1 id="kb-title">Knowledge base</h1>
      <KbSearch api={api} title="Search articles" k={10} />
      <nav class="views" aria-label="Article status">
        {(["published", "draft", "archived"] as const).map((s) => (
          <button type="button" key={s} aria-pressed={s === status} onClick={() => setStatus(s)}>
            {s === "draft" ? "Drafts to review" : s}
          </button>
        ))}
        <button type="button" onClick={create}>New article</button>
      </nav>
      <Alert error={error} />
      {items === null ? (error ? null : <p>Loading…</p>) : (
        <ul class="articles">
          {items.map((a) => (
            <li key={a.id}>
              <a href={`#/kb/${a.id}`}>{a.title}</a> <Badge kind={a.status}>{a.status}</Badge> <span class="method">{a.section ? `${a.section} · ` : ""}{languageName(a.language)}{a.translation_of ? " translation" : ""} · {a.visibility} · v{a.version} · {when(a.updated_at)}</span>
            </li>
          ))}
          {items.length === 0 ? <li>No articles.</li> : null}
        </ul>
      )}
      {admin ? <HelpCenterSections api={api} used={(items ?? []).map((a) => a.section ?? "")} /> : null}
    </section>
  );
}

/** How readers answered "Was this article helpful?" (the help centre's pages and the portal's). */
function ReaderFeedback({ api, article }: { api: ApiClient; article: Article }) {
  const [counts, setCounts] = useState<{ helpful: number; not_helpful: number } | null>(null);
  useEffect(() => {
    api.get("/kb/articles/{article_id}/feedback", { path: { article_id: article.id } })
      .then((r) => setCounts({ helpful: r.helpful ?? 0, not_helpful: r.not_helpful ?? 0 })).catch(() => setCounts(null));
  }, [article.id]);
  if (!counts || counts.helpful + counts.not_helpful === 0) return null;
  return <p class="method" data-testid="reader-feedback">Readers: {counts.helpful} found it helpful, {counts.not_helpful} did not</p>;
}

/** "Did this answer your question?" on the chat assistant's answers that cited this article (GET
 * /reports/ai/articles/{id}, in all): nothing while none was rated, or for whoever may not read reports. */
export function ChatAnswerRatings({ api, article }: { api: ApiClient; article: Article }) {
  const [counts, setCounts] = useState<{ helpful: number; not_helpful: number } | null>(null);
  useEffect(() => {
    setCounts(null);
    api.get("/reports/ai/articles/{article_id}", { path: { article_id: article.id } })
      .then((r) => setCounts({ helpful: r.helpful, not_helpful: r.not_helpful })).catch(() => setCounts(null));
  }, [article.id]);
  if (!counts || counts.helpful + counts.not_helpful === 0) return null;
  return (
    <p class="method" data-testid="chat-answer-ratings">
      Chat answers citing it: rated helpful {counts.helpful} of {counts.helpful + counts.not_helpful}
    </p>
  );
}

function ArticleEditor({ api, id, tenant }: { api: ApiClient; id: string; tenant: string }) {
  const [article, setArticle] = useState<ArticleDetail | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [section, setSection] = useState(""); // where the help centre lists it
  const [language, setLanguage] = useState("en");
  const [original, setOriginal] = useState(""); // the article it translates; "" for an original
  const [versions, setVersions] = useState<{ version: number; at: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [uploading, setUploading] = useState(false);
  const markdownBox = useRef<HTMLTextAreaElement>(null);
  const pictures = useMemo(() => signedInPictures(api), [api]);
  const load = async () => {
    const r = await api.call("get", "/kb/articles/{article_id}", { path: { article_id: id } });
    setArticle(r.data);
    setEtag(r.etag);
    setTitle(r.data.title);
    setBody(r.data.body);
    setSection(r.data.section ?? "");
    setLanguage(r.data.language);
    setOriginal(r.data.translation_of ?? "");
    const v = await api.get("/kb/articles/{article_id}/versions", { path: { article_id: id } });
    setVersions(v.map((x) => ({ version: Number((x as { version?: number }).version ?? 0), at: String((x as { created_at?: string }).created_at ?? "") })));
  };
  useEffect(() => {
    load().catch(setError);
  }, [id]);
  const act = async (what: string, action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await load();
      setNotice(what);
    } catch (e) {
      setError(e);
      if (savedMeanwhile(e)) setNotice("Someone saved this article meanwhile: reload, then reapply your edit.");
    }
  };
  /** Each picture uploaded and checked, then its Markdown put where the caret is (at the end without one). */
  const addPictures = async (files: File[]) => {
    if (!files.length) return;
    setError(null);
    setUploading(true);
    try {
      for (const file of files) {
        const picture = await uploadPicture(api, id, file);
        const box = markdownBox.current;
        setBody((text) => {
          const at = box && box.selectionEnd <= text.length ? box.selectionEnd : text.length;
          const before = text.slice(0, at);
          const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
          return `${before}${gap}${picture.markdown}\n${text.slice(at)}`;
        });
      }
      setNotice(files.length === 1 ? "Picture added: save to keep it in the article" : "Pictures added: save to keep them in the article");
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  };
  if (!article) {
    return <section><Alert error={error} />{error ? <a href="#/kb">Back to the knowledge base</a> : <p aria-live="polite">Loading…</p>}</section>;
  }
  return (
    <section class="editor" aria-labelledby="article-title">
      <p><a href="#/kb">← Articles</a></p>
      <h1 id="article-title">{article.title} <Badge kind={article.status}>{article.status}</Badge></h1>
      <TranslationOf article={article} />
      <PublicPageLink api={api} tenant={tenant} article={article} />
      <ReaderFeedback api={api} article={article} />
      <ChatAnswerRatings api={api} article={article} />
      <ArticleLanguages article={article} />
      <Alert error={error} />
      <p role="status">{notice}</p>
      <div class="split">
        <form onSubmit={(e) => { e.preventDefault(); void act("Saved", () => api.call("patch", "/kb/articles/{article_id}", { path: { article_id: id }, body: { title, body, section: section.trim(), language: language.trim(), translation_of: original }, ifMatch: etag ?? undefined })); }}>
          <label>Title <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} /></label>
          <label>Section in the help centre (optional, e.g. "Account and sign-in")
            <input name="article-section" value={section} maxLength={100} onInput={(e) => setSection(e.currentTarget.value)} />
          </label>
          <div class="filters">
            <label>Language (e.g. en, de, pt-BR)
              <input name="article-language" value={language} maxLength={35} size={8} onInput={(e) => setLanguage(e.currentTarget.value)} />
            </label>
            <OriginalPicker api={api} article={article} value={original} language={language} onChange={setOriginal} />
          </div>
          <label>Markdown <textarea ref={markdownBox} rows={18} value={body} onInput={(e) => setBody(e.currentTarget.value)} /></label>
          <label>Add a picture (PNG, JPEG, GIF or WebP, at most 4 MB)
            <input type="file" name="article-picture" accept={PICTURE_TYPES.join(",")} multiple disabled={uploading}
              onChange={(e) => { const input = e.currentTarget; void addPictures([...(input.files ?? [])]).then(() => { input.value = ""; }); }} />
          </label>
          <div class="reply-actions">
            <button type="submit">Save</button>
            <button type="button" onClick={() => act("Published", () => api.call("post", "/kb/articles/{article_id}/publish", { path: { article_id: id } }))}>Publish</button>
            <button type="button" onClick={() => act("Archived", () => api.call("post", "/kb/articles/{article_id}/archive", { path: { article_id: id } }))}>Archive</button>
            {etag ? <button type="button" onClick={() => act("Reloaded", load)}>Reload</button> : null}
          </div>
        </form>
        <div class="preview" aria-label="Preview">
          <h2>{title}</h2>
          <Markdown source={body} pictures={pictures} />
        </div>
      </div>
      <h2>Versions</h2>
      <ol>{versions.map((v) => <li key={v.version}>v{v.version} {when(v.at)}</li>)}</ol>
    </section>
  );
}
