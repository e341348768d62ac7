// The requester's company on the ticket page: the organisation claiming their mail domain (set when the ticket
// opened), by name from the team directory; its id while the name loads or when it cannot be read.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";

export function OrganizationName({ api, id }: { api: ApiClient; id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    api.get("/organizations/{organization_id}", { path: { organization_id: id } })
      .then((org) => setName(org.name))
      .catch(() => setName(null));
  }, [id]);
  return <span data-testid="ticket-organization" title="Organisation (by the requester's mail domain)">{name ?? id}</span>;
}
