// Knowledge search results as readers see them (the console's search, the portal's help centre).
import type { SearchHit } from "../api/types";

/** Hits, each article once: at its first (best) section. */
export function onePerArticle(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.article_id) && seen.add(h.article_id));
}

/** How much of a passage a hit shows. */
export const SNIPPET_CHARS = 160;

/** Markdown as the words a reader sees: no heading, list or quote markers, emphasis, code ticks or fences; a link's
 * text without its address; a table's cells apart with "·"; whitespace collapsed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(```|~~~).*$/gm, " ")
    .replace(/^\s*\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?$/gm, " ")
    .replace(/^\s*\|(.*)\|\s*$/gm, (_, row: string) => row.split("|").map((cell) => cell.trim()).join(" · "))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, "")
    .replace(/^\s*([-*_]\s*){3,}$/gm, " ")
    .replace(/\*\*|__|~~|`/g, "")
    .replace(/(^|[\s(["'])[*_]+(?=\S)|(?<=\S)[*_]+(?=[\s)\]"'.,;:!?]|$)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** A passage's first `max` characters as plain text, cut at a word with "…" when longer. */
export function snippet(markdown: string, max = SNIPPET_CHARS): string {
  const text = plainText(markdown);
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}
