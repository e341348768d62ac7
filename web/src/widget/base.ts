// The widget's whole "framework": a custom element with an open shadow root, constructable styles
// (allowed under a strict CSP, unlike <style> or style attributes) and `h`, which builds elements
// whose text children are always text nodes: nothing from a server is ever parsed as HTML.
export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | boolean | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

export abstract class ShadowElement extends HTMLElement {
  protected readonly root: ShadowRoot;

  constructor(css: string) {
    super();
    this.root = this.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in this.root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      this.root.adoptedStyleSheets = [sheet];
    } else {
      this.root.append(h("style", {}, css));
    }
  }
}

/** Only links a visitor can safely follow: http(s) anywhere, or a path on the API's origin. */
export function safeLink(url: string | null | undefined, base: string): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
