// The ticket page's macro picker: the caller's macros (`GET /macros`), a preview of the chosen one
// (`?dry_run=true`: the rendered reply and note, and the fields it would change, custom fields too), then Apply.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Macro, MacroApplication, Ticket } from "../api/types";
import { display } from "../api/triage";
import { MessageMarkdown } from "../shared/markdown";
import { Alert } from "../shared/ui";
import { changedValues } from "./field-changes";
import { snoozedUntil } from "./snooze";
import { when } from "../shared/format";

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

type Fields = Pick<Ticket, "status" | "priority" | "group" | "assignee_id" | "tags" | "snoozed_until">;

/** What applying would change on the ticket: the preview's ticket beside the current one. */
export function fieldChanges(before: Fields, after: Fields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ["status", "priority", "group", "assignee_id"] as const) {
    if ((before[field] ?? null) !== (after[field] ?? null)) {
      changes.push({ field: field === "assignee_id" ? "assignee" : field, from: display(before[field]), to: display(after[field]) });
    }
  }
  const was = [...(before.tags ?? [])].sort();
  const now = [...(after.tags ?? [])].sort();
  if (was.join("\n") !== now.join("\n")) changes.push({ field: "tags", from: display(was), to: display(now) });
  const [snoozed, snoozes] = [snoozedUntil(before.snoozed_until), snoozedUntil(after.snoozed_until)];
  if (snoozed !== snoozes) {
    changes.push({ field: "snoozed until", from: snoozed ? when(snoozed) : "—", to: snoozes ? when(snoozes) : "—" });
  }
  return changes;
}

export function MacroPicker({ api, ticket, etag, onApplied }: {
  api: ApiClient;
  ticket: Ticket;
  etag: string | null;
  onApplied: (name: string) => Promise<void>;
}) {
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [preview, setPreview] = useState<MacroApplication | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.get("/macros").then((m) => live && setMacros(m)).catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  const apply = async (macroId: string, dryRun: boolean) =>
    (await api.call("post", "/tickets/{ticket_id}/macros/{macro_id}/apply", {
      path: { ticket_id: ticket.id, macro_id: macroId },
      query: dryRun ? { dry_run: true } : undefined,
      ifMatch: dryRun ? undefined : etag ?? undefined,
    })).data;

  const choose = async (macroId: string) => {
    setChosen(macroId);
    setPreview(null);
    setError(null);
    if (!macroId) return;
    setBusy(true);
    try {
      setPreview(await apply(macroId, true));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    const macro = macros?.find((m) => m.id === chosen);
    if (!macro) return;
    setBusy(true);
    setError(null);
    try {
      await apply(macro.id, false);
      setChosen("");
      setPreview(null);
      await onApplied(macro.name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const changes = preview ? [...fieldChanges(ticket, preview.ticket), ...changedValues(preview.events)] : [];
  return (
    <section class="macros" aria-labelledby="macros-title" data-testid="macros">
      <h2 id="macros-title" class="sr-only">Macros</h2>
      <label>
        Macros{" "}
        <select data-testid="macro-picker" value={chosen} disabled={busy || macros === null}
          onChange={(e) => void choose(e.currentTarget.value)}>
          <option value="">{macros === null ? "Loading…" : macros.length ? "Choose a macro…" : "No macros"}</option>
          {(macros ?? []).map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select>
      </label>
      <Alert error={error} />
      {preview ? (
        <div class="macro-preview" data-testid="macro-preview" aria-live="polite">
          {preview.reply ? (
            <>
              <h3>Reply</h3>
              <MacroText text={preview.reply} markdown={preview.format === "markdown"} testId="macro-reply" />
            </>
          ) : null}
          {preview.note ? (
            <>
              <h3>Internal note</h3>
              <MacroText text={preview.note} markdown={preview.format === "markdown"} testId="macro-note" />
            </>
          ) : null}
          <h3>Changes</h3>
          {changes.length ? (
            <ul data-testid="macro-changes">
              {changes.map((c) => <li key={c.field}>{c.field}: {c.from} → {c.to}</li>)}
            </ul>
          ) : <p>No field changes.</p>}
          <button type="button" data-testid="macro-apply" disabled={busy} onClick={() => void confirm()}>Apply</button>{" "}
          <button type="button" class="link" onClick={() => void choose("")}>Cancel</button>
        </div>
      ) : null}
    </section>
  );
}

/** A macro's rendered reply or note as the ticket will show it: formatted when the macro is written in Markdown. */
function MacroText({ text, markdown, testId }: { text: string; markdown: boolean; testId: string }): JSX.Element {
  return markdown
    ? <div data-testid={testId}><MessageMarkdown source={text} class="body markdown" /></div>
    : <p class="body" data-testid={testId}>{text}</p>;
}
