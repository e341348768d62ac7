// Lists in the console's settings forms: typed into one text box and read back, and reordered.

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
