// The Team screen's people: name, email, role, groups, which tickets they see, active, mail about their tickets, away;
// admins make agents admins and back (not themselves: another admin does that), limit agents to their groups'
// tickets, disable and enable accounts, turn those mails on and off and mark someone away (no new tickets from a
// group's automatic assignment; theirs stay theirs).
// Each change names the version of the person shown (a change another admin made first is 409).
import { versionTag, type ApiClient } from "../api/client";
import type { TicketAccess, User, UserChange } from "../api/types";
import { relative } from "../shared/format";
import { Badge } from "../shared/ui";
import type { TeamActions } from "./team";

export function TeamUsers({ api, users, admin, me, actions }: {
  api: ApiClient; users: User[]; admin: boolean; me: string; actions: TeamActions;
}) {
  const patch = (user: User, body: UserChange, done: string) =>
    actions.change(done, () => api.call("patch", "/users/{user_id}", { path: { user_id: user.id }, body, ifMatch: versionTag(user) }));
  const setActive = (user: User, active: boolean) => patch(user, { active }, `${user.name} ${active ? "enabled" : "disabled"}`);
  const setRole = (user: User, role: "agent" | "admin") =>
    patch(user, { role }, `${user.name} is now ${role === "admin" ? "an admin" : "an agent"}`);
  const setMail = (user: User, notify_by_mail: boolean) =>
    patch(user, { notify_by_mail }, `Mail about tickets ${notify_by_mail ? "on" : "off"} for ${user.name}`);
  const setAccess = (user: User, ticket_access: TicketAccess) =>
    patch(user, { ticket_access }, `${user.name} ${ticket_access === "groups" ? "sees only their groups' tickets and their own" : "sees every ticket"}`);
  const clearBounce = (user: User) =>
    patch(user, { mail_bounced_at: null }, `The mark on ${user.name}'s address is cleared`);
  const setAway = (user: User, away: boolean) =>
    patch(user, { away }, `${user.name} ${away ? "is away: no new tickets from automatic assignment" : "is back: takes tickets in turn again"}`);
  return (
    <section class="panel" aria-labelledby="team-users-title">
      <h2 id="team-users-title">People</h2>
      <table class="cards" data-testid="team-users">
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Groups</th><th scope="col">Sees</th><th scope="col">Active</th><th scope="col">Mail about their tickets</th>{admin ? <th scope="col">Away</th> : null}{admin ? <th scope="col"><span class="sr-only">Actions</span></th> : null}</tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const active = u.active !== false;
            return (
              <tr key={u.id} data-testid="team-user" data-user-id={u.id}>
                <td class="card-title">{u.name}{u.away ? <>{" "}<AwayBadge /></> : null}</td>
                <td>{u.email}</td>
                <td data-label="Role">
                  {admin && u.id !== me && u.role !== "customer" ? (
                    <select data-testid="user-role" value={u.role} disabled={actions.busy} aria-label={`Role of ${u.name}`}
                      onChange={(e) => void setRole(u, e.currentTarget.value === "admin" ? "admin" : "agent")}>
                      <option value="agent">agent</option><option value="admin">admin</option>
                    </select>
                  ) : u.role}
                </td>
                <td data-label="Groups">{(u.groups ?? []).join(", ") || "—"}</td>
                <td data-label="Sees"><TicketAccessCell user={u} admin={admin} busy={actions.busy} onChange={(access) => void setAccess(u, access)} /></td>
                <td data-label="Active">{active ? "yes" : <Badge kind="disabled">disabled</Badge>}</td>
                <td data-label="Mail about their tickets">
                  {u.role === "customer" ? "—" : admin ? (
                    <input type="checkbox" data-testid="toggle-mail" checked={u.notify_by_mail !== false}
                      disabled={actions.busy} aria-label={`Mail ${u.name} about their tickets`}
                      onChange={(e) => void setMail(u, e.currentTarget.checked)} />
                  ) : u.notify_by_mail !== false ? "on" : "off"}
                  {u.mail_bounced_at ? (
                    <MailBounceMark user={u} admin={admin} busy={actions.busy} onClear={() => void clearBounce(u)} />
                  ) : null}
                </td>
                {admin ? (
                  <td data-label="Away">
                    {u.role === "customer" ? "—" : (
                      <input type="checkbox" data-testid="toggle-away" checked={u.away === true} disabled={actions.busy}
                        aria-label={`${u.name} is away (no new tickets from automatic assignment)`}
                        onChange={(e) => void setAway(u, e.currentTarget.checked)} />
                    )}
                  </td>
                ) : null}
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

/** Our last notification to them bounced or was marked as spam (the server's words in the title): their address may
 * be wrong. An admin clears it once it is right. */
function MailBounceMark({ user, admin, busy, onClear }: {
  user: User; admin: boolean; busy: boolean; onClear: () => void;
}) {
  return (
    <>
      {" "}<Badge kind="disabled" title={user.mail_bounce ?? undefined}>
        <span data-testid="mail-bounced">mail bounced {relative(user.mail_bounced_at)}</span>
      </Badge>
      {admin ? (
        <>{" "}<button type="button" class="link" disabled={busy} data-testid="clear-bounce"
          aria-label={`Clear the bounce mark of ${user.name}`} onClick={onClear}>Clear</button></>
      ) : null}
    </>
  );
}

/** Beside a person who takes no new tickets from automatic assignment (the Team screen's people and groups). */
export function AwayBadge() {
  return <Badge kind="away" title="Takes no new tickets from automatic assignment">away</Badge>;
}

/** Which tickets a person sees: admins every one; agents every one or only their groups' and their own (admins
 * choose; the APIs apply it within 30 seconds, signed in or not). */
function TicketAccessCell({ user, admin, busy, onChange }: {
  user: User; admin: boolean; busy: boolean; onChange: (access: TicketAccess) => void;
}) {
  if (user.role === "customer") return <>—</>;
  if (user.role === "admin") return <>every ticket</>;
  const access = user.ticket_access ?? "all";
  if (!admin) return <>{access === "groups" ? "their groups' tickets" : "every ticket"}</>;
  return (
    <select data-testid="ticket-access" value={access} disabled={busy} aria-label={`Tickets ${user.name} sees`}
      onChange={(e) => onChange(e.currentTarget.value === "groups" ? "groups" : "all")}>
      <option value="all">every ticket</option>
      <option value="groups">their groups' tickets</option>
    </select>
  );
}
