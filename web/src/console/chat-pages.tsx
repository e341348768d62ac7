// The pages of the site a chat visitor wrote from (the ticket's `ai.pages`, oldest first): "they were on the pricing
// page" tells the agent what the question was about. The addresses come without query or fragment; each shows its
// host, so an agent sees where a link goes before opening it (in a new tab: the ticket stays).

/** A page as the ticket keeps it. */
export interface VisitedPage {
  url: string;
  title: string;
}

/** An http(s) address as a URL; null for anything else (a `javascript:` link, a broken address). */
export function httpAddress(url: unknown): URL | null {
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The well-formed http(s) pages of `ai.pages`, oldest first; none for a ticket that did not come from the chat. */
export function visitedPages(ai: unknown): VisitedPage[] {
  const pages = ai && typeof ai === "object" ? (ai as { pages?: unknown }).pages : undefined;
  const found: VisitedPage[] = [];
  for (const entry of Array.isArray(pages) ? pages : []) {
    const { url, title } = (entry ?? {}) as { url?: unknown; title?: unknown };
    if (typeof url !== "string" || !httpAddress(url)) continue;
    found.push({ url, title: typeof title === "string" ? title : "" });
  }
  return found;
}

/** A page's title (its address without one) linked, in a new tab, with its host beside it. */
export function PageLink({ page }: { page: VisitedPage }) {
  const host = httpAddress(page.url)?.host ?? "";
  return (
    <><a href={page.url} target="_blank" rel="noopener noreferrer">{page.title || page.url}</a> <span class="hint">({host})</span></>
  );
}

export function ChatPages({ ai }: { ai: unknown }) {
  const pages = visitedPages(ai);
  if (!pages.length) return null;
  const latest = pages[pages.length - 1]!;
  return (
    <p class="meta" data-testid="chat-pages">
      Chatted from <PageLink page={latest} />
      {pages.length > 1 ? (
        <details>
          <summary>Pages before ({pages.length - 1})</summary>
          <ol>{pages.slice(0, -1).map((p, i) => <li key={i}><PageLink page={p} /></li>)}</ol>
        </details>
      ) : null}
    </p>
  );
}
