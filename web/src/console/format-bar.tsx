// The reply box's Markdown: a row of buttons putting Markdown's marks on what the agent selected (around it, or at
// the caret with the caret between them; lists and quotes before each selected line), Ctrl/⌘+B and Ctrl/⌘+I for the
// two used most, and a preview of the reply as it will read. The console sends replies and notes as Markdown
// (`format: "markdown"`), which the customer's mail, the portal and the console show as the preview does
// (`shared/markdown.tsx::MessageMarkdown`); the marks are plain text, so the mail's text part reads as written.
import type { JSX, RefObject } from "preact";
import { useState } from "preact/hooks";
import { MARK_SHORTCUTS, markKey, modifierKey, sendOnCtrlEnter } from "../shared/keys";
import { MessageBody, type TranscriptWords } from "../shared/transcript";

export type Mark = "bold" | "italic" | "bullets" | "numbers" | "link" | "code" | "quote";

/** A box's text and its selection (`start` to `end`; a caret where they meet). */
export interface Edit { text: string; start: number; end: number }

// What each button shows is a word of its name (axe: the visible label in the name); the lists' "•" and "1." are the
// stylesheet's (app.css, `.format-bullets::before`).
const BUTTONS: { mark: Mark; label: string; shown: string }[] = [
  { mark: "bold", label: "Bold", shown: "B" },
  { mark: "italic", label: "Italic", shown: "I" },
  { mark: "bullets", label: "Bulleted list", shown: "List" },
  { mark: "numbers", label: "Numbered list", shown: "List" },
  { mark: "link", label: "Link", shown: "Link" },
  { mark: "code", label: "Code", shown: "Code" },
  { mark: "quote", label: "Quote", shown: "Quote" },
];

export const MARKDOWN_HINT = "Markdown: **bold**, *italic*, - lists, [text](https://…)";

/** What the box holds and has selected. */
export function boxEdit(box: HTMLTextAreaElement): Edit {
  return { text: box.value, start: box.selectionStart, end: box.selectionEnd };
}

/** Puts `edit` into the box as typing would, so that the browser's undo (Ctrl/⌘+Z) takes a mark back: the span
 * that changed is selected and replaced with the browser's `insertText`, which fires the box's input event. False
 * where the browser has no such command (the unit tests' DOM): the caller then sets the value itself. */
export function typeIntoBox(box: HTMLTextAreaElement, edit: Edit): boolean {
  if (typeof document.execCommand !== "function") return false;
  const before = box.value;
  if (before === edit.text) { // nothing to type: a "delete" over the empty span would take the character before it
    box.setSelectionRange(edit.start, edit.end);
    return true;
  }
  let from = 0;
  while (from < before.length && from < edit.text.length && before[from] === edit.text[from]) from++;
  let kept = 0; // the unchanged end, within what is left after `from` on both sides
  while (kept < before.length - from && kept < edit.text.length - from
    && before[before.length - 1 - kept] === edit.text[edit.text.length - 1 - kept]) kept++;
  const typed = edit.text.slice(from, edit.text.length - kept);
  box.focus();
  box.setSelectionRange(from, before.length - kept);
  // `insertText` is the one command browsers keep on their undo stack for a text box (deprecated, and kept for this)
  const done = document.execCommand(typed === "" ? "delete" : "insertText", false, typed);
  if (!done || box.value !== edit.text) return false;
  box.setSelectionRange(edit.start, edit.end);
  return true;
}

/** `edit` with `mark` put on its selection, and what to select after: the marked text, or the caret between the
 * marks. A selection already marked so (bold, italic, code) loses the marks: the button undoes itself. */
export function format(edit: Edit, mark: Mark): Edit {
  switch (mark) {
    case "bold":
      return wrap(edit, "**", (before, after) => stars(before, after) >= 2, 2);
    case "italic": // "*" inside "**…**" is bold's; inside "***…***" it is also italic's
      return wrap(edit, "*", (before, after) => stars(before, after) % 2 === 1, 1);
    case "code":
      return code(edit);
    case "link":
      return link(edit);
    default:
      return lines(edit, mark);
  }
}

/** The stars both sides of a selection share ("**" before and "***" after: 2). */
function stars(before: string, after: string): number {
  return Math.min(/\**$/.exec(before)![0].length, /^\**/.exec(after)![0].length);
}

