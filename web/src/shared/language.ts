// The five languages the helpdesk writes to customers in (the assistant, the mails it sends itself, the widget
// and the rating page), and the choice of one from what a page knows ("de-CH", a link's `lang`, the browser's).
export const LANGUAGES = ["en", "de", "es", "fr", "pt"] as const;
export type Lang = (typeof LANGUAGES)[number];
// Each language by its own name, as a picker offers them.
export const LANGUAGE_NAMES: Record<Lang, string> = { en: "English", de: "Deutsch", es: "Español", fr: "Français", pt: "Português" };

/** A language tag as a link or a list names it: its own name where the helpdesk writes in it ("de": "Deutsch"),
 * else the tag itself ("it", "pt-BR"). */
export function languageName(tag: string): string {
  const lang = tag.toLowerCase();
  return Object.hasOwn(LANGUAGE_NAMES, lang) ? LANGUAGE_NAMES[lang as Lang] : tag;
}

/** The language the helpdesk writes in that a tag names ("pt-BR": pt, "de_CH": de), null for another or none. */
export function supportedLanguage(tag: string | null | undefined): Lang | null {
  const base = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return LANGUAGES.find((lang) => lang === base) ?? null;
}

export function pickLanguage(...candidates: (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    const found = supportedLanguage(candidate);
    if (found) return found;
  }
  return "en";
}

/** `text` with its `{name}` blanks filled. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (blank, name: string) => values[name] ?? blank);
}
