// What the console's settings forms make of what is typed: lists typed into one text box and read back, reordered, and
// the ids and keys made from a name.

/** One entry a line, for entries that may hold commas (a category's example phrases). */
export function lines(text: string): string[] {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

/** Entries separated by commas, semicolons or line breaks (addresses, domains, keywords, names). */
export function entries(text: string): string[] {
  return text.split(/[\n,;]/).map((s) => s.trim()).filter(Boolean);
}

/** Entries that never hold spaces (mail domains): separated by commas, semicolons, spaces or line breaks. */
export function words(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** `list` with the item at `index` moved by `step` places (kept inside the list). */
export function moved<T>(list: T[], index: number, step: number): T[] {
  const to = Math.min(list.length - 1, Math.max(0, index + step));
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

/** `text` as an identifier the API takes: accents dropped, lower case, each run of anything but a-z and 0-9 one
 * `separator`, none at either end, at most `max` characters ("Résumé / CV #2" → "resume_cv_2"); "" when nothing is
 * left. As the server's own (`imports.fields.field_key`): a cut that ends on a separator drops it. */
export function slugFrom(text: string, separator: "_" | "-", max: number): string {
  const trim = (s: string) => s.replace(/^[-_]+|[-_]+$/g, "");
  const base = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, separator);
  return trim(trim(base).slice(0, max));
}
