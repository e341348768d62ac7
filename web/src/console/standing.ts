// Who the signed-in person is now. A token says what the team directory said when it was issued, and it lives an
// hour; the APIs apply the directory's record at every call (a demoted admin's saves are 403, a limited agent's
// lists narrow). So the console reads the record too (GET /users/me) when it opens and every few minutes while in
// sight, and shows the screens, the "My groups" view and the queue's hint by it rather than by the token.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { User } from "../api/types";
import type { Claims } from "../shared/auth";
import { useRefreshTick } from "../shared/refresh";

export const STANDING_REFRESH_MS = 2 * 60_000;

export interface Standing {
  role: Claims["role"];
  groups: string[];
  /** An agent who sees only their groups' tickets and their own. */
  limited: boolean;
}

/** The token's word, or the directory record's when there is one. */
export function standingOf(claims: Claims, user: User | null): Standing {
  const role = user ? user.role : claims.role;
  const groups = user ? user.groups ?? [] : claims.groups;
  const access = user ? user.ticket_access : claims.ticketAccess;
  return { role, groups, limited: role === "agent" && access === "groups" };
}

export function useStanding(api: ApiClient, claims: Claims, refreshMs = STANDING_REFRESH_MS): Standing {
  const [user, setUser] = useState<User | null>(null);
  const tick = useRefreshTick(refreshMs);
  useEffect(() => {
    let live = true;
    api.get("/users/{user_id}", { path: { user_id: "me" } }).then(
      (read) => { if (live) setUser(read); },
      // 404: not in the directory yet (enrolled at the next sign-in): the token's word; a 401 signs them out
      // (ApiClient); anything else keeps what was shown
      (error: unknown) => { if (live && error instanceof ApiError && error.status === 404) setUser(null); },
    );
    return () => { live = false; };
  }, [tick]);
  return standingOf(claims, user);
}
