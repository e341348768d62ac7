// Organisations in the console: the requester's company on the ticket page (the organisation claiming their mail
// domain, set when the ticket opened) and the tenant's organisations for the queue's filter and the reports.
// Tickets keep the id of an organisation deleted since: it shows as deleted, never as an error.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { Organization } from "../api/types";

const DELETED = "deleted organization";

export function OrganizationName({ api, id }: { api: ApiClient; id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    api.get("/organizations/{organization_id}", { path: { organization_id: id } })
      .then((org) => setName(org.name))
      .catch((e) => setName(e instanceof ApiError && e.status === 404 ? DELETED : null)); // otherwise the id
  }, [id]);
  return <span data-testid="ticket-organization" title={`Organisation (by the requester's mail domain): ${id}`}>{name ?? id}</span>;
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
