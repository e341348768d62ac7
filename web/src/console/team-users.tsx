// The Team screen's people: name, email, role, groups, active; admins disable and enable accounts.
import type { ApiClient } from "../api/client";
import type { User } from "../api/types";
import { Badge } from "../shared/ui";
import type { TeamActions } from "./team";

export function TeamUsers({ api, users, admin, me, actions }: {
  api: ApiClient; users: User[]; admin: boolean; me: string; actions: TeamActions;
}) {
  const setActive = (user: User, active: boolean) =>
    actions.change(`${user.name} ${active ? "enabled" : "disabled"}`, () =>
      api.call("patch", "/users/{user_id}", { path: { user_id: user.id }, body: { active } }));
  return (
    <section class="panel" aria-labelledby="team-users-title">
      <h2 id="team-users-title">People</h2>
      <table data-testid="team-users">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Groups</th><th scope="col">Active</th>{admin ? <th scope="col"><span class="sr-only">Actions</span></th> : null}</tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const active = u.active !== false;
            return (
              <tr key={u.id} data-testid="team-user" data-user-id={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{(u.groups ?? []).join(", ") || "—"}</td>
                <td>{active ? "yes" : <Badge kind="disabled">disabled</Badge>}</td>
                {admin ? (
                  <td>
                    {u.id === me ? null : (
                      <button type="button" disabled={actions.busy} data-testid="toggle-active"
                        aria-label={`${active ? "Disable" : "Enable"} ${u.name}`} onClick={() => void setActive(u, !active)}>
                        {active ? "Disable" : "Enable"}
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
