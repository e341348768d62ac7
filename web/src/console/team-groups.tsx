// The Team screen's groups with their members; admins create groups, add or remove members and turn a group's
// automatic assignment on and off (its waiting unassigned tickets go to its members in turn, or to whoever has the
// fewest unsolved tickets, skipping those away) and cap it (at most N open tickets per member: the rest wait).
// A ticket's assignee must be a member of its group, so this is where assignment is made possible. A change of
// a group names the version of the group shown (a change another admin made first is 409).
import { useState } from "preact/hooks";
import { versionTag, type ApiClient } from "../api/client";
import type { Group, GroupChange, User } from "../api/types";
import { Badge } from "../shared/ui";
import { isStaff, takesTickets, toggled, userLabel } from "./directory";
import type { TeamActions } from "./team";
import { AwayBadge } from "./team-users";

export function TeamGroups({ api, groups, users, admin, actions }: {
  api: ApiClient; groups: Group[]; users: User[]; admin: boolean; actions: TeamActions;
}) {
  return (
    <section class="panel" aria-labelledby="team-groups-title">
      <h2 id="team-groups-title">Groups</h2>
      <ul class="team-groups" data-testid="team-groups">
        {groups.map((g) => <GroupMembers key={g.id} api={api} group={g} users={users} admin={admin} actions={actions} />)}
      </ul>
      {admin ? <NewGroupForm api={api} users={users} actions={actions} /> : null}
    </section>
  );
}

