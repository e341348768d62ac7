import { describe, expect, it } from "vitest";
import { AskedPage, decodeClaims, isExpired, keepingTheAskedPage, Session, whenUnauthorized, type PageAuth } from "../src/shared/auth";

function token(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "HS256" })}.${b64(claims)}.sig`;
}

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() { return this.data.size; }
  clear() { this.data.clear(); }
  getItem(k: string) { return this.data.get(k) ?? null; }
  key(i: number) { return [...this.data.keys()][i] ?? null; }
  removeItem(k: string) { this.data.delete(k); }
  setItem(k: string, v: string) { this.data.set(k, v); }
}

describe("auth", () => {
  const future = Math.floor(Date.now() / 1000) + 3600;

  it("reads our claims and Cognito's custom ones", () => {
    expect(decodeClaims(token({ sub: "alice", "custom:role": "agent", "custom:tenant_id": "acme", groups: ["billing"], exp: future })))
      .toMatchObject({ sub: "alice", role: "agent", tenant: "acme", groups: ["billing"] });
    expect(decodeClaims(token({ sub: "bo", "cognito:groups": ["billing"], "helpdesk:ticket_access": "groups", exp: future }))!
      .ticketAccess).toBe("groups"); // the directory's setting, as the pre token trigger writes it
    expect(decodeClaims(token({ sub: "bo", exp: future }))!.ticketAccess).toBeUndefined();
    expect(decodeClaims("not-a-token")).toBeNull();
  });

  it("treats a token about to expire as expired", () => {
    const claims = decodeClaims(token({ sub: "a", exp: Math.floor(Date.now() / 1000) + 2 }))!;
    expect(isExpired(claims)).toBe(true);
  });

  it("takes the token from the fragment, keeps it for the tab and clears the address", () => {
    const t = token({ sub: "alice", "custom:role": "agent", "custom:tenant_id": "acme", exp: future });
    const storage = new MemoryStorage();
    const replaced: string[] = [];
    const location = { hash: `#token=${t}`, pathname: "/console/", search: "" } as Location;
    const history = { replaceState: (_: unknown, __: string, url: string) => replaced.push(url) } as unknown as History;
    const session = new Session("console", storage);
    expect(session.load(location, history)).toBe(true);
    expect(session.current()).toBe(t);
    expect(replaced).toEqual(["/console/"]);
    const again = new Session("console", storage);
    expect(again.load({ hash: "", pathname: "/console/", search: "" } as Location, history)).toBe(true);
  });

  it("refuses an expired stored token", () => {
    const storage = new MemoryStorage();
    storage.setItem("helpdesk.console.token", token({ sub: "a", exp: 1 }));
    const session = new Session("console", storage);
    expect(session.load({ hash: "", pathname: "/console/", search: "" } as Location, {} as History)).toBe(false);
    expect(storage.getItem("helpdesk.console.token")).toBeNull();
  });

  it("goes back to the page asked for once signed in, not after signing out", async () => {
    const storage = new MemoryStorage();
    const location = { hash: "#/t/T42" };
    let signedIn = false;
    const inner: PageAuth = {
      claims: null, current: () => null, expired: async () => {}, signOut: async () => {},
      load: async () => signedIn,
      signIn: async () => { location.hash = ""; },  // the round trip comes back to the root
    };
    const auth = keepingTheAskedPage(inner, new AskedPage("console", storage), location as Location);
    expect(await auth.load()).toBe(false);
    await auth.signIn();
    signedIn = true;
    expect(await auth.load()).toBe(true);
    expect(location.hash).toBe("#/t/T42");
    expect(storage.length).toBe(0);  // taken once

    location.hash = "#/kb/a1";
    await auth.signIn("signed_out");
    location.hash = "";
    await auth.load();
    expect(location.hash).toBe("");  // someone else may sign in next
    location.hash = "#/kb/a1";
    await auth.signIn("expired");
    location.hash = "#/t/other";  // a page asked for in the address wins
    await auth.load();
    expect(location.hash).toBe("#/t/other");
  });
});

describe("a 401 from the API", () => {
  it("sends a deactivated account to sign in, saying why, and refreshes any other", () => {
    const done: string[] = [];
    const auth = {
      signIn: async (reason?: string) => { done.push(`sign in: ${reason ?? ""}`); },
      expired: async () => { done.push("expired"); },
    } as unknown as PageAuth;
    whenUnauthorized(auth)({ code: "account_deactivated" });
    whenUnauthorized(auth)({ code: "unauthorized" });
    expect(done).toEqual(["sign in: deactivated", "expired"]);
  });
});
