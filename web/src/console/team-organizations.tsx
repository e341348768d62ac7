// The Team screen's organisations: the companies customers write from, each claiming mail domains. Every staff
// member sees them and opens the queue on one's tickets; admins add organisations, rename them, change their
// domains in place and delete them (after a confirmation). A refusal (a domain that is not one, or one another
// organisation claims) shows by the field; a save or delete over another admin's change offers to reload. An
// organisation may share its tickets: its people then see and answer each other's tickets in the portal.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, versionTag, type ApiClient } from "../api/client";
import type { NewOrganization, Organization, OrganizationChange } from "../api/types";
import { words } from "../shared/lists";
import { validationErrors } from "../shared/problems";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";
import type { TeamActions } from "./team";

/** An organisation as its form holds it: the domains as typed. */
export interface OrganizationDraft {
  name: string;
  domains: string;
  sharedTickets: boolean;
  notes: string;
}

type Field = "name" | "domains";

const EMPTY: OrganizationDraft = { name: "", domains: "", sharedTickets: false, notes: "" };

/** The typed domains as the API keeps them: lower case, no trailing dot, each once, sorted. */
export function domainsOf(text: string): string[] {
  return [...new Set(words(text).map((d) => d.toLowerCase().replace(/\.+$/, "")).filter(Boolean))].sort();
}

/** What a PATCH sends: only the fields the admin changed (empty when nothing did). */
export function organizationChange(before: Organization, draft: OrganizationDraft): OrganizationChange {
  const change: OrganizationChange = {};
  const name = draft.name.trim();
  const domains = domainsOf(draft.domains);
  if (name !== before.name) change.name = name;
  if (domains.join(" ") !== [...(before.domains ?? [])].sort().join(" ")) change.domains = domains;
  if (draft.sharedTickets !== (before.shared_tickets ?? false)) change.shared_tickets = draft.sharedTickets;
  if (draft.notes.trim() !== (before.notes ?? "")) change.notes = draft.notes.trim();
  return change;
}

/** The field the API's refusal names: a 422's invalid field, a 409's domains (another organisation claims one). */
export function refusedField(error: unknown): Field | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 409) {
    // `field: domains` names the domains another organisation claims; `domains` alone: a save that raced another
    const details = error.details as { field?: unknown; domains?: unknown } | null;
    return details?.field === "domains" || details?.domains ? "domains" : null;
  }
  const named = validationErrors(error.details).flatMap(({ loc }) => loc.filter((p): p is Field => p === "name" || p === "domains"));
  return named[0] ?? null;
}

// What the API does (helpdesk.tickets.service: the organisation is looked up once, when the ticket is created).
const HINT = "A ticket gets the organization claiming its requester's mail domain (the part after @, matched exactly) "
  + "when it opens. New organizations and changed domains apply to tickets opened from then on; tickets opened before "
  + "keep the organization they got, or none. A new name shows on every ticket at once.";
// What DELETE /organizations/{id} does (helpdesk.directory.service.delete_organization).
const DELETE_HINT = "Its mail domains are released: another organization may claim them, and new mail from them "
  + "belongs to none. Its tickets keep it (shown as a deleted organization).";
// What `shared_tickets` does (helpdesk.tickets.service `may_see`, `shared_with`; the CSAT rating stays the requester's).
const SHARED_LABEL = "Its people see each other's tickets in the portal";
const SHARED_HINT = "Customers whose verified address is at one of its domains see, list and answer the organization's "
  + "tickets in the portal. Only the person who opened a ticket rates it. Internal notes stay internal.";

export function TeamOrganizations({ api, organizations, admin, actions }: {
  api: ApiClient; organizations: Organization[]; admin: boolean; actions: TeamActions;
}) {
  return (
    <section class="panel" aria-labelledby="team-organizations-title">
      <h2 id="team-organizations-title">Organizations</h2>
      <p class="hint">{HINT}</p>
      {organizations.length === 0 ? <p>No organizations yet.</p> : (
        <table class="cards" data-testid="team-organizations">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Mail domains</th><th scope="col"><span class="sr-only">Tickets</span></th>{admin ? <th scope="col"><span class="sr-only">Actions</span></th> : null}</tr>
          </thead>
          <tbody>
            {organizations.map((o) => <OrganizationRow key={o.id} api={api} organization={o} admin={admin} actions={actions} />)}
          </tbody>
        </table>
      )}
      {admin ? <NewOrganizationForm api={api} actions={actions} /> : null}
    </section>
  );
}

