// Organisations in the console: the requester's company on the ticket page (the organisation claiming their mail
// domain, set when the ticket opened) and the tenant's organisations for the queue's filter and the reports.
// Tickets keep the id of an organisation deleted since: it shows as deleted, never as an error.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, versionTag, type ApiClient } from "../api/client";
import type { Organization } from "../api/types";
import { NotesPanel } from "./notes-panel";

const DELETED = "deleted organization";

/** The ticket's organisation as read (with its version, for a change to its notes); "deleted" when it is gone,
 * null while loading or when it cannot be read (its id shows then). */
export type TicketOrganization = { organization: Organization; etag: string | null } | "deleted" | null;

export function useOrganization(api: ApiClient, id: string | null | undefined): [TicketOrganization, () => void] {
  const [found, setFound] = useState<TicketOrganization>(null);
  const [reads, setReads] = useState(0);
  const read = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (read.current !== id) setFound(null);  // another organisation; a reread shows the one read until it answers
    read.current = id;
    if (id) {
      api.call("get", "/organizations/{organization_id}", { path: { organization_id: id } })
        .then((r) => live && setFound({ organization: r.data, etag: r.etag }))
        .catch((e) => live && setFound(e instanceof ApiError && e.status === 404 ? "deleted" : null));
    }
    return () => {
      live = false;
    };
  }, [id, reads]);
  return [found, () => setReads((n) => n + 1)];
}

export function OrganizationName({ id, found }: { id: string; found: TicketOrganization }) {
  const name = found === "deleted" ? DELETED : found?.organization.name ?? id;
  return <span data-testid="ticket-organization" title={`Organisation (by the requester's mail domain): ${id}`}>{name}</span>;
}

/** What the team knows about the requester's company, beside its ticket; any teammate writes it. */
export function OrganizationNotes({ api, found, onSaved }: { api: ApiClient; found: TicketOrganization; onSaved: () => void }) {
  if (!found || found === "deleted") return null;
  const { organization, etag } = found;
  const save = async (notes: string) => {
    await api.call("patch", "/organizations/{organization_id}", { path: { organization_id: organization.id },
      body: { notes }, ifMatch: etag ?? versionTag(organization) });
  };
  return (
    <NotesPanel name={organization.name} notes={organization.notes ?? ""} testId="organization-notes" what="organization"
      hint="The company's plan, whom to call, what to watch for: the team sees these beside its tickets, customers never do."
      save={save} reload={onSaved} />
  );
}

/** The tenant's organisations by name; empty while loading or when they cannot be read (ids show instead). */
export function useOrganizations(api: ApiClient): Organization[] {
  const [organizations, setOrganizations] = useState<Organization[]>([]);
  useEffect(() => {
    let live = true;
    api.get("/organizations", {}).then((list) => live && setOrganizations(list)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return organizations;
}

/** An organisation's name by its id; one the list lacks was deleted since (once the list has been read). */
export function organizationLabel(organizations: Organization[], id: string): string {
  return organizations.find((o) => o.id === id)?.name ?? (organizations.length ? DELETED : id);
}

export function OrganizationFilter({ organizations, value, onChange }: {
  organizations: Organization[];
  value: string;
  onChange: (id: string) => void;
}) {
  if (organizations.length === 0 && !value) return null;
  return (
    <label>
      Organization{" "}
      <select data-testid="filter-organization" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">any</option>
        {organizations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        {/* a link or saved view naming one deleted since (or the list not read): the select still shows the filter */}
        {value && !organizations.some((o) => o.id === value)
          ? <option value={value}>{organizationLabel(organizations, value)}</option> : null}
      </select>
    </label>
  );
}
