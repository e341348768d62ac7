// The Team screen: the tenant's agents and admins, its groups with their members, and the organisations its
// customers write from. Admins invite people, disable and enable them, create groups and change members, add
// organisations, change and delete them; agents see the same lists read-only (the API lets them read the
// directory, not change it). Every change names the version of the record the screen shows (If-Match): when
// another admin changed it first, the screen says so and offers to read the lists again.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group, Organization, User } from "../api/types";
import { Alert } from "../shared/ui";
import { allUsers } from "./directory";
import { SavedMeanwhile } from "./saved-meanwhile";
import { TeamGroups } from "./team-groups";
import { TeamOrganizations } from "./team-organizations";
import { MyProfile } from "./my-profile";
import { InviteUser } from "./team-invite";
import { TeamUsers } from "./team-users";

export interface TeamActions {
  /** Runs a change, then reloads the lists and says what happened; errors show on the screen, or go to `onError`
   * (a form that shows the API's refusal by the field it names). */
  change: (done: string, action: () => Promise<unknown>, onError?: (error: unknown) => void) => Promise<boolean>;
  /** Reads the lists again: after a 409 another admin's change shows, and the next change names its version. */
  reload: () => Promise<void>;
  busy: boolean;
}

export function TeamScreen({ api, admin, me }: { api: ApiClient; admin: boolean; me: string }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [organizations, setOrganizations] = useState<Organization[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);

  const load = async () => {
    // Staff only: customers are in the directory too, but are not part of the team.
    const [agents, admins, all, orgs] = await Promise.all([allUsers(api, { role: "agent" }), allUsers(api, { role: "admin" }),
      api.get("/groups"), api.get("/organizations")]);
    setUsers([...agents, ...admins].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)));
    setGroups(all);
    setOrganizations(orgs);
  };
  useEffect(() => {
    load().catch(setError);
  }, [api]);

  const change = async (done: string, action: () => Promise<unknown>, onError: (error: unknown) => void = setError) => {
    setBusy(true);
    setError(null);
    setNotice("");
    let acted = false;
    try {
      await action();
      acted = true;
      await load();
      setNotice(done);
      return true;
    } catch (e) {
      (acted ? setError : onError)(e); // a list that did not reload is the screen's problem, not the form's
      return false;
    } finally {
      setBusy(false);
    }
  };
  const reload = async () => {
    setError(null);
    setNotice("");
    await load().catch(setError);
  };
  const actions: TeamActions = { change, reload, busy };

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">Team</h1>
      {admin ? null : <p>Only admins change the team; you see it read-only.</p>}
      <Alert error={error} />
      <SavedMeanwhile error={error} what="the team" onReload={() => void reload()} />
      <p class="notice" role="status" aria-live="polite" data-testid="team-notice">{notice}</p>
      {users === null ? (error ? null : <p aria-live="polite">Loading…</p>) : (
        <>
          <MyProfile api={api} me={me} users={users} actions={actions} />
          <TeamUsers api={api} users={users} admin={admin} me={me} actions={actions} />
          {admin ? <InviteUser api={api} groups={groups} actions={actions} /> : null}
          <TeamGroups api={api} groups={groups} users={users} admin={admin} actions={actions} />
          <TeamOrganizations api={api} organizations={organizations} admin={admin} actions={actions} />
        </>
      )}
    </section>
  );
}
