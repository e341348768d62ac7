// A small Markdown renderer that builds elements, never HTML strings: article text from anyone is
// shown as text (headings, paragraphs, lists, code, emphasis, links with http(s)/mailto/relative
// targets only). Raw HTML in the source stays visible as text.
import type { ComponentChildren, JSX } from "preact";

const SAFE_URL = /^(https?:\/\/|mailto:|\/|#)/i;

export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

// An address in plain text (a message, a reply's "[1] Refund policy: https://..." footnote), without the
// punctuation a sentence puts after it.
const BARE_URL = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'»”]/gi;

/** Plain text with its http(s) addresses as links (opened in a new tab: the reader keeps the ticket). */
export function linked(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    out.push(<a href={match[0]} target="_blank" rel="noopener noreferrer">{match[0]}</a>);
    last = index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const token = match[0];
    if (match[1]) out.push(<code>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong>{token.slice(2, -2)}</strong>);
    else if (match[3]) out.push(<em>{token.slice(1, -1)}</em>);
    else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
      const href = link ? safeHref(link[2] ?? "") : null;
      out.push(href ? <a href={href} rel="noopener noreferrer">{link?.[1]}</a> : token);
    }
    last = index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source }: { source: string }): JSX.Element {
  const blocks: JSX.Element[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (!line.trim()) {
      i++;
      continue;
    }
    if (line.startsWith("```")) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? "").startsWith("```")) code.push(lines[i++] ?? "");
      i++;
      blocks.push(<pre><code>{code.join("\n")}</code></pre>);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1] ?? "#").length + 1); // the page title is the h1
      const Tag = `h${level}` as "h2";
      blocks.push(<Tag>{inline(heading[2] ?? "")}</Tag>);
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: JSX.Element[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i] ?? "")) {
        items.push(<li>{inline((lines[i] ?? "").replace(/^\s*([-*]|\d+\.)\s+/, ""))}</li>);
        i++;
      }
      blocks.push(ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] ?? "").trim() && !/^(#{1,6}\s|```|\s*([-*]|\d+\.)\s)/.test(lines[i] ?? "")) {
      para.push(lines[i++] ?? "");
    }
    blocks.push(<p>{inline(para.join(" "))}</p>);
  }
  return <div class="markdown">{blocks}</div>;
}
