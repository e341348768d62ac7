// The team's notes on someone or something beside their tickets (an organisation, a customer): read, edited in
// place, saved by any teammate. A save over a teammate's change made meanwhile is refused (409) and offers to show
// theirs; what was typed stays until then.
import { useState } from "preact/hooks";
import { SEND_SHORTCUTS, sendOnCtrlEnter } from "../shared/keys";
import { Alert } from "../shared/ui";
import { savedMeanwhile } from "./saved-meanwhile";

export interface NotesPanelProps {
  name: string; // whose notes: the heading says "About <name>"
  notes: string;
  testId: string; // the panel's; its text is `<testId>-text`, its box is named `testId`
  what: string; // "organization", "customer": in "No notes on this … yet."
  hint: string; // what the notes are for, under the box
  save: (notes: string) => Promise<void>;
  reload: () => void;
}

export function NotesPanel({ name, notes, testId, what, hint, save, reload }: NotesPanelProps) {
  const [draft, setDraft] = useState<string | null>(null);  // null: not editing
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (draft === null) return;
    setBusy(true);
    setError(null);
    try {
      await save(draft);
      setDraft(null);
      reload();
    } catch (err) {
      setError(err);  // what was typed stays
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h2 id={`${testId}-title`}>About {name}</h2>
      {draft === null ? (
        <>
          {notes ? <p class="organization-notes" data-testid={`${testId}-text`}>{notes}</p> : <p class="hint">No notes on this {what} yet.</p>}
          <button type="button" class="link" onClick={() => { setError(null); setDraft(notes); }}>{notes ? "Edit notes" : "Add notes"}</button>
        </>
      ) : (
        <form class="stack" aria-label={`Notes on ${name}`} onSubmit={submit}>
          {savedMeanwhile(error) ? (
            <p role="alert">A teammate changed these notes meanwhile.{" "}
              <button type="button" onClick={() => { setDraft(null); setError(null); reload(); }}>Show their notes</button></p>
          ) : <Alert error={error} />}
          <textarea name={testId} rows={4} maxLength={5000} value={draft} aria-label={`Notes on ${name}`}
            onInput={(e) => setDraft(e.currentTarget.value)} onKeyDown={sendOnCtrlEnter} aria-keyshortcuts={SEND_SHORTCUTS} />
          <p class="hint">{hint}</p>
          <div class="reply-actions">
            <button type="submit" disabled={busy}>Save notes</button>
            <button type="button" class="link" onClick={() => setDraft(null)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
