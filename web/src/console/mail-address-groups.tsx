// Which group a new ticket opens in, by the address it was mailed to ("billing@" to Billing): rows of the tenant's
// inbound addresses and a group each, saved with the mail settings as `address_groups`.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group } from "../api/types";

export type AddressGroup = { address: string; group: string };

export function toRows(routes: Record<string, string> | undefined): AddressGroup[] {
  return Object.entries(routes ?? {}).map(([address, group]) => ({ address, group }));
}

/** The rows as the API takes them: addresses trimmed and lower case; a row without an address or a group is left out. */
export function fromRows(rows: AddressGroup[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.address.trim() && r.group).map((r) => [r.address.trim().toLowerCase(), r.group]));
}

export function AddressGroups({ api, rows, onChange }: { api: ApiClient; rows: AddressGroup[]; onChange: (rows: AddressGroup[]) => void }) {
  const [groups, setGroups] = useState<Group[]>([]);
  useEffect(() => {
    api.get("/groups").then(setGroups).catch(() => setGroups([])); // no groups listed: the API still checks the names
  }, [api]);
  const change = (i: number, patch: Partial<AddressGroup>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset data-testid="address-groups">
      <legend>New tickets by the address they were mailed to (one of the inbound addresses above)</legend>
      {rows.length === 0 ? <p class="hint">Every address opens tickets in no group; triage routes them.</p> : null}
      {rows.map((r, i) => (
        <div class="filters" key={i}>
          <label>Address <input type="email" name={`route-address-${i}`} value={r.address} onInput={(e) => change(i, { address: e.currentTarget.value })} /></label>
          <label>Group
            <select name={`route-group-${i}`} value={r.group} onChange={(e) => change(i, { group: e.currentTarget.value })}>
              <option value="">(choose a group)</option>
              {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
              {r.group && !groups.some((g) => g.id === r.group) ? <option value={r.group}>{r.group}</option> : null}
            </select>
          </label>
          <button type="button" class="link" onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove <span class="sr-only">{r.address}</span></button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { address: "", group: "" }])}>Add an address</button>
    </fieldset>
  );
}