/** The selection without the spaces at its ends (a double-click takes the space after a word too, and "**word **"
 * is no emphasis): `[before, selected, after]`. */
function trimmed({ text, start, end }: Edit): [string, string, string] {
  const selected = text.slice(start, end);
  const from = start + (selected.length - selected.trimStart().length);
  const to = Math.max(from, end - (selected.length - selected.trimEnd().length));
  return [text.slice(0, from), text.slice(from, to), text.slice(to)];
}

function wrap(edit: Edit, marks: string, marked: (before: string, after: string) => boolean, size: number): Edit {
  const [before, selected, after] = trimmed(edit);
  if (marked(before, after)) {
    const kept = before.slice(0, -size);
    return { text: kept + selected + after.slice(size), start: kept.length, end: kept.length + selected.length };
  }
  const start = before.length + marks.length;
  return { text: before + marks + selected + marks + after, start, end: start + selected.length };
}

/** Inline code in as many backticks as it needs (one more than its longest run); lines as a fenced block. */
function code(edit: Edit): Edit {
  const [before, selected, after] = trimmed(edit);
  const run = Math.max(0, ...(selected.match(/`+/g) ?? []).map((r) => r.length));
  if (selected.includes("\n")) {
    const fence = "`".repeat(Math.max(3, run + 1));
    const above = before === "" || before.endsWith("\n") ? "" : "\n";
    const below = after === "" || after.startsWith("\n") ? "" : "\n";
    const start = before.length + above.length + fence.length + 1;
    return { text: `${before}${above}${fence}\n${selected}\n${fence}${below}${after}`, start, end: start + selected.length };
  }
  if (run === 0 && before.endsWith("`") && after.startsWith("`")) return wrap(edit, "`", () => true, 1);
  const ticks = "`".repeat(run + 1);
  const pad = selected.startsWith("`") || selected.endsWith("`") ? " " : ""; // "`` `a` ``" shows "`a`"
  const start = before.length + ticks.length + pad.length;
  return { text: `${before}${ticks}${pad}${selected}${pad}${ticks}${after}`, start, end: start + selected.length };
}

/** `[text](address)`: the address selected to be typed over; a selected address goes in the brackets' place, the
 * caret in the brackets for its text. */
function link(edit: Edit): Edit {
  const [before, selected, after] = trimmed(edit);
  if (!selected || /^(https?:\/\/|mailto:)\S+$/i.test(selected)) {
    const at = before.length + 1;
    return { text: `${before}[](${selected || "https://"})${after}`, start: at, end: at };
  }
  const start = before.length + selected.length + 3;
  return { text: `${before}[${selected}](https://)${after}`, start, end: start + "https://".length };
}

const PREFIX: Record<"bullets" | "numbers" | "quote", RegExp> = { bullets: /^- /, numbers: /^\d+\. /, quote: /^> ?/ };

/** Each line the selection touches with the list's or the quote's mark (blank lines between stay blank; the other
 * list's mark replaced), set apart from the text around it by a blank line (else the line after a list would read as
 * its last item); lines all marked so lose the marks. A caret stays where it was in its line; a selection becomes
 * the lines marked. */
function lines({ text, start, end }: Edit, mark: "bullets" | "numbers" | "quote"): Edit {
  const from = text.lastIndexOf("\n", start - 1) + 1;
  const last = end > start && text[end - 1] === "\n" ? end - 1 : end; // a triple-click's selection ends past its line
  const stop = text.indexOf("\n", last) === -1 ? text.length : text.indexOf("\n", last);
  const old = text.slice(from, stop).split("\n");
  const pattern = PREFIX[mark];
  const other = mark === "bullets" ? PREFIX.numbers : mark === "numbers" ? PREFIX.bullets : null;
  const written = old.filter((line) => line.trim());
  const undo = written.length > 0 && written.every((line) => pattern.test(line));
  let n = 0;
  const next = old.map((line) => {
    if (undo) return line.replace(pattern, "");
    if (!line.trim() && old.length > 1) return line;
    n += 1;
    return `${mark === "bullets" ? "- " : mark === "numbers" ? `${n}. ` : "> "}${other ? line.replace(other, "") : line}`;
  });
  const lineBefore = text.slice(0, Math.max(0, from - 1)).split("\n").pop() ?? "";
  const lineAfter = text.slice(stop + 1).split("\n")[0] ?? "";
  const apart = (line: string) => !undo && line.trim() !== "" && !pattern.test(line);
  const above = from > 0 && apart(lineBefore) ? "\n" : "";
  const below = stop < text.length && apart(lineAfter) ? "\n" : "";
  const block = next.join("\n");
  const result = text.slice(0, from) + above + block + below + text.slice(stop);
  if (start === end) {
    const at = Math.max(from, start + (next[0]!.length - old[0]!.length)) + above.length;
    return { text: result, start: at, end: at };
  }
  return { text: result, start: from + above.length, end: from + above.length + block.length };
}

/** The reply box's keydown: Ctrl/⌘+B and Ctrl/⌘+I mark its selection, Ctrl/⌘+Enter sends (`sendOnCtrlEnter`). */
export function replyKeys(onEdit: (edit: Edit) => void): (e: KeyboardEvent) => void {
  return (e) => {
    const mark = markKey(e);
    if (!mark) {
      sendOnCtrlEnter(e);
      return;
    }
    e.preventDefault(); // not the browser's own (Firefox opens its bookmarks on Ctrl+B)
    onEdit(format(boxEdit(e.currentTarget as HTMLTextAreaElement), mark));
  };
}

/** `aria-keyshortcuts` of the reply box: sending and marking. */
export function replyShortcuts(send: string): string {
  return `${send} ${MARK_SHORTCUTS.bold} ${MARK_SHORTCUTS.italic}`;
}

/** The buttons over the reply box `box` (`controls`: the box's id), and the preview's switch. One stop for Tab, the
 * arrow keys move along (a toolbar's keys); a button leaves the focus in the box (`onEdit` places the selection once
 * the edit is in). */
export function FormatBar({ box, controls, onEdit, preview, onPreview }: {
  box: RefObject<HTMLTextAreaElement>;
  controls: string;
  onEdit: (edit: Edit) => void;
  preview: boolean;
  onPreview: (shown: boolean) => void;
}): JSX.Element {
  const [current, setCurrent] = useState(0);
  const apply = (mark: Mark) => {
    if (box.current) onEdit(format(boxEdit(box.current), mark));
  };
  const move = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>("button:not(:disabled)")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? -1 : null;
    if (to === null || at === -1) return;
    e.preventDefault();
    const next = buttons[(to + buttons.length) % buttons.length];
    next?.focus();
    setCurrent(Number(next?.dataset.index ?? 0));
  };
  const keys = modifierKey();
  return (
    <div class="format-bar" role="toolbar" aria-label="Formatting" aria-controls={controls} onKeyDown={move}>
      {BUTTONS.map((b, i) => {
        const shortcut = b.mark === "bold" || b.mark === "italic" ? MARK_SHORTCUTS[b.mark] : undefined;
        return (
          <button key={b.mark} type="button" class={`format-${b.mark}`} data-testid={`format-${b.mark}`} data-index={i}
            aria-label={b.label} title={shortcut ? `${b.label} (${keys}+${b.label[0]})` : b.label} aria-keyshortcuts={shortcut}
            tabIndex={i === current ? 0 : -1}
            // the box keeps the focus and its selection: the mark goes where the agent was writing
            onMouseDown={(e) => e.preventDefault()} onClick={() => { setCurrent(i); apply(b.mark); }}>
            {b.shown}
          </button>
        );
      })}
      <button type="button" class="format-preview" data-testid="reply-preview-toggle" data-index={BUTTONS.length}
        aria-pressed={preview} tabIndex={current === BUTTONS.length ? 0 : -1}
        onClick={() => { setCurrent(BUTTONS.length); onPreview(!preview); }}>
        Preview
      </button>
    </div>
  );
}

/** The reply as the thread and the customer's mail will show it. */
export function ReplyPreview({ text, internal, words }: {
  text: string; internal: boolean; words: TranscriptWords;
}): JSX.Element {
  return (
    <section class={`message ${internal ? "internal" : "public"} reply-preview`} data-testid="reply-preview" aria-label="Preview">
      {text.trim() ? <MessageBody text={text} words={words} markdown /> : <p class="hint">Nothing to preview yet.</p>}
    </section>
  );
}
