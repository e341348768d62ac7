// A link from the ticket page to a knowledge base article (a search hit, a citation of the AI draft or of the chat):
// it opens in a new tab. The console is one page, so following it in place would leave the ticket, and the reply
// being written with it.
import type { ComponentChildren } from "preact";

/** The console's page of an article. */
export function articleHref(articleId: string): string {
  return `#/kb/${encodeURIComponent(articleId)}`;
}

/** `children` linking to the article in a new tab, which the eye is shown (↗) and a screen reader told. */
export function ArticleLink({ articleId, children, testId }: { articleId: string; children: ComponentChildren; testId?: string }) {
  return (
    <a href={articleHref(articleId)} target="_blank" rel="noopener noreferrer" data-testid={testId}>
      {children}<span aria-hidden="true"> ↗</span><span class="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
