// The ticket's group and assignee pickers, fed by the team directory. The server checks every
// assignment (422 `invalid_assignment` with `details.field`); its message is shown next to the field.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group, User } from "../api/types";
import { Alert } from "../shared/ui";
import { allUsers, assigneeChoices, assignmentError } from "./directory";

export interface Team {
  users: User[];
  groups: Group[];
  error: unknown;
}

/** The tenant's groups and active people (read once per ticket page). */
export function useTeam(api: ApiClient): Team {
  const [team, setTeam] = useState<Team>({ users: [], groups: [], error: null });
  useEffect(() => {
    Promise.all([allUsers(api, { active: true }), api.get("/groups")])
      .then(([users, groups]) => setTeam({ users, groups, error: null }))
      .catch((error: unknown) => setTeam((t) => ({ ...t, error })));
  }, [api]);
  return team;
}

/** The staff, deactivated ones included (a past month's timesheet or an old ticket names who has left since), and
 * the groups: read once, for names. Empty when they cannot be read: ids show instead. */
export function useStaffAndGroups(api: ApiClient): { users: User[]; groups: Group[] } {
  const [team, setTeam] = useState<{ users: User[]; groups: Group[] }>({ users: [], groups: [] });
  useEffect(() => {
    let live = true;
    Promise.all([allUsers(api, { role: "agent" }), allUsers(api, { role: "admin" }), api.get("/groups")])
      .then(([agents, admins, groups]) => live && setTeam({ users: [...agents, ...admins], groups }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);
  return team;
}

export function GroupSelect({ groups, value, error, onChange }: {
  groups: Group[]; value: string | null; error: unknown; onChange: (group: string | null) => void;
}) {
  const problem = assignmentError(error, "group");
  const known = value === null || groups.some((g) => g.id === value);
  return (
    <>
      <label>Group
        <select data-testid="prop-group" value={value ?? ""} aria-invalid={problem ? true : undefined}
          onChange={(e) => onChange(e.currentTarget.value || null)}>
          <option value="">(no group)</option>
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          {known ? null : <option value={value ?? ""}>{value} (not in the directory)</option>}
        </select>
      </label>
      {problem ? <Alert error={problem} /> : null}
    </>
  );
}

export function AssigneeSelect({ team, group, value, error, onChange }: {
  team: Team; group: string | null; value: string | null; error: unknown; onChange: (assignee: string | null) => void;
}) {
  const problem = assignmentError(error, "assignee_id");
  const choices = assigneeChoices(team.users, team.groups, group, value);
  return (
    <>
      <label>Assignee{group ? ` (members of ${group})` : ""}
        <select data-testid="prop-assignee" value={value ?? ""} aria-invalid={problem ? true : undefined}
          onChange={(e) => onChange(e.currentTarget.value || null)}>
          <option value="">(unassigned)</option>
          {choices.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
        </select>
      </label>
      {problem ? <Alert error={problem} /> : null}
    </>
  );
}
