// The console shows the screens by the directory's record of the signed-in person (GET /users/me), which the APIs
// apply at every call, not by the token, which outlives an admin's change by up to an hour.
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { User } from "../src/api/types";
import { standingOf, useStanding } from "../src/console/standing";
import type { Claims } from "../src/shared/auth";

const REFRESH_MS = 200; // the console's is 2 minutes
const token: Claims = { sub: "alice", role: "admin", tenant: "acme", groups: [], ticketAccess: "all", exp: 0 };
const record = (role: string, groups: string[], ticket_access: string) =>
  ({ id: "alice", tenant_id: "acme", email: "alice@acme.example", name: "Alice", role, groups, ticket_access, active: true,
     created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", version: 2 }) as unknown as User;

function Shown({ api }: { api: ApiClient }) {
  const standing = useStanding(api, token, REFRESH_MS);
  return <p>{`${standing.role} ${standing.groups.join(",") || "-"} ${standing.limited ? "limited" : "every ticket"}`}</p>;
}

afterEach(() => { document.body.innerHTML = ""; });

describe("the signed-in person's standing", () => {
  it("is the token's until the directory's record says otherwise", () => {
    expect(standingOf(token, null)).toEqual({ role: "admin", groups: [], limited: false });
    expect(standingOf(token, record("agent", ["billing"], "groups"))).toEqual({ role: "agent", groups: ["billing"], limited: true });
    expect(standingOf({ ...token, role: "agent", ticketAccess: "groups", groups: ["it"] }, null))
      .toEqual({ role: "agent", groups: ["it"], limited: true });
    expect(standingOf(token, record("admin", ["billing"], "groups")).limited).toBe(false); // admins see every ticket
  });

  it("follows the directory while the console is open: demoted and limited since the token was issued", async () => {
    let mine: User | null = null;
    const asked: string[] = [];
    const fetch = (async (url: string) => {
      asked.push(new URL(url).pathname);
      return mine ? Response.json(mine)
        : Response.json({ error: { code: "not_found", message: "no such user", details: {} } }, { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const host = document.body.appendChild(document.createElement("div"));
    render(<Shown api={new ApiClient({ baseUrl: "https://api.example", fetch })} />, host);
    await vi.waitFor(() => expect(asked).toEqual(["/users/me"]));
    expect(host.textContent).toBe("admin - every ticket"); // not in the directory: the token's word

    mine = record("agent", ["billing"], "groups");
    await vi.waitFor(() => expect(host.textContent).toBe("agent billing limited"));
  });
});
