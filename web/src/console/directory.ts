// Pure helpers on the team directory (GET /users, GET /groups) that the assignment pickers and the
// Team screen share: who may be picked as a ticket's assignee, which field a 422 belongs to, which 409 is a
// change another admin made first.
import { ApiError, type ApiClient } from "../api/client";
import type { Group, User } from "../api/types";

/** Agents and admins: the people tickets are assigned to (customers are never staff). */
export function isStaff(user: User): boolean {
  return user.role === "agent" || user.role === "admin";
}

/** Whether a group's automatic assignment may give this person a ticket (the API's rule): active staff not away. */
export function takesTickets(user: User): boolean {
  return isStaff(user) && user.active !== false && user.away !== true;
}

export interface AssigneeChoice {
  id: string;
  label: string;
  /** Offered although the server will refuse it (the ticket's current or just-edited assignee). */
  outside: boolean;
}

/**
 * The assignee options for a ticket in `groupId`: ONLY the active staff who are members of that group
 * (the API refuses anyone else with 422 `invalid_assignment`), or all active staff when the ticket has
 * no group. The `current` assignee stays listed even when not allowed (marked `outside`), so the select
 * never hides the ticket's value; saving it then shows the server's 422 message.
 */
export function assigneeChoices(users: User[], groups: Group[], groupId: string | null, current: string | null): AssigneeChoice[] {
  const group = groupId ? groups.find((g) => g.id === groupId) : undefined;
  const members = group ? new Set(group.members ?? []) : null;
  const allowed = users
    .filter((u) => isStaff(u) && u.active !== false && (members === null || members.has(u.id)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    // away: still assignable by a person (a ticket they asked for), but the picker says so
    .map((u) => ({ id: u.id, label: u.away ? `${userLabel(u)} (away)` : userLabel(u), outside: false }));
  if (current && !allowed.some((c) => c.id === current)) {
    const known = users.find((u) => u.id === current);
    const why = !known ? "unknown" : groupId && members && !members.has(current) ? `not in ${groupId}` : "not assignable";
    allowed.push({ id: current, label: `${known ? userLabel(known) : current} (${why})`, outside: true });
  }
  return allowed;
}

/** Whether a teammate may open a ticket (the API's rule): admins and agents in no group every ticket, an agent of
 * groups their groups' tickets and the ones assigned to them. A mention mails only those. */
export function seesTicket(user: User, groups: Group[], ticket: { group?: string | null; assignee_id?: string | null }): boolean {
  // As the API decides (`Principal.limited_to`): admins and agents with access to every ticket see them all; an
  // agent limited to their groups sees those groups' tickets and the ones assigned to them (none but those when
  // in no group).
  if (user.role === "admin" || user.ticket_access !== "groups") return true;
  const mine = groups.filter((g) => (g.members ?? []).includes(user.id)).map((g) => g.id);
  return (!!ticket.group && mine.includes(ticket.group)) || ticket.assignee_id === user.id;
}

/** A person as a list or a report names them: their name, else their address. */
export function shortName(user: Pick<User, "name" | "email">): string {
  return user.name || user.email;
}

export function userLabel(user: User): string {
  return user.name && user.name !== user.email ? `${user.name} <${user.email}>` : user.email;
}

/** The `invalid_assignment` error of one field (`group` or `assignee_id`), or null. */
export function assignmentError(error: unknown, field: "group" | "assignee_id"): ApiError | null {
  if (!(error instanceof ApiError) || error.status !== 422 || error.code !== "invalid_assignment") return null;
  const details = error.details as { field?: unknown } | null;
  return details?.field === field ? error : null;
}

/** `list` with `id` added when absent, removed when present (group membership checkboxes). */
export function toggled(list: readonly string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** Every user the filters match, page after page (a tenant's team is small: a few pages at most). */
export async function allUsers(api: ApiClient, query: { role?: User["role"]; active?: boolean } = {}): Promise<User[]> {
  const users: User[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await api.get("/users", { query: { ...query, limit: 100, cursor } });
    users.push(...r.items);
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  return users;
}
