// The keys agents work with. Ctrl+Enter (⌘+Enter on a Mac) in a message box sends its form, as Zendesk's, FreeScout's and mail clients'
// composers do: an agent answers from the keyboard (the queue's j/k and r open the reply box). Plain Enter stays a
// new line. The form's send button decides: while it is disabled (nothing written, a send under way) the keys do
// nothing, so they can never send twice or send what the button would not. In the console's reply box, which is
// written in Markdown, Ctrl+B and Ctrl+I (⌘ on a Mac) mark the selection bold and italic, as in mail composers.

/** The shortcuts' modifier as the page's reader knows it: "⌘" on Apple devices, else "Ctrl". */
export function modifierKey(platform: string = navigator.userAgent): string {
  return /Mac|iPhone|iPad/.test(platform) ? "⌘" : "Ctrl";
}

/** The key names as the page's reader knows them: "⌘+Enter" on Apple devices, else "Ctrl+Enter". */
export function sendKeys(platform: string = navigator.userAgent): string {
  return `${modifierKey(platform)}+Enter`;
}

/** `aria-keyshortcuts` for a box that sends this way (both, as the handler takes both). */
export const SEND_SHORTCUTS = "Control+Enter Meta+Enter";

/** A message box's keydown: Ctrl/⌘+Enter presses its form's send button when that button can be pressed. */
export function sendOnCtrlEnter(e: KeyboardEvent): void {
  if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.isComposing) return;
  const box = e.currentTarget as HTMLTextAreaElement | null;
  const send = box?.form?.querySelector<HTMLButtonElement>("button[type=submit]");
  e.preventDefault(); // never a new line for these keys, sent or not
  if (send && !send.disabled) box?.form?.requestSubmit(send);
}

/** Whether a key press goes into a box the person is typing in (then it is theirs, not a shortcut's). A checkbox
 * is no box: a ticked row keeps the queue's keys working. */
export function typingIn(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  return !!target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && (target as HTMLInputElement).type !== "checkbox";
}

/** The marks the keys put on a Markdown box's selection. */
export type KeyMark = "bold" | "italic";

/** `aria-keyshortcuts` of a box marking this way (both modifiers, as `markKey` takes both). */
export const MARK_SHORTCUTS: Record<KeyMark, string> = { bold: "Control+B Meta+B", italic: "Control+I Meta+I" };

/** The mark a key press asks for: Ctrl/⌘+B bold, Ctrl/⌘+I italic; null for any other key (with Shift or Alt too,
 * or while an IME composes). A layout without Latin letters names the key by its place (`code`). */
export function markKey(e: KeyboardEvent): KeyMark | null {
  if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.isComposing) return null;
  const key = e.key.toLowerCase();
  const letter = /^[a-z]$/.test(key) ? key : /^Key[A-Z]$/.test(e.code) ? e.code.slice(3).toLowerCase() : "";
  return letter === "b" ? "bold" : letter === "i" ? "italic" : null;
}
