// The Ticket fields screen (`#/fields`, admins): the custom fields agents fill in on a ticket ("Order number",
// "Plan"), in the order the ticket page shows them. The API takes the whole list with the version this screen read
// (If-Match): a save over another admin's is refused and offers to reload theirs. A saved field is not removed here
// but no longer offered, so the tickets that have its value keep showing it. The request forms customers pick from
// in the portal are part of the same document, below the fields (ticket-forms-admin.tsx).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { TicketFieldsView } from "../api/types";
import { moved } from "../shared/lists";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";
import { fromFieldDraft, TicketFieldCard, toFieldDraft, type FieldDraft } from "./ticket-field-card";
import { fromFormDraft, TicketFormsAdmin, toFormDraft, type FormDraft } from "./ticket-forms-admin";

const MAX_FIELDS = 50; // the API's

export function TicketFieldsAdmin({ api }: { api: ApiClient }) {
  const [drafts, setDrafts] = useState<FieldDraft[] | null>(null);
  const [forms, setForms] = useState<FormDraft[]>([]);
  const [etag, setEtag] = useState<string | null>(null); // the version read: a save over another admin's is 409
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const show = (view: TicketFieldsView, tag: string | null) => {
    const fields = (view.fields ?? []).map((f) => toFieldDraft(f, true));
    setDrafts(fields);
    setForms((view.forms ?? []).map((f) => toFormDraft(f, true, fields)));
    setEtag(tag);
  };
  const load = () => api.call("get", "/ticket-fields", {}).then((r) => show(r.data, r.etag));
  useEffect(() => {
    load().catch(setError);
  }, []);
  if (!drafts) return <section><h1>Ticket fields</h1><Alert error={error} />{error ? null : <p>Loading…</p>}</section>;

  const change = (id: number, patch: Partial<FieldDraft>) => setDrafts(drafts.map((d) => (d.id === id ? { ...d, ...patch } : d)));
  const add = () => setDrafts([...drafts, toFieldDraft({ key: "", label: "", type: "text" }, false)]);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice("");
    try {
      const body = { fields: drafts.map(fromFieldDraft), forms: forms.map((f) => fromFormDraft(f, drafts)) };
      const saved = await api.call("put", "/ticket-fields", { body, ifMatch: etag ?? undefined });
      show(saved.data, saved.etag);
      setNotice("Ticket fields saved: agents fill them in on each ticket");
    } catch (err) {
      setError(err); // the form keeps what was typed
    } finally {
      setBusy(false);
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  return (
    <section aria-labelledby="fields-title">
      <h1 id="fields-title">Ticket fields</h1>
      <p class="hint">
        What agents fill in on every ticket, in this order, under its properties; the ones customers fill in also appear on
        the portal's form. Integrations may send the same keys in a ticket's <code>custom_fields</code>; a value not of the
        field's type is refused.
      </p>
      <form class="stack" onSubmit={save} data-testid="ticket-fields" aria-labelledby="fields-title">
        <Alert error={error} />
        <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="the ticket fields" onReload={reload} /></p>
        {drafts.length ? null : <p>No fields yet.</p>}
        {drafts.map((d, i) => (
          <TicketFieldCard key={d.id} draft={d} position={i + 1} count={drafts.length}
            onChange={(patch) => change(d.id, patch)} onMove={(by) => setDrafts(moved(drafts, i, by))}
            onRemove={() => setDrafts(drafts.filter((x) => x.id !== d.id))} />
        ))}
        <div class="reply-actions">
          <button type="button" onClick={add} disabled={drafts.length >= MAX_FIELDS}>Add field</button>
        </div>
        <TicketFormsAdmin api={api} forms={forms} fields={drafts} onChange={setForms} />
        <div class="reply-actions">
          <button type="submit" disabled={busy}>Save ticket fields</button>
        </div>
      </form>
    </section>
  );
}
