// Knowledge search results as readers see them (the console's search, the portal's help centre).
import type { SearchHit } from "../api/types";

/** Hits, each article once: at its first (best) section. */
export function onePerArticle(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.article_id) && seen.add(h.article_id));
}
