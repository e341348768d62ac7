// The http(s) addresses in plain text (a message, a reply's "[1] Refund policy: https://..." footnote), without the
// punctuation a sentence puts after them: one rule for the console and portal (`markdown.tsx::linked`) and the chat
// widget (no Preact there), as the server's mail HTML links them (`helpdesk.mail.html_part._URL`).
const BARE_URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'»”]/gi;

/** `text` cut into its runs of text and its addresses (`url` set), in order. */
export function splitUrls(text: string): { text: string; url?: string }[] {
  const parts: { text: string; url?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: text.slice(last, index) });
    parts.push({ text: match[0], url: match[0] });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
