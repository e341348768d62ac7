// <helpdesk-chat tenant="acme" api="https://api.example.com">: launcher, conversation with cited
// answers, "Did this answer your question?" under them, "talk to a person", the email step, and the agent's
// replies after hand-over (polled), with files both ways from then on (a screenshot for the person who answers).
import { ApiClient, ApiError } from "../api/client";
import type { Transcript, TranscriptMessage, WidgetLook } from "../api/types";
import { h, safeLink, ShadowElement } from "./base";
import { splitUrls } from "../shared/bare-urls";
import { supportedLanguage, type Lang } from "../shared/language";
import { problemText } from "../shared/problems";
import { storeUpload } from "../shared/upload";
import { pickLanguage, strings, type Strings } from "./i18n";
import { lookCss, teamGreeting, teamTitle } from "./look";
import { CSS } from "./style";

/** A message's text with its http(s) addresses as links, opened in a new tab (the visitor keeps the chat): an
 * agent's reply names a page ("the guide (https://…)"), as the console and the portal link it. */
function linkedText(text: string): (string | HTMLAnchorElement)[] {
  return splitUrls(text).map((part) => {
    const href = part.url ? safeLink(part.url, location.href) : null;
    return href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, part.text) : part.text;
  });
}

export const POLL_MS = 3000;
export const LONG_POLL_S = 20;
/** The launcher waits this long at most for the team's look (its colour and title) before showing as it is. */
export const LOOK_WAIT_MS = 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Stored {
  id: string;
  token: string;
  handedOver?: boolean;
  helpCenterPublic?: boolean; // citations open the public article page; else the portal's, after sign-in
  unread?: number; // the team's replies that came while the widget was closed (kept over a reload)
  visitor?: string; // the address of a visitor the site signed in (`identity`), whose conversation this is
}

/** A file on a message (the API's `attachments`): its download route needs the session token. */
interface FileLink {
  id: string;
  filename: string;
}

/** At most this many files a message, as the API takes them. */
export const MAX_FILES = 10;

interface Citation {
  article_id: string;
  title: string;
  url?: string | null;
}

/** The assistant's question the visitor's next message answers (the API's `awaiting`): the answers the widget offers. */
type Awaiting = NonNullable<Transcript["awaiting"]>;

let counter = 0;

/** The address a site's identity token names (read, not verified: the API verifies it), in lower case. */
export function identityEmail(token: string | null | undefined): string | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const email = (JSON.parse(json) as { email?: unknown }).email;
    return typeof email === "string" ? email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

/** The page the visitor writes from, for the team ("they were on the pricing page"): its address without the query
 *  or the fragment, which may carry a token or the visitor's own address and never leave the browser. */
function thisPage(): { url: string; title: string } | undefined {
  if (location.protocol !== "https:" && location.protocol !== "http:") return undefined;  // a file or a sandbox
  return { url: `${location.origin}${location.pathname}`.slice(0, 2000), title: document.title.trim().slice(0, 300) };
}

/** The API no longer takes this conversation: its token expired (401), it is unknown (404) or it ended (410). */
function sessionOver(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 404 || error.status === 410);
}

export class HelpdeskChat extends ShadowElement {
  static observedAttributes = ["lang", "identity"];
  private language: Lang = "en";
  private t: Strings = strings(this.language);
  private client!: ApiClient;
  private session: Stored | null = null;
  private seen = new Set<string>();
  private lastId: string | null = null;
  private polling = false;
  private useAfter = true;
  private readonly uid = `hdc${++counter}`;
  private launcher!: HTMLButtonElement;
  private panel!: HTMLElement;
  private log!: HTMLElement;
  private form!: HTMLFormElement;
  private input!: HTMLInputElement;
  private sendButton!: HTMLButtonElement;
  private attachButton!: HTMLButtonElement;
  private fileInput!: HTMLInputElement;
  private personButton!: HTMLButtonElement;
  private emailForm!: HTMLFormElement;
  private emailInput!: HTMLInputElement;
  private status!: HTMLElement;
  private confirm!: HTMLElement;
  private started = false;
  private rated = 0;  // numbers the feedback lines' ids
  private acted = 0;  // the visitor's messages and ratings: a restore that answers after one of them is out of date
  private ratingProblem: string | null = null;  // the status line's text after a rating failed
  private look: WidgetLook | null = null;  // the team's title, greetings, colour and corner (`GET /chat/widget`)
  private heading!: HTMLElement;
  private launcherLabel!: HTMLElement;
  private unreadBadge!: HTMLElement;
  private greetingText: HTMLElement | null = null;

