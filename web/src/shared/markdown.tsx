// Markdown as elements, never HTML strings: articles, and the messages agents write in Markdown. markdown-it parses;
// its tokens become Preact elements here, so text from anyone is shown as text: raw HTML in the source stays visible,
// links keep http(s)/mailto/relative targets only (a message's: http(s)/mailto), and only the tags listed below are
// ever made (no attribute but a link's address, a message's link opening in a new tab, and a list's start).
// An article is CommonMark with GFM tables. An image shows as a picture only when it is one of ours (an article's
// picture, `shared/pictures.ts`) and the page says how to load it (`pictures`): with its text as `alt`, lazily, no wider
// than the text (a class: the pages' CSP allows no inline style). Any other image shows as a link to it, named by its
// text: the pages' CSP loads no image from elsewhere, and the chat quotes images by their text too.
// A message is read as the server reads it for the customer's mail (helpdesk.mail.html_part): CommonMark, line
// breaks kept, no image at all ("![a](b)" shows as "!" and a link), addresses in its text linked as in a plain one.
import MarkdownIt, { type Token } from "markdown-it";
import { h, type ComponentChildren, type JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { splitUrls } from "./bare-urls";
import { pictureOf, type PictureRef, type Pictures } from "./pictures";

const SAFE_URL = /^(https?:\/\/|mailto:|\/|#)/i;

export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

/** Plain text with its http(s) addresses as links (opened in a new tab: the reader keeps the ticket). */
export function linked(text: string): ComponentChildren[] {
  return splitUrls(text).map((part) => part.url
    ? <a href={part.url} target="_blank" rel="noopener noreferrer">{part.text}</a>
    : part.text);
}

const parser = new MarkdownIt("default", { html: false, linkify: false, typographer: false });

// A message: the mail's reading (html_part._markdown_parser). Its bare addresses are linked by `linked`, as in a
// message written as text, not by markdown-it's linkify (which would link more than the mail does).
const messageParser = new MarkdownIt("commonmark", { html: false, breaks: true, linkify: false }).disable("image");

// Where a message's link may lead: as the mail lets it (html_part._MARKDOWN_LINK); an article may link within the site.
const MESSAGE_URL = /^(https?:|mailto:)/i;

/** How tokens become elements: an article's (its pictures loaded as the page says), or a message's. */
interface Reading {
  pictures?: Pictures;
  message?: boolean;
}

// The block and inline tags a token may open; anything else (none with html off) is left out, its text kept.
const TAGS = new Set(["p", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "em",
  "s", "a", "h1", "h2", "h3", "h4", "h5", "h6"]);

interface Open { tag: string; props: Record<string, unknown>; children: ComponentChildren[] }

/** The page title is the h1: an article's headings start at h2. */
function shifted(tag: string): string {
  const level = /^h([1-6])$/.exec(tag);
  return level ? `h${Math.min(6, Number(level[1]) + 1)}` : tag;
}

const attr = (token: Token, name: string): string => String(token.attrGet(name) ?? "");

function propsOf(token: Token, reading: Reading): Record<string, unknown> | null {
  if (token.tag === "a" && reading.message) {
    const href = attr(token, "href").trim();
    // opened in a new tab, as `linked` opens a message's addresses: the reader keeps the ticket
    return MESSAGE_URL.test(href) ? { href, target: "_blank", rel: "noopener noreferrer" } : null;
  }
  if (token.tag === "a") {
    const href = safeHref(attr(token, "href"));
    return href ? { href, rel: "noopener noreferrer" } : null;  // no target: the text alone
  }
  if (token.tag === "ol") {
    const start = Number(attr(token, "start") || "1");
    return Number.isInteger(start) && start !== 1 ? { start } : {};
  }
  if (token.tag === "th" || token.tag === "td") {
    const align = /text-align:(left|center|right)/.exec(attr(token, "style"));
    return align ? { class: `align-${align[1]}` } : {};  // a class: the pages' CSP allows no inline style
  }
  return {};
}

function elements(tokens: Token[], reading: Reading = {}): ComponentChildren[] {
  const root: Open = { tag: "", props: {}, children: [] };
  // links open around the tokens now read (an unsafe one too, left out but its text kept): text in a link is not
  // linked again, as the mail does not
  let links = 0;
  const stack: (Open | null)[] = [root];  // null: an element left out (an unsafe link), its contents kept
  const into = (): ComponentChildren[] => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const open = stack[i];
      if (open) return open.children;
    }
    return root.children;
  };
  for (const token of tokens) {
    if (token.type === "link_open") links += 1;
    else if (token.type === "link_close") links = Math.max(0, links - 1);
    if (token.nesting === 1) {
      const props = TAGS.has(token.tag) && !token.hidden ? propsOf(token, reading) : null;
      stack.push(props ? { tag: shifted(token.tag), props, children: [] } : null);
    } else if (token.nesting === -1) {
      const open = stack.pop();
      if (!open) continue;
      const made = h(open.tag, open.props, ...open.children);
      // a wide table scrolls in its own box (a table made a block itself loses its table semantics)
      into().push(open.tag === "table" ? <div class="table-wrap">{made}</div> : made);
    } else {
      into().push(...leaf(token, reading, links > 0));
    }
  }
  return root.children;
}

