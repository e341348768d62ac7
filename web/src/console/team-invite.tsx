// Invite a person to the team (admins): the API creates the account and mails the invitation. An agent may be
// limited to their groups' tickets from the start.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Group, NewUser } from "../api/types";
import { toggled } from "./directory";
import type { TeamActions } from "./team";

const EMPTY: NewUser = { email: "", name: "", role: "agent", groups: [] };

export function InviteUser({ api, groups, actions }: { api: ApiClient; groups: Group[]; actions: TeamActions }) {
  const [draft, setDraft] = useState<NewUser>(EMPTY);
  const set = (patch: Partial<NewUser>) => setDraft({ ...draft, ...patch });
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { ...draft, email: draft.email.trim(), name: draft.name.trim(),
      ticket_access: draft.role === "agent" ? draft.ticket_access : undefined }; // admins see every ticket
    if (await actions.change(`Invited ${body.email}`, () => api.call("post", "/users", { body }))) setDraft(EMPTY);
  };
  return (
    <form class="panel stack" aria-labelledby="invite-title" data-testid="invite-form" onSubmit={submit}>
      <h2 id="invite-title">Invite a person</h2>
      <label>Email <input name="invite-email" type="email" required maxLength={254} value={draft.email} onInput={(e) => set({ email: e.currentTarget.value })} /></label>
      <label>Name <input name="invite-name" required maxLength={200} value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} /></label>
      <label>Role
        <select name="invite-role" value={draft.role} onChange={(e) => set({ role: e.currentTarget.value === "admin" ? "admin" : "agent" })}>
          <option value="agent">agent</option>
          <option value="admin">admin</option>
        </select>
      </label>
      {draft.role === "agent" ? (
        <label>Sees
          <select name="invite-ticket-access" value={draft.ticket_access ?? "all"}
            onChange={(e) => set({ ticket_access: e.currentTarget.value === "groups" ? "groups" : "all" })}>
            <option value="all">every ticket</option>
            <option value="groups">their groups' tickets</option>
          </select>
        </label>
      ) : null}
      {groups.length ? (
        <fieldset>
          <legend>Groups</legend>
          {groups.map((g) => (
            <label class="check" key={g.id}>
              <input type="checkbox" name={`invite-group-${g.id}`} checked={(draft.groups ?? []).includes(g.id)}
                onChange={() => set({ groups: toggled(draft.groups ?? [], g.id) })} /> {g.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div class="reply-actions"><button type="submit" disabled={actions.busy}>Send invitation</button></div>
    </form>
  );
}