  constructor() {
    super(CSS);
  }

  get tenant(): string {
    return this.getAttribute("tenant") ?? "";
  }

  get api(): string {
    return (this.getAttribute("api") ?? "").replace(/\/+$/, "");
  }

  private get storageKey(): string {
    return `helpdesk-chat:${this.tenant}`;
  }

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.language = pickLanguage(this.getAttribute("lang"), document.documentElement.lang, navigator.language);
    this.t = strings(this.language);
    this.client = new ApiClient({ baseUrl: this.api, corsTenant: this.tenant });
    this.render();
    // Shown once the team's look is known (or could not be read), so a visitor never sees the colours change.
    this.launcher.hidden = true;
    const shown = setTimeout(() => { this.launcher.hidden = false; }, LOOK_WAIT_MS);
    void this.loadLook().finally(() => { clearTimeout(shown); this.launcher.hidden = false; });
    try {
      const raw = sessionStorage.getItem(this.storageKey);
      if (raw) this.session = JSON.parse(raw) as Stored;
    } catch {
      this.session = null;
    }
    this.dropOthersConversation();
    this.showHandedOver();
    if (this.session) void this.restore();
  }

  disconnectedCallback(): void {
    this.polling = false;
  }

  attributeChangedCallback(name: string): void {
    if (!this.started) return;
    if (name === "identity") {  // a single-page site signed someone in or out: their conversation is theirs alone
      this.dropOthersConversation();
      return;
    }
    this.relabel(pickLanguage(this.getAttribute("lang"), document.documentElement.lang));
  }

  /** The widget's own words (its title, box, buttons, the greeting) in `lang`, the conversation as it is: what was
   *  said stays as it was said, the panel stays open or closed, a question still open keeps its answers, and what
   *  the visitor typed stays in the box. A site's language switch and the conversation's language both come here. */
  private relabel(lang: Lang): void {
    if (lang === this.language) return;
    this.language = lang;
    this.t = strings(lang);
    const shown = [...this.log.childNodes];
    const greeting = this.greetingText;
    const open = !this.panel.hidden;
    const confirming = !this.confirm.hidden;
    const askingEmail = !this.emailForm.hidden;
    const typed = this.input.value;
    const status = this.status.textContent;
    const focused = this.root.activeElement === this.input;
    this.root.replaceChildren();
    this.render();
    this.log.replaceChildren(...shown);
    this.greetingText = greeting;
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    this.confirm.hidden = !confirming;
    this.emailForm.hidden = !askingEmail;
    this.input.value = typed;
    this.status.textContent = status;
    this.applyLook();
    if (focused) this.input.focus();
  }

  /** The language the conversation is in (the API's, of each reply and of the transcript): a visitor who writes
   *  Spanish on an English page reads the widget's buttons in Spanish too, as the assistant already answers. */
  private followConversation(language: string | null | undefined): void {
    const lang = supportedLanguage(language);
    if (lang) this.relabel(lang);
  }

  /** A signed-in visitor's conversation is theirs: with another visitor signed in on this tab, or none, the next
   *  message starts a new one (an anonymous conversation goes on). */
  private dropOthersConversation(): void {
    if (this.session?.visitor && this.session.visitor !== identityEmail(this.getAttribute("identity"))) this.forget();
  }

  /** The team's look, read without a session (public, cached by the browser); the built-in one if it fails. */
  private async loadLook(): Promise<void> {
    try {
      const read = await this.client.call("get", "/chat/widget", { query: { tenant: this.tenant } });
      this.look = read.data && typeof read.data === "object" ? read.data : null;
    } catch {
      this.look = null;  // a tenant without public chat, or the API unreachable: the widget as it is
    }
    this.applyLook();
  }

  private applyLook(): void {
    const title = teamTitle(this.look, this.language) ?? this.t.title;
    this.setExtraStyles(lookCss(this.look));
    this.heading.textContent = title;
    this.launcherLabel.textContent = title;
    this.panel.setAttribute("aria-label", title);
    this.showUnread();
    if (this.greetingText) this.greetingText.textContent = teamGreeting(this.look, this.language) ?? this.t.greeting;
  }

  private render(): void {
    const t = this.t;
    const panelId = `${this.uid}-panel`;
    this.launcher = h("button", {
      type: "button", class: "launcher", "data-testid": "chat-launcher", "aria-expanded": "false",
      "aria-controls": panelId, "aria-label": `${t.title}: ${t.open}`, onclick: () => this.toggle(),
    }, h("span", { "aria-hidden": "true" }, "?"), (this.launcherLabel = h("span", { class: "label" }, t.title)),
      (this.unreadBadge = h("span", { class: "unread", "aria-hidden": "true", "data-testid": "chat-unread", hidden: true })));
    this.log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t.log, "data-testid": "chat-log" });
    this.input = h("input", { type: "text", "data-testid": "chat-input", "aria-label": t.input, placeholder: t.placeholder, maxlength: "4000", autocomplete: "off" });
    this.sendButton = h("button", { type: "submit", "data-testid": "chat-send" }, t.send);
    // Files go to the person who answers: offered once the conversation is a ticket (`showHandedOver`).
    this.fileInput = h("input", { type: "file", multiple: true, hidden: true, "data-testid": "chat-file",
      onchange: () => void this.sendFiles([...(this.fileInput.files ?? [])]) });
    this.attachButton = h("button", { type: "button", class: "secondary attach", "data-testid": "chat-attach",
      "aria-label": t.attach, title: t.attach,
      onclick: () => this.fileInput.click() }, "+");
    this.form = h("form", { class: "composer", onsubmit: (e: Event) => { e.preventDefault(); void this.sendText(this.input.value); } },
      this.attachButton, this.fileInput, this.input, this.sendButton);
    const emailId = `${this.uid}-email`;
    this.emailInput = h("input", { type: "email", id: emailId, "data-testid": "chat-email", autocomplete: "email", required: true });
    this.emailForm = h("form", { class: "email", hidden: true, onsubmit: (e: Event) => { e.preventDefault(); void this.sendEmail(); } },
      h("label", { for: emailId }, t.email), h("span", { class: "hint" }, t.emailHint),
      h("div", { class: "row" }, this.emailInput, h("button", { type: "submit", "data-testid": "chat-email-send" }, t.emailSend)));
    this.status = h("p", { class: "status", role: "status" });
    // Quick answers when the assistant asks whether to open a ticket (the words it understands are English).
    this.confirm = h("div", { class: "confirm", hidden: true },
      h("button", { type: "button", "data-testid": "chat-confirm-yes", onclick: () => void this.sendText("yes", t.yes) }, t.yes),
      h("button", { type: "button", class: "secondary", "data-testid": "chat-confirm-no", onclick: () => void this.sendText("no", t.no) }, t.no));
    this.personButton = h("button", { type: "button", class: "secondary", "data-testid": "chat-handoff", onclick: () => void this.sendText(t.personText) }, t.person);
    this.panel = h("section", { id: panelId, class: "panel", role: "dialog", "aria-label": t.title, hidden: true, onkeydown: (e: Event) => {
      if ((e as KeyboardEvent).key === "Escape") this.toggle(false);
    } },
      h("header", {}, (this.heading = h("h2", {}, t.title)), h("button", { type: "button", class: "close", "aria-label": t.close, "data-testid": "chat-close", onclick: () => this.toggle(false) }, "×")),
      this.log, this.status, this.confirm, this.emailForm, this.form, h("div", { class: "foot" }, this.personButton));
    this.root.append(this.launcher, this.panel);
    this.showHandedOver();
    if (!this.log.childElementCount) {
      this.addMessage({ id: "greeting", role: "assistant", text: teamGreeting(this.look, this.language) ?? t.greeting, at: "", citations: [], actions: [] });
      this.greetingText = this.log.querySelector<HTMLElement>("[data-role=assistant] .text");
    }
  }

  toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open && this.session?.unread) {
      this.session.unread = 0;  // read now
      this.save();
      this.showUnread();
    }
    if (open) this.input.focus();
    else this.launcher.focus();
  }

  /** The launcher's count of the team's replies the visitor has not seen (the widget was closed when they came),
   *  in its accessible name too. */
  private showUnread(): void {
    const count = this.session?.unread ?? 0;
    const title = teamTitle(this.look, this.language) ?? this.t.title;
    this.unreadBadge.hidden = count === 0;
    this.unreadBadge.textContent = count ? String(count) : "";
    const label = `${title}: ${this.t.open}`;
    this.launcher.setAttribute("aria-label", count ? `${label} (${this.t.unread.replace("{count}", String(count))})` : label);
  }

  private save(): void {
    try {
      if (this.session) sessionStorage.setItem(this.storageKey, JSON.stringify(this.session));
    } catch {
      /* storage may be blocked: the conversation lives as long as the page */
    }
  }

  private async ensureSession(): Promise<Stored> {
    if (this.session) return this.session;
    const identity = this.getAttribute("identity") || undefined;
    let started;
    try {
      started = await this.client.call("post", "/chat/sessions", { body: { tenant_id: this.tenant, identity } });
    } catch (e) {
      if (!(identity && e instanceof ApiError && e.status === 401)) throw e;
      // The site's token did not verify (expired, another key): the visitor still gets an answer, anonymously.
      console.warn(`helpdesk-chat: the identity token was refused (${e.message}); chatting anonymously`);
      started = await this.client.call("post", "/chat/sessions", { body: { tenant_id: this.tenant } });
    }
    this.session = { id: started.data.id, token: started.data.token, helpCenterPublic: started.data.help_center_public ?? false,
      visitor: started.data.kind === "customer" ? identityEmail(identity) ?? undefined : undefined };
    this.save();
    return this.session;
  }

  private async restore(): Promise<void> {
    const stored = this.session;
    const acted = this.acted;
    try {
      const transcript = await this.poll(true);
      // The question still open, as the API keeps it (not guessed from the last message): its answers again.
      if (transcript && this.session === stored && this.acted === acted) {
        this.followConversation(transcript.language);
        this.offerAnswers(transcript.awaiting ?? null, false);
      }
      if (this.session?.handedOver) this.startPolling();
      this.showHandedOver();
    } catch (e) {
      if (sessionOver(e) && this.session === stored) this.forget();  // not one a message started meanwhile
    }
  }

  /** Drop a conversation the API no longer takes (its token expired, or it ended): the next message starts one. */
  private forget(): void {
    this.session = null;
    this.polling = false;
    this.showHandedOver();
    try {
      sessionStorage.removeItem(this.storageKey);
    } catch {
      /* storage may be blocked */
    }
  }

  private busy(on: boolean): void {
    this.sendButton.disabled = on;
    this.attachButton.disabled = on;
    this.status.textContent = on ? this.t.sending : "";
  }

  /** Once a person has the conversation: files may be sent, and "Talk to a person" is gone (it would only send
   *  "I want to talk to a person" to the person already answering). */
  private showHandedOver(): void {
    const handedOver = this.session?.handedOver === true;
    this.attachButton.hidden = !handedOver;
    this.personButton.hidden = handedOver;
  }

  /** The chosen files (and the words typed, if any) as one message to the ticket: each file is granted an upload,
   *  stored, then named in the message, which the API sends only when every file arrived whole. */
  async sendFiles(files: File[]): Promise<void> {
    const session = this.session;
    this.fileInput.value = "";
    if (!files.length || !session?.handedOver) return;
    if (files.length > MAX_FILES) {
      this.status.textContent = this.t.tooManyFiles.replace("{max}", String(MAX_FILES));
      return;
    }
    this.acted++;
    this.busy(true);
    try {
      const ids: string[] = [];
      for (const file of files) {
        const grant = await this.client.call("post", "/chat/sessions/{session_id}/attachments", {
          path: { session_id: session.id }, token: session.token,
          body: { filename: file.name, content_type: file.type || "application/octet-stream", size: file.size },
        });
        await storeUpload(grant.data.upload, file, true);
        ids.push(grant.data.attachment_id);
      }
      const text = this.input.value.trim();
      const posted = await this.client.call("post", "/chat/sessions/{session_id}/messages", {
        path: { session_id: session.id }, body: { text, attachment_ids: ids, page: thisPage() }, token: session.token,
      });
      this.input.value = "";
      const reply = posted.data;
      this.status.textContent = reply.notice ?? this.t.waiting;
      void this.poll(false, 0).catch(() => undefined);  // the message with its files, as the ticket has it
    } catch (e) {
      this.status.textContent = problemText(e, this.language);
    } finally {
      this.sendButton.disabled = false;
      this.attachButton.disabled = false;
    }
  }

  /** A file of a message: its download URL (short-lived, asked with the session token), opened in a new tab. */
  private async openFile(file: FileLink): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      // Asked as JSON (the route's 200 with `Accept: application/json`): the URL, not the redirect, to open.
      const download = await this.client.call("get", "/chat/sessions/{session_id}/attachments/{attachment_id}", {
        path: { session_id: session.id, attachment_id: file.id }, token: session.token,
      });
      const url = (download.data as { url?: unknown } | null)?.url;
      const href = typeof url === "string" ? safeLink(url, location.href) : null;
      if (href) window.open(href, "_blank", "noopener");
    } catch (e) {
      this.status.textContent = problemText(e, this.language);
    }
  }

  async sendText(text: string, shown = text, retried = false): Promise<void> {
    const value = text.trim();
    if (!value) return;
    this.acted++;
    this.busy(true);
    let used: Stored | null = null;
    try {
      const session = (used = await this.ensureSession());
      const posted = await this.client.call("post", "/chat/sessions/{session_id}/messages", {
        path: { session_id: session.id }, body: { text: value, page: thisPage() }, token: session.token,
      });
      const reply = posted.data;
      this.followConversation(reply.language);  // before what follows is shown: its buttons in the reply's language
      this.addMessage({ id: reply.message_id || `local-${Date.now()}`, role: "user", text: shown.trim(), at: "", citations: [], actions: [] });
      if (reply.reply_id && reply.reply !== null) {
        this.addMessage({ id: reply.reply_id, role: "assistant", text: reply.reply, at: "", citations: reply.citations, actions: reply.actions, ticket: reply.ticket });
      }
      this.input.value = "";
      this.afterActions(reply.actions);
      const status = reply.notice ?? (this.session?.handedOver ? this.t.waiting : (retried ? this.t.restarted : ""));
      this.status.textContent = reply.answer_by ? `${status} ${this.answerBy(reply.answer_by)}`.trim() : status;
    } catch (e) {
      // A tab left open past the conversation's life: the message starts a new one rather than failing for ever.
      if (!retried && used && sessionOver(e)) {
        if (this.session === used) this.forget();  // (a restore that found it over may have forgotten it already)
        return await this.sendText(text, shown, true);  // awaited: the button stays busy until it is done
      }
      this.status.textContent = problemText(e, this.language);
    } finally {
      this.sendButton.disabled = false;
    }
  }

  /** "Expect an answer by Monday, 30 November, 10:00 at the latest." in the visitor's language and time zone. */
  private answerBy(iso: string): string {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "";
    const when = new Intl.DateTimeFormat(this.language, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(at);
    return this.t.answerBy.replace("{when}", when);
  }

  private async sendEmail(): Promise<void> {
    if (!this.emailInput.checkValidity()) {
      this.emailInput.reportValidity();
      return;
    }
    await this.sendText(this.emailInput.value);
  }

  private afterActions(actions: string[]): void {
    const awaiting: Awaiting | null = actions.includes("confirm_ticket") || actions.includes("offer_ticket") ? "ticket_confirm"
      : actions.includes("ask_email") ? "email" : null;
    this.offerAnswers(awaiting, true);
    if (actions.includes("ticket_created") && this.session) {
      this.session.handedOver = true;
      this.save();
      this.showHandedOver();
      this.startPolling();
    }
  }

  /** The answers to the assistant's open question: Yes/No to a ticket, or the address form; none when nothing is
   *  open. Not after the hand-over: a plain "yes" goes to the ticket then, not to the assistant. */
  private offerAnswers(awaiting: Awaiting | null, focus: boolean): void {
    const open = this.session?.handedOver ? null : awaiting;
    this.confirm.hidden = open !== "ticket_confirm";
    this.emailForm.hidden = open !== "email";
    if (focus && open === "email") this.emailInput.focus();
  }

  private startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    void this.pollLoop();
  }

  /** After the hand-over: long-poll for new messages (the agent's replies) while the element is on the page. */
  private async pollLoop(): Promise<void> {
    while (this.polling && this.isConnected) {
      try {
        await this.poll(false, this.useAfter ? LONG_POLL_S : 0);
        if (!this.useAfter) await sleep(POLL_MS);
      } catch (e) {
        if (sessionOver(e)) {  // ended or expired: replies go by mail now, so stop asking
          this.status.textContent = this.t.ended;
          break;
        }
        await sleep(POLL_MS);
      }
    }
    this.polling = false;
  }

  /** New messages since the last one seen: `GET …/messages?after=` (long poll), or the whole transcript
   *  from an API without that route; the transcript when it was read. */
  async poll(all = false, wait = 0): Promise<Transcript | null> {
    const session = this.session;
    if (!session) return null;
    let messages: TranscriptMessage[] | null = null;
    if (this.useAfter && !all) {
      try {
        const page = await this.client.call("get", "/chat/sessions/{session_id}/messages", {
          path: { session_id: session.id }, query: { after: this.lastId ?? undefined, wait }, token: session.token,
        });
        messages = page.data.messages;
      } catch (e) {
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 405))) throw e;
        this.useAfter = false; // an API without the incremental route
      }
    }
    let transcript: Transcript | null = null;
    if (messages === null) {
      transcript = (await this.client.call("get", "/chat/sessions/{session_id}", { path: { session_id: session.id }, token: session.token })).data;
      messages = transcript.messages;
    }
    let replies = 0;
    for (const m of messages) if (this.addMessage(m) && m.role === "agent") replies++;
    // A reply that came while the widget was closed is waiting for the visitor: counted on the launcher (not the
    // transcript a reload reads, which shows what came before).
    if (!all && replies && this.panel.hidden && this.session === session) {
      session.unread = (session.unread ?? 0) + replies;
      this.save();
      this.showUnread();
    }
    return transcript;
  }

  /** Shows a message once (false when it was shown already). */
  private addMessage(m: TranscriptMessage): boolean {
    if (this.seen.has(m.id)) return false;
    this.seen.add(m.id);
    // Only ids the API gave can be `after=` (the greeting and echoes of sends without an id are local).
    if (m.id !== "greeting" && !m.id.startsWith("local-")) this.lastId = m.id;
    const t = this.t;
    const role = m.role === "user" || m.role === "visitor" || m.role === "customer" ? "user" : m.role === "assistant" ? "assistant" : "agent";
    const who = role === "user" ? t.you : role === "assistant" ? t.bot : m.author_name || t.agent;
    const citations = (m.citations ?? []) as unknown as Citation[];
    const links = citations.length
      ? h("div", { class: "sources" }, h("span", {}, `${t.sources}: `), h("ul", {}, ...citations.map((c) => {
        const page = this.session?.helpCenterPublic
          ? `/portal/#/help/${encodeURIComponent(this.tenant)}/${encodeURIComponent(c.article_id)}`
          : `/portal/#/kb/${encodeURIComponent(c.article_id)}`;
        const href = safeLink(c.url, `${this.api || location.origin}/`) ?? safeLink(page, `${this.api || location.origin}/`);
        return h("li", {}, href ? h("a", { href, target: "_blank", rel: "noopener noreferrer", "data-testid": "chat-citation" }, c.title) : c.title);
      })))
      : null;
    const ticket = m.ticket && typeof m.ticket.number === "string" ? h("p", { class: "ticket" }, `${t.ticket} ${m.ticket.number}`) : null;
    const files = (m.attachments ?? []).filter((a): a is Record<string, unknown> & FileLink =>
      typeof a.id === "string" && typeof a.filename === "string");
    const fileList = files.length
      ? h("ul", { class: "files", "aria-label": t.files }, ...files.map((file) => h("li", {},
        h("button", { type: "button", class: "link", "data-testid": "chat-file-link", onclick: () => void this.openFile(file) }, file.filename))))
      : null;
    // Only the assistant's cited answers are rated (not the greeting, "I don't know" or a person's reply), once.
    const session = this.session;
    const rateable = role === "assistant" && citations.length > 0 && (m.helpful ?? null) === null && session !== null
      && m.id !== "greeting" && !m.id.startsWith("local-");
    this.log.append(h("div", { class: `msg ${role}`, "data-testid": "chat-message", "data-role": role },
      h("span", { class: "who" }, who), m.text ? h("p", { class: "text" }, ...linkedText(m.text)) : null, fileList, links, ticket,
      rateable ? this.feedbackLine(session, m.id) : null));
    this.log.scrollTop = this.log.scrollHeight;
    return true;
  }

  /** "Did this answer your question? [Yes] [No]" under an answer; the thanks replaces it, in a polite live region. */
  private feedbackLine(session: Stored, messageId: string): HTMLElement {
    const t = this.t;
    const questionId = `${this.uid}-rate${++this.rated}`;
    const yes = h("button", { type: "button", class: "secondary", "aria-label": t.rateYes, "data-testid": "chat-helpful-yes" }, t.yes);
    const no = h("button", { type: "button", class: "secondary", "aria-label": t.rateNo, "data-testid": "chat-helpful-no" }, t.no);
    const ask = h("div", { class: "ask", role: "group", "aria-labelledby": questionId },
      h("span", { id: questionId }, t.rateQuestion), yes, no);
    const thanks = h("span", { class: "thanks", role: "status", "data-testid": "chat-feedback-thanks" });
    const line = h("div", { class: "feedback", "data-testid": "chat-feedback" }, ask, thanks);
    const rate = (helpful: boolean) => void this.rate(session, messageId, helpful, { line, ask, thanks, buttons: [yes, no] });
    yes.addEventListener("click", () => rate(true));
    no.addEventListener("click", () => rate(false));
    return line;
  }

  private async rate(session: Stored, messageId: string, helpful: boolean,
                     ui: { line: HTMLElement; ask: HTMLElement; thanks: HTMLElement; buttons: HTMLButtonElement[] }): Promise<void> {
    const hadFocus = ui.line.contains(this.root.activeElement);
    for (const b of ui.buttons) b.disabled = true;
    this.acted++;
    try {
      const rated = await this.client.call("post", "/chat/sessions/{session_id}/messages/{message_id}/feedback", {
        path: { session_id: session.id, message_id: messageId }, body: { helpful }, token: session.token,
      });
      ui.ask.remove();
      if (this.ratingProblem !== null && this.status.textContent === this.ratingProblem) this.status.textContent = "";
      ui.thanks.textContent = helpful ? this.t.thanksHelpful : this.t.thanksNotHelpful;
      const offer = rated.data.offer;
      if (offer) {  // "would you like a ticket?": the long poll may bring the same message, shown once (by id)
        this.addMessage(offer);
        this.afterActions(offer.actions ?? []);
        this.log.scrollTop = this.log.scrollHeight;  // the yes/no row that appeared made the log shorter
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {  // already_rated (in another tab): nothing left to ask
        ui.line.remove();
      } else {
        for (const b of ui.buttons) b.disabled = false;
        this.status.textContent = this.ratingProblem = problemText(e, this.language);
        return;
      }
    }
    if (hadFocus) this.input.focus();  // the buttons are gone: keep the keyboard in the chat
  }
}