function GroupMembers({ api, group, users, admin, actions }: {
  api: ApiClient; group: Group; users: User[]; admin: boolean; actions: TeamActions;
}) {
  const [adding, setAdding] = useState("");
  const members = group.members ?? [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const candidates = users.filter((u) => isStaff(u) && u.active !== false && !members.includes(u.id));
  const patch = (body: GroupChange, done: string) =>
    actions.change(done, () =>
      api.call("patch", "/groups/{group_id}", { path: { group_id: group.id }, body, ifMatch: versionTag(group) }));
  const setMembers = (next: string[], done: string) => patch({ members: next }, done);
  const setAutoAssign = (auto_assign: boolean) =>
    patch({ auto_assign }, `${group.name} ${auto_assign ? "assigns new tickets automatically" : "no longer assigns tickets automatically"}`);
  const setMethod = (assignment: AssignmentMethod) =>
    patch({ assignment }, `${group.name} assigns ${METHODS[assignment]}`);
  const setCapacity = (capacity: number | null) =>
    patch({ capacity }, capacity === null ? `${group.name} gives its members tickets without a limit`
      : `${group.name} gives each member at most ${capacity} open tickets`);
  const nobodyTakes = group.auto_assign === true && !members.some((id) => byId.has(id) && takesTickets(byId.get(id) as User));
  return (
    <li data-testid="team-group" data-group-id={group.id}>
      <h3>{group.name} <span class="method">({group.id})</span>{group.auto_assign ? <>{" "}<AutoAssignBadge method={methodOf(group)} capacity={group.capacity ?? null} /></> : null}</h3>
      {group.description ? <p class="snippet">{group.description}</p> : null}
      {admin ? (
        <label class="check">
          <input type="checkbox" name={`group-auto-assign-${group.id}`} checked={group.auto_assign === true} disabled={actions.busy}
            onChange={(e) => void setAutoAssign(e.currentTarget.checked)} /> {AUTO_ASSIGN_LABEL}
        </label>
      ) : null}
      {admin && group.auto_assign ? (
        <p class="assignment">
          <MethodSelect name={`group-assignment-${group.id}`} value={methodOf(group)} disabled={actions.busy}
            onChange={(m) => void setMethod(m)} />{" "}
          {/* keyed by version: a saved or reloaded group shows its stored capacity, not what was typed */}
          <CapacityInput key={group.version} name={`group-capacity-${group.id}`} value={group.capacity ?? null}
            disabled={actions.busy} onChange={(c) => { if (c !== (group.capacity ?? null)) void setCapacity(c); }} />
        </p>
      ) : null}
      {nobodyTakes ? <p class="hint" data-testid="auto-assign-nobody">Nobody here takes tickets now (no members, or all away or disabled): new tickets wait in the queue.</p> : null}
      <ul aria-label={`Members of ${group.name}`}>
        {members.length === 0 ? <li>No members</li> : null}
        {members.map((id) => {
          const name = byId.get(id)?.name ?? id;
          return (
            <li key={id} data-testid="group-member">
              {byId.has(id) ? userLabel(byId.get(id) as User) : id}
              {byId.get(id)?.away ? <>{" "}<AwayBadge /></> : null}
              {admin ? (<>{" "}
                <button type="button" class="link" disabled={actions.busy} aria-label={`Remove ${name} from ${group.name}`}
                  onClick={() => void setMembers(members.filter((m) => m !== id), `${name} removed from ${group.name}`)}>Remove</button></>
              ) : null}
            </li>
          );
        })}
      </ul>
      {admin && candidates.length ? (
        <form class="save-view" onSubmit={(e) => {
          e.preventDefault();
          if (adding) void setMembers([...members, adding], `${byId.get(adding)?.name ?? adding} added to ${group.name}`).then(() => setAdding(""));
        }}>
          <label>Add member
            <select name={`add-member-${group.id}`} value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
              <option value="">(choose)</option>
              {candidates.map((u) => <option key={u.id} value={u.id}>{userLabel(u)}</option>)}
            </select>
          </label>
          <button type="submit" disabled={actions.busy || !adding}>Add</button>
        </form>
      ) : null}
    </li>
  );
}

function NewGroupForm({ api, users, actions }: { api: ApiClient; users: User[]; actions: TeamActions }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [members, setMembers] = useState<string[]>([]);
  const [autoAssign, setAutoAssign] = useState(false);
  const [method, setMethodChoice] = useState<AssignmentMethod>("round_robin");
  const [capacity, setCapacityChoice] = useState<number | null>(null);
  const [formKey, setFormKey] = useState(0); // a new capacity input (empty) for the next group
  const staff = users.filter((u) => isStaff(u) && u.active !== false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { name: name.trim(), description: description.trim(), members, auto_assign: autoAssign,
      assignment: method, ...(autoAssign && capacity !== null ? { capacity } : {}) };
    if (await actions.change(`Group ${body.name} created`, () => api.call("post", "/groups", { body }))) {
      setName("");
      setDescription("");
      setMembers([]);
      setAutoAssign(false);
      setMethodChoice("round_robin");
      setCapacityChoice(null);
      setFormKey((k) => k + 1);
    }
  };
  return (
    <form class="stack" aria-labelledby="new-group-title" data-testid="group-form" onSubmit={submit}>
      <h3 id="new-group-title">New group</h3>
      <label>Name <input name="group-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Description <input name="group-description" maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <fieldset>
        <legend>Members</legend>
        {staff.map((u) => (
          <label class="check" key={u.id}>
            <input type="checkbox" name={`group-member-${u.id}`} checked={members.includes(u.id)}
              onChange={() => setMembers(toggled(members, u.id))} /> {userLabel(u)}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" name="group-auto-assign" checked={autoAssign} onChange={(e) => setAutoAssign(e.currentTarget.checked)} /> {AUTO_ASSIGN_LABEL}
      </label>
      {autoAssign ? (
        <p class="assignment">
          <MethodSelect name="group-assignment" value={method} onChange={setMethodChoice} />{" "}
          <CapacityInput key={formKey} name="group-capacity" value={capacity} onChange={setCapacityChoice} />
        </p>
      ) : null}
      <div class="reply-actions"><button type="submit" disabled={actions.busy}>Create group</button></div>
    </form>
  );
}

const AUTO_ASSIGN_LABEL = "Assign new tickets automatically";

type AssignmentMethod = NonNullable<Group["assignment"]>;
/** How each method reads after "assigns ...". */
export const METHODS: Record<AssignmentMethod, string> = {
  round_robin: "to the members in turn",
  least_busy: "to whoever has the fewest open tickets",
};

const methodOf = (group: Group): AssignmentMethod => group.assignment ?? "round_robin"; // groups saved before methods

function MethodSelect({ name, value, disabled, onChange }: {
  name: string; value: AssignmentMethod; disabled?: boolean; onChange: (method: AssignmentMethod) => void;
}) {
  return (
    <label>Assign them{" "}
      <select name={name} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as AssignmentMethod)}>
        {(Object.keys(METHODS) as AssignmentMethod[]).map((m) => <option key={m} value={m}>{METHODS[m]}</option>)}
      </select>
    </label>
  );
}

export const MAX_CAPACITY = 1000; // the API's bound (Group.capacity)

/** What was typed as a capacity: null for empty (no limit), undefined for anything but a whole 1..MAX_CAPACITY. */
export function parseCapacity(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed);
  return Number.isInteger(n) && n >= 1 && n <= MAX_CAPACITY ? n : undefined;
}

/** "At most N open tickets per member" (empty: no limit); a valid value is passed on when the input is left or
 * Enter pressed, anything else is refused on the spot with the bound, and nothing is sent. */
function CapacityInput({ name, value, disabled, onChange }: {
  name: string; value: number | null; disabled?: boolean; onChange: (capacity: number | null) => void;
}) {
  const [text, setText] = useState(value === null ? "" : String(value));
  const [wrong, setWrong] = useState(false);
  const commit = (input: HTMLInputElement) => {
    // a number input reads "" for what is not a number ("1e"): that is not "no limit"
    const parsed = input.validity?.badInput ? undefined : parseCapacity(input.value);
    setWrong(parsed === undefined);
    if (parsed !== undefined) onChange(parsed);
  };
  return (
    <label>At most{" "}
      <input name={name} type="number" min={1} max={MAX_CAPACITY} step={1} size={5} placeholder="any" value={text}
        disabled={disabled} aria-invalid={wrong} title="Empty: no limit"
        onInput={(e) => setText(e.currentTarget.value)} onChange={(e) => commit(e.currentTarget)} />
      {" "}open tickets per member
      {wrong ? <span class="hint" role="alert"> (a whole number from 1 to {MAX_CAPACITY}, or empty for no limit)</span> : null}
    </label>
  );
}

/** Beside a group that gives its waiting unassigned tickets to its members automatically. */
function AutoAssignBadge({ method, capacity }: { method: AssignmentMethod; capacity: number | null }) {
  const limit = capacity === null ? "" : `, at most ${capacity} open tickets each`;
  const label = [method === "least_busy" ? "least busy" : "", capacity === null ? "" : `max ${capacity} each`]
    .filter(Boolean).join(", ");
  return <Badge kind="auto-assign" title={`New and reopened unassigned tickets go ${METHODS[method]}, skipping those away${limit}`}>
    {label ? `Auto-assign: ${label}` : "Auto-assign"}</Badge>;
}