function leaf(token: Token, reading: Reading, inLink: boolean): ComponentChildren[] {
  const { pictures } = reading;
  switch (token.type) {
    case "inline":
      return elements(token.children ?? [], reading);
    case "text":
      return reading.message && !inLink ? linked(token.content) : [token.content];
    case "code_inline":
      return [<code>{token.content}</code>];
    case "fence":
    case "code_block":
      return [<pre><code>{token.content.replace(/\n$/, "")}</code></pre>];
    case "softbreak":  // a message keeps its line breaks (`breaks`), as a message written as text does
      return reading.message ? [<br />] : ["\n"];
    case "hardbreak":
      return [<br />];
    case "hr":
      return [<hr />];
    case "image": {
      const picture = pictures ? pictureOf(attr(token, "src"), pictures.base) : null;
      if (picture && pictures) return [<Picture picture={picture} alt={token.content} pictures={pictures} />];
      const href = safeHref(attr(token, "src"));
      const label = token.content || "image";
      return [href ? <a href={href} rel="noopener noreferrer" class="image-link">{label}</a> : label];
    }
    default:  // html_block / html_inline (never with html off), anything new: its text
      return token.content ? [token.content] : [];
  }
}

/** One line of Markdown (a title, a search hit's snippet): emphasis, code and links, no blocks. */
export function inline(text: string): ComponentChildren[] {
  return elements(parser.parseInline(text, {}));
}

/** An article's picture: its public address, or what `pictures.load` fetched (shown as a blob: URL, released when
 * the picture goes). One that cannot be loaded shows its text. */
function Picture({ picture, alt, pictures }: { picture: PictureRef; alt: string; pictures: Pictures }) {
  const direct = pictures.load ? null : `${pictures.base.replace(/\/+$/, "")}${picture.path}`;
  const [src, setSrc] = useState<string | null>(direct);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setFailed(false);
    setSrc(direct);
    if (!pictures.load) return;
    let live = true;
    let url: string | null = null;
    pictures.load(picture).then((blob) => {
      if (!live) return;
      url = URL.createObjectURL(blob);
      setSrc(url);
    }).catch(() => { if (live) setFailed(true); });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [picture.path, pictures.base, Boolean(pictures.load)]);  // not load's identity: a page may make it anew each render
  if (failed || !src) return <span class="picture-text" data-testid={failed ? "picture-missing" : undefined}>{alt}</span>;
  return <img class="picture" src={src} alt={alt} loading="lazy" onError={() => setFailed(true)} />;
}

/** `pictures`: how this page loads articles' pictures; without it they show as links, as any other image. */
export function Markdown({ source, pictures }: { source: string; pictures?: Pictures }): JSX.Element {
  return <div class="markdown">{elements(parser.parse(source, {}), { pictures })}</div>;
}

/** A message written in Markdown (`format: "markdown"`), as its customer's mail shows it. `class`: the box's, with
 * `markdown` for its blocks' styles (a message's body: "body markdown"). */
export function MessageMarkdown({ source, class: className = "markdown" }: { source: string; class?: string }): JSX.Element {
  return <div class={className}>{elements(messageParser.parse(source, {}), { message: true })}</div>;
}
