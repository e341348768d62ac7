// Team members who follow a ticket hear of its news by mail without having it (a customer's message, a
// colleague's reply or note, the customer solving or rating it): the account manager of a big customer, a lead
// watching an escalation. An agent follows or stops with one click, or adds a colleague who may open the ticket
// (the API refuses anyone else with 422 naming `followers`); the customer never sees who follows.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { Ticket } from "../api/types";
import { Alert } from "../shared/ui";
import type { Team } from "./assignment";
import { isStaff, seesTicket, shortName } from "./directory";

export function Followers({ api, ticket, team, me, onChanged }: {
  api: ApiClient;
  ticket: Ticket;
  team: Team;
  me: string;
  onChanged: () => Promise<unknown>;
}) {
  const [colleague, setColleague] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const followers = ticket.followers ?? [];
  const following = followers.includes(me);
  // the API's rule (the directory's groups, as for mentions): its news reaches only those who may open it
  const myself = team.users.find((u) => u.id === me);
  const mayFollow = following || !myself || seesTicket(myself, team.groups, ticket);
  const name = (id: string) => {
    const user = team.users.find((u) => u.id === id);
    return user ? shortName(user) : id;
  };
  // who may be added: active staff who may open the ticket and do not follow it yet
  const candidates = team.users.filter((u) => isStaff(u) && u.active !== false && u.id !== me
    && !followers.includes(u.id) && seesTicket(u, team.groups, ticket));
  const change = async (method: "put" | "delete", userId: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.call(method, "/tickets/{ticket_id}/followers/{user_id}", { path: { ticket_id: ticket.id, user_id: userId } });
      setColleague("");
      await onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="followers-title" data-testid="followers">
      <h2 id="followers-title">Followers</h2>
      <Alert error={error} />
      <button type="button" data-testid="follow" disabled={busy || !mayFollow} aria-pressed={following}
        onClick={() => void change(following ? "delete" : "put", "me")}>
        {following ? "Unfollow" : "Follow"}
      </button>
      <p class="hint" data-testid="follow-hint">{following ? "You get this ticket's news by mail."
        : mayFollow ? "Get this ticket's news by mail without having it."
        : "It is in none of your groups: its news goes to those who work it."}</p>
      {followers.length ? (
        <ul>
          {followers.map((id) => (
            <li key={id} data-testid="follower">
              {id === me ? "You" : name(id)}
              {id !== me ? (
                <>{" "}<button type="button" class="link" disabled={busy} onClick={() => void change("delete", id)}>
                  Remove <span class="sr-only">{name(id)}</span>
                </button></>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p class="hint" data-testid="no-followers">Nobody follows it.</p>}
      {candidates.length ? (
        <form onSubmit={(e) => { e.preventDefault(); if (colleague) void change("put", colleague); }}>
          <label>Add a colleague{" "}
            <select data-testid="follower-add" value={colleague} onChange={(e) => setColleague(e.currentTarget.value)}>
              <option value="">Choose…</option>
              {candidates.map((u) => <option key={u.id} value={u.id}>{shortName(u)}</option>)}
            </select>
          </label>{" "}
          <button type="submit" disabled={busy || !colleague}>Add</button>
        </form>
      ) : null}
    </section>
  );
}
