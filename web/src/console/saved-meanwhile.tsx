// A save refused (409) because someone saved the same document after this form read it: it says so and offers
// to read theirs. The form keeps what was typed until then, so the admin can redo their change on top.
import { ApiError } from "../api/client";

/** Only 409 `concurrent_update`: other 409s (a domain another organisation claims, demoting oneself) say what to
 * fix instead, and reloading would not help. */
export function savedMeanwhile(error: unknown): boolean {
  return error instanceof ApiError && error.conflict && error.code === "concurrent_update";
}

/** `what` names the document as the sentence reads it: "these settings", "the categories". */
export function SavedMeanwhile({ error, what, onReload }: { error: unknown; what: string; onReload: () => void }) {
  if (!savedMeanwhile(error)) return null;
  return (
    <span data-testid="saved-meanwhile">
      Another admin saved {what} meanwhile: reload, then redo your change.{" "}
      <button type="button" onClick={onReload}>Reload {what.replace(/^these /, "the ")}</button>
    </span>
  );
}
