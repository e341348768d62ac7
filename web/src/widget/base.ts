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

const constructable = (root: ShadowRoot) =>
  "adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype;

export abstract class ShadowElement extends HTMLElement {
  protected readonly root: ShadowRoot;
  private readonly base: CSSStyleSheet | null = null;
  private extra: CSSStyleSheet | HTMLStyleElement | null = null;

  constructor(css: string) {
    super();
    this.root = this.attachShadow({ mode: "open" });
    if (constructable(this.root)) {
      this.base = new CSSStyleSheet();
      this.base.replaceSync(css);
      this.root.adoptedStyleSheets = [this.base];
    } else {
      this.root.append(h("style", {}, css));
    }
  }

  /** Styles after the element's own (replacing those set before), such as a tenant's colour: a sheet of its own
   *  that survives the shadow root's children being rebuilt. */
  protected setExtraStyles(css: string): void {
    if (this.base) {
      const sheet = this.extra instanceof CSSStyleSheet ? this.extra : new CSSStyleSheet();
      sheet.replaceSync(css);
      this.extra = sheet;
      this.root.adoptedStyleSheets = [this.base, sheet];
      return;
    }
    const style = this.extra instanceof HTMLStyleElement ? this.extra : h("style", {});
    style.textContent = css;
    this.extra = style;
    if (!style.isConnected) this.root.prepend(style);
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
