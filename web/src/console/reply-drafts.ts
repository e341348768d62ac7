// The reply an agent is writing, kept for the tab per person and ticket: following a link to another ticket, the
// queue, or a reload, and coming back finds it again (Zendesk and Freshdesk keep drafts too). sessionStorage, not
// localStorage: a customer's words written into a reply do not outlive the tab on a shared computer, and signing
// out forgets every draft. Sending it forgets it.
export interface ReplyDraft {
  text: string;
  internal: boolean;
  savedAt: string; // ISO time of the last keystroke kept
}

const PREFIX = "helpdesk.console.reply.";
const MAX_AGE_MS = 24 * 60 * 60 * 1000; // a tab left open for days: yesterday's half-reply is stale

function key(user: string, ticketId: string): string {
  return `${PREFIX}${user}.${ticketId}`;
}

export function loadDraft(storage: Storage, user: string, ticketId: string, now: Date = new Date()): ReplyDraft | null {
  try {
    const raw = storage.getItem(key(user, ticketId));
    if (!raw) return null;
    const draft = JSON.parse(raw) as Partial<ReplyDraft>;
    const saved = Date.parse(String(draft.savedAt));
    if (typeof draft.text !== "string" || !draft.text.trim() || Number.isNaN(saved) || now.getTime() - saved > MAX_AGE_MS) {
      storage.removeItem(key(user, ticketId));
      return null;
    }
    return { text: draft.text, internal: draft.internal === true, savedAt: new Date(saved).toISOString() };
  } catch {
    return null; // storage refused (private mode) or an entry not ours: no draft
  }
}

/** Keep what is typed; an empty box forgets the draft. */
export function saveDraft(storage: Storage, user: string, ticketId: string, text: string, internal: boolean,
  now: Date = new Date()): void {
  try {
    if (!text.trim()) storage.removeItem(key(user, ticketId));
    else storage.setItem(key(user, ticketId), JSON.stringify({ text, internal, savedAt: now.toISOString() }));
  } catch {
    // full or refused: the reply box still holds the text, only the copy is lost
  }
}

/** Signing out: no one else at this computer finds a half-written reply. */
export function forgetAllDrafts(storage: Storage): void {
  try {
    const ours = Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter((k): k is string => !!k?.startsWith(PREFIX));
    for (const k of ours) storage.removeItem(k);
  } catch {
    // nothing to forget
  }
}
