// The Team screen: the tenant's agents and admins, and its groups with their members. Admins invite
// people, disable and enable them, create groups and change members; agents see the same lists
// read-only (the API lets them read the directory, not change it).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group, User } from "../api/types";
import { Alert } from "../shared/ui";
import { allUsers } from "./directory";
import { TeamGroups } from "./team-groups";
import { MyProfile } from "./my-profile";
import { InviteUser } from "./team-invite";
import { TeamUsers } from "./team-users";

export interface TeamActions {
  /** Runs a change, then reloads the lists and says what happened; errors show on the screen. */
  change: (done: string, action: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
}

export function TeamScreen({ api, admin, me }: { api: ApiClient; admin: boolean; me: string }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);

  const load = async () => {
    // Staff only: customers are in the directory too, but are not part of the team.
    const [agents, admins, all] = await Promise.all([allUsers(api, { role: "agent" }), allUsers(api, { role: "admin" }), api.get("/groups")]);
    setUsers([...agents, ...admins].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
    setGroups(all);
  };
  useEffect(() => {
    load().catch(setError);
  }, [api]);

  const change = async (done: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setNotice("");
    try {
      await action();
      await load();
      setNotice(done);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const actions: TeamActions = { change, busy };

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">Team</h1>
      {admin ? null : <p>Only admins change the team; you see it read-only.</p>}
      <Alert error={error} />
      <p class="notice" role="status" aria-live="polite" data-testid="team-notice">{notice}</p>
      {users === null ? (error ? null : <p aria-live="polite">Loading…</p>) : (
        <>
          <MyProfile api={api} me={me} users={users} actions={actions} />
          <TeamUsers api={api} users={users} admin={admin} me={me} actions={actions} />
          {admin ? <InviteUser api={api} groups={groups} actions={actions} /> : null}
          <TeamGroups api={api} groups={groups} users={users} admin={admin} actions={actions} />
        </>
      )}
    </section>
  );
}
