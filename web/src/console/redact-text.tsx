// "Redact" beside a ticket's title: the team takes a card number, password or ID number a customer wrote out of the
// ticket everywhere it is kept (`POST /privacy/redactions`). The text selected on the page fills the box; it cannot
// be undone, so the agent confirms.
import { useState } from "preact/hooks";
import type { components as Privacy } from "../api/schema/privacy";

type RedactionReport = Privacy["schemas"]["RedactionReport"];
export const MIN_REDACTED_CHARS = 3; // the API's: shorter would take parts of words out of everything
export const MAX_REDACTED_CHARS = 1000;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a redaction did: "Redacted 2 places; 1 original mail deleted.", "Redacted the file; 1 original mail deleted." */
export function redactionNotice(report: RedactionReport): string {
  const also = [
    report.mails_deleted ? `${count(report.mails_deleted, "original mail", "original mails")} deleted` : "",
    report.chat_messages ? `${count(report.chat_messages, "chat message", "chat messages")} redacted` : "",
  ].filter(Boolean);
  const what = report.files_deleted ? "the file" : count(report.places, "place", "places");
  return `Redacted ${what}${also.length ? `; ${also.join(", ")}` : ""}.`;
}

/** The history's line of a redaction (never what: how much): "redacted text (1 place, 1 original mail deleted)",
 * "masked card numbers (2 places, 1 HTML copy deleted)". */
export function redactedLine(d: Record<string, unknown>): string {
  const number = (v: unknown) => (typeof v === "number" ? v : 0);
  const mails = number(d.mails_deleted) ? `, ${count(number(d.mails_deleted), "original mail", "original mails")} deleted` : "";
  if (number(d.files_deleted)) return `redacted a file${mails}`;
  if (d.card_numbers === true) {  // the cards written before masking was on: only the HTML copies of mails go
    const copies = number(d.html_copies_deleted) ? `, ${count(number(d.html_copies_deleted), "HTML copy", "HTML copies")} deleted` : "";
    return `masked card numbers (${count(number(d.places), "place", "places")}${copies})`;
  }
  return `redacted text (${count(number(d.places), "place", "places")}${mails})`;
}

/** The text selected on the page, as far as the box takes it. */
function selectedText(): string {
  return (window.getSelection()?.toString() ?? "").trim().slice(0, MAX_REDACTED_CHARS);
}

/** `onRedact` resolves true once the text is out (the form closes), false when the API refused it (it stays). */
export function RedactText({ busy, onRedact }: { busy: boolean; onRedact: (text: string) => Promise<boolean> }) {
  const [text, setText] = useState<string | null>(null);
  if (text === null) {
    return (
      <button type="button" class="link" data-testid="redact" disabled={busy} onClick={() => setText(selectedText())}
        title="Take a card number, password or ID number out of this ticket">Redact</button>
    );
  }
  const enough = text.replace(/\s/g, "").length >= MIN_REDACTED_CHARS;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!enough || !window.confirm(`Take “${text.trim()}” out of this ticket everywhere? This cannot be undone.`)) return;
    if (await onRedact(text)) setText(null);
  };
  return (
    <form class="filters" aria-label="Redact text" onSubmit={(e) => void submit(e)}>
      <label>
        Text to take out{" "}
        <input data-testid="redact-text" value={text} maxLength={MAX_REDACTED_CHARS} size={32} autoFocus
          aria-describedby="redact-hint" onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === "Escape") setText(null); }} />
      </label>
      <button type="submit" disabled={busy || !enough} data-testid="redact-submit">Redact</button>
      <button type="button" onClick={() => setText(null)}>Cancel</button>
      <span class="hint" id="redact-hint">
        Replaced by [redacted] in its messages, notes, fields, chat and AI notes; a mail holding it is deleted. It cannot be undone.
      </span>
    </form>
  );
}