function OrganizationRow({ api, organization: o, admin, actions }: {
  api: ApiClient; organization: Organization; admin: boolean; actions: TeamActions;
}) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false); // a delete asks once more
  const edit = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) edit.current?.focus(); // back where the admin started
    wasEditing.current = editing;
  }, [editing]);
  const save = async (draft: OrganizationDraft, onError: (error: unknown) => void) => {
    const change = organizationChange(o, draft);
    if (!Object.keys(change).length) return true;
    const what = [change.name !== undefined ? `renamed from ${o.name}` : "", change.domains ? `domains ${change.domains.join(", ") || "none"}` : "",
      change.shared_tickets === undefined ? "" : change.shared_tickets ? "its people see each other's tickets" : "tickets no longer shared",
      change.notes === undefined ? "" : "notes"];
    return actions.change(`Organization ${change.name ?? o.name} saved: ${what.filter(Boolean).join("; ")}`, () =>
      api.call("patch", "/organizations/{organization_id}", { path: { organization_id: o.id }, body: change, ifMatch: versionTag(o) }), onError);
  };
  const remove = () => {
    setConfirming(false);
    void actions.change(`Organization ${o.name} deleted: its mail domains are free`, () =>
      api.call("delete", "/organizations/{organization_id}", { path: { organization_id: o.id }, ifMatch: versionTag(o) }));
  };
  // After a 409: the lists as they are now, and this organisation's form closed so the admin sees what changed.
  const reload = () => void actions.reload().then(() => setEditing(false));
  if (editing) {
    return (
      <tr data-testid="team-organization" data-organization-id={o.id}>
        <td colSpan={4}>
          <OrganizationForm title={`Edit ${o.name}`} initial={{ name: o.name, domains: (o.domains ?? []).join(", "), sharedTickets: o.shared_tickets ?? false, notes: o.notes ?? "" }} self={o.id}
            submit="Save" busy={actions.busy} onSubmit={save} onDone={() => setEditing(false)} onReload={reload} />
        </td>
      </tr>
    );
  }
  return (
    <tr data-testid="team-organization" data-organization-id={o.id}>
      <td class="card-title">{o.name}{o.shared_tickets ? <>{" "}<span class="badge" data-testid="organization-shared"
        title={SHARED_LABEL}>shared tickets</span></> : null}
        {o.notes ? <p class="hint organization-notes" data-testid="team-organization-notes">{o.notes}</p> : null}</td>
      <td data-label="Mail domains">{(o.domains ?? []).join(", ") || "—"}</td>
      <td><a href={`#/?view=all&organization=${encodeURIComponent(o.id)}`} aria-label={`Tickets of ${o.name}`}>Tickets</a></td>
      {!admin ? null : confirming ? (
        <td role="group" aria-label={`Delete the organization ${o.name}?`}>
          <p class="hint">{DELETE_HINT}</p>
          <button type="button" class="danger" data-testid="delete-organization-confirm" disabled={actions.busy} onClick={remove}>Delete “{o.name}”</button>{" "}
          <button type="button" class="link" onClick={() => setConfirming(false)}>Keep</button>
        </td>
      ) : (
        <td>
          <button type="button" ref={edit} disabled={actions.busy} aria-label={`Edit ${o.name}`} onClick={() => setEditing(true)}>Edit</button>{" "}
          <button type="button" class="link" data-testid="delete-organization" disabled={actions.busy} aria-label={`Delete ${o.name}`}
            onClick={() => setConfirming(true)}>Delete</button>
        </td>
      )}
    </tr>
  );
}

function NewOrganizationForm({ api, actions }: { api: ApiClient; actions: TeamActions }) {
  const create = (draft: OrganizationDraft, onError: (error: unknown) => void) => {
    const body: NewOrganization = { name: draft.name.trim(), domains: domainsOf(draft.domains), shared_tickets: draft.sharedTickets,
      notes: draft.notes.trim() };
    const shared = body.shared_tickets ? "; its people see each other's tickets" : "";
    return actions.change(`Organization ${body.name} created (${body.domains?.join(", ") || "no mail domains"}${shared})`, () =>
      api.call("post", "/organizations", { body }), onError);
  };
  return <OrganizationForm title="New organization" initial={EMPTY} self={null} submit="Create organization" busy={actions.busy}
    onSubmit={create} onDone={() => undefined} testId="organization-form" />;
}

/** Name, domains and whether its people share their tickets; what was typed stays until the API takes it (then
 * `onDone`), its refusal shows by the field. An edit's save over another admin's change offers `onReload`. */
function OrganizationForm({ title, initial, self, submit, busy, onSubmit, onDone, onReload, testId }: {
  title: string; initial: OrganizationDraft; self: string | null; submit: string; busy: boolean;
  onSubmit: (draft: OrganizationDraft, onError: (error: unknown) => void) => Promise<boolean>; onDone: () => void;
  onReload?: () => void; testId?: string;
}) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const name = useRef<HTMLInputElement>(null);
  const hintId = `organization-${self ?? "new"}`;
  useEffect(() => {
    if (self) name.current?.focus(); // an edit opened in place: straight into its first field
  }, []);
  const set = (patch: Partial<OrganizationDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const field = refusedField(error);
  const problem = (f: Field | null) => (field === f ? <Alert error={error} /> : null);
  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (await onSubmit(draft, setError)) {
      setDraft(initial);
      onDone();
    }
  };
  return (
    <form class="stack" aria-label={title} data-testid={testId} onSubmit={send}>
      {self ? null : <h3>{title}</h3>}
      {problem(null)}
      {onReload ? <SavedMeanwhile error={error} what="this organization" onReload={onReload} /> : null}
      <label>Name
        <input name="organization-name" ref={name} required maxLength={200} value={draft.name} aria-invalid={field === "name" ? true : undefined}
          onInput={(e) => set({ name: e.currentTarget.value })} />
      </label>
      {problem("name")}
      <label>Mail domains (separated by commas, spaces or lines, such as example.com)
        <textarea name="organization-domains" rows={2} value={draft.domains} aria-invalid={field === "domains" ? true : undefined}
          onInput={(e) => set({ domains: e.currentTarget.value })} />
      </label>
      {problem("domains")}
      <label class="check">
        <input type="checkbox" name="organization-shared-tickets" checked={draft.sharedTickets} aria-describedby={`${hintId}-shared`}
          onChange={(e) => set({ sharedTickets: e.currentTarget.checked })} />
        {SHARED_LABEL}
      </label>
      <p class="hint" id={`${hintId}-shared`}>{SHARED_HINT}</p>
      <label>Notes (the team sees them beside its tickets; agents keep them too)
        <textarea name="organization-notes" rows={2} maxLength={5000} value={draft.notes} onInput={(e) => set({ notes: e.currentTarget.value })} />
      </label>
      <div class="reply-actions">
        <button type="submit" disabled={busy}>{submit}</button>
        {self ? <button type="button" class="link" onClick={onDone}>Cancel</button> : null}
      </div>
    </form>
  );
}
