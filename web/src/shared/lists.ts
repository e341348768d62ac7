// Lists typed into one text box: how the console's settings forms read them back.

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
