import { describe, expect, it, vi } from "vitest";
import { authorizeUrl, challengeOf, CognitoLogin, createVerifier, signOutUrl, type CognitoClient } from "../src/shared/pkce";
import { pageAuth } from "../src/shared/auth";

const client: CognitoClient = {
  domain: "https://helpdesk-1.auth.eu-west-1.amazoncognito.com",
  clientId: "console-client",
  redirectUri: "https://d111.cloudfront.net/console/",
  signOutUri: "https://d111.cloudfront.net/console/",
};

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() { return this.data.size; }
  clear() { this.data.clear(); }
  getItem(k: string) { return this.data.get(k) ?? null; }
  key(i: number) { return [...this.data.keys()][i] ?? null; }
  removeItem(k: string) { this.data.delete(k); }
  setItem(k: string, v: string) { this.data.set(k, v); }
}

function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "RS256" })}.${b64(claims)}.sig`;
}

function tokenResponse(body: Record<string, unknown>, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function place(search: string) {
  const location = { pathname: "/console/", search, hash: "#/t/1" } as Location;
  const history = { replaceState: vi.fn() } as unknown as History;
  return { location, history };
}

describe("PKCE", () => {
  it("derives the S256 challenge of RFC 7636's example verifier", async () => {
    expect(await challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const verifier = createVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createVerifier()).not.toBe(verifier);
  });

  it("builds the authorize and logout URLs of the user pool's domain", () => {
    const url = new URL(authorizeUrl(client, "st", "ch"));
    expect(url.origin + url.pathname).toBe("https://helpdesk-1.auth.eu-west-1.amazoncognito.com/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code", client_id: "console-client", redirect_uri: client.redirectUri,
      scope: "openid email profile", state: "st", code_challenge: "ch", code_challenge_method: "S256",
    });
    expect(new URL(signOutUrl(client)).searchParams.get("logout_uri")).toBe(client.signOutUri);
  });

  it("exchanges the code with the verifier, keeps tokens in memory and refreshes before expiry", async () => {
    const storage = new MemoryStorage();
    let now = 1_000_000;
    const timers: { fn: () => void; ms: number }[] = [];
    const idToken = jwt({ sub: "alice", "custom:role": "agent", "custom:tenant_id": "acme", exp: 9e9 });
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
      tokenResponse({ id_token: idToken, access_token: "at", refresh_token: "rt", expires_in: 3600 }));
    const login = new CognitoLogin(client, {
      storage, fetch: fetch as unknown as typeof globalThis.fetch, now: () => now,
      setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => undefined,
    });

    const authorize = new URL(await login.signInUrl());
    const pending = JSON.parse(storage.getItem("helpdesk.pkce.console-client")!) as { verifier: string; state: string };
    expect(authorize.searchParams.get("state")).toBe(pending.state);
    expect(authorize.searchParams.get("code_challenge")).toBe(await challengeOf(pending.verifier));

    const back = place(`?code=the-code&state=${pending.state}`);
    expect(await login.complete(back.location, back.history)).toBe(true);
    expect(back.history.replaceState).toHaveBeenCalledWith(null, "", "/console/#/t/1"); // the code leaves the address
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe("https://helpdesk-1.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(Object.fromEntries(new URLSearchParams(String(init!.body)))).toEqual({
      client_id: "console-client", grant_type: "authorization_code", code: "the-code",
      redirect_uri: client.redirectUri, code_verifier: pending.verifier,
    });
    expect(login.current()).toBe(idToken);
    expect(storage.length).toBe(0); // the verifier is used once
    expect(timers[0]!.ms).toBe(3600_000 - 60_000);

    fetch.mockResolvedValueOnce(tokenResponse({ id_token: "fresh", access_token: "at2", expires_in: 3600 }));
    now += 3540_000;
    timers[0]!.fn();
    await vi.waitFor(() => expect(login.current()).toBe("fresh"));
    expect(Object.fromEntries(new URLSearchParams(String(fetch.mock.calls[1]![1]!.body)))).toMatchObject({
      grant_type: "refresh_token", refresh_token: "rt" });

    fetch.mockResolvedValueOnce(tokenResponse({ id_token: "again", access_token: "at3", expires_in: 3600 }));
    expect(await login.refresh()).toBe(true);
    expect(new URLSearchParams(String(fetch.mock.calls[2]![1]!.body)).get("refresh_token")).toBe("rt"); // kept
    fetch.mockResolvedValueOnce(tokenResponse({ error: "invalid_grant" }, 400));
    expect(await login.refresh()).toBe(false); // revoked or expired: sign in again
    expect(login.current()).toBeNull();
  });

  it("refuses a code whose state is not this tab's, and a refused exchange", async () => {
    const storage = new MemoryStorage();
    const fetch = vi.fn(async () => tokenResponse({ error: "invalid_grant" }, 400));
    const login = new CognitoLogin(client, { storage, fetch: fetch as unknown as typeof globalThis.fetch });
    await login.signInUrl();
    const forged = place("?code=c&state=someone-elses");
    expect(await login.complete(forged.location, forged.history)).toBe(false);
    expect(fetch).not.toHaveBeenCalled();

    const url = new URL(await login.signInUrl());
    const back = place(`?code=c&state=${url.searchParams.get("state")}`);
    expect(await login.complete(back.location, back.history)).toBe(false);
    expect(login.current()).toBeNull();
    const plain = place("");
    expect(await login.complete(plain.location, plain.history)).toBe(false);
  });

  it("uses Cognito only when the published config names a client for the page", async () => {
    const assign = vi.fn();
    const location = { origin: "https://d111.cloudfront.net", assign } as unknown as Location;
    await pageAuth({ signIn: "/dev/sign-in", cognito: { console: client } }, "console", location).signIn();
    expect(String(assign.mock.calls[0]![0])).toMatch(/^https:\/\/helpdesk-1\.auth\.eu-west-1\.amazoncognito\.com\/oauth2\/authorize\?/);
    const local = { origin: "http://127.0.0.1:8000", assign: vi.fn() } as unknown as Location;
    await pageAuth({ signIn: "/dev/sign-in" }, "portal", local).signIn("expired");
    expect(String((local.assign as ReturnType<typeof vi.fn>).mock.calls[0]![0])).toMatch(/^\/dev\/sign-in\?app=portal/);
  });
});
