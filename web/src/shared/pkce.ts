// Cognito managed login for the deployed console and portal: OAuth 2.0 authorization code with PKCE
// (RFC 7636) against the user pool's domain, one app client per audience (console: agents and admins,
// portal: customers). Tokens stay in memory only (a reload signs in again, silently while Cognito's
// login session lasts); the ID token is what the API's JWT authorizer checks (its audience is the app
// client, and it carries custom:role and custom:tenant_id). It is refreshed a minute before it expires.
// The code verifier and state live in sessionStorage only between the redirect and the code exchange.

export interface CognitoClient {
  domain: string; // https://<prefix>.auth.<region>.amazoncognito.com
  clientId: string;
  redirectUri: string; // the page itself, e.g. https://d111.cloudfront.net/console/
  signOutUri: string;
  scopes?: string[];
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number; // ms since the epoch
}

type Fetch = typeof fetch;
const DEFAULT_SCOPES = ["openid", "email", "profile"];
const REFRESH_EARLY_MS = 60_000;

export function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A code verifier: 32 random bytes, base64url (43 characters, within RFC 7636's 43..128). */
export function createVerifier(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  return base64Url(random(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function authorizeUrl(client: CognitoClient, state: string, challenge: string): string {
  const url = new URL("/oauth2/authorize", client.domain);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: (client.scopes ?? DEFAULT_SCOPES).join(" "),
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

export function signOutUrl(client: CognitoClient): string {
  const url = new URL("/logout", client.domain);
  url.search = new URLSearchParams({ client_id: client.clientId, logout_uri: client.signOutUri }).toString();
  return url.toString();
}

export class TokenError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(`token endpoint answered ${status} ${code}`);
    this.name = "TokenError";
  }
}

async function tokenCall(client: CognitoClient, form: Record<string, string>, doFetch: Fetch,
                         previousRefresh: string | null, now: () => number): Promise<Tokens> {
  const response = await doFetch(new URL("/oauth2/token", client.domain).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.clientId, ...form }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.id_token !== "string" || typeof body.access_token !== "string") {
    throw new TokenError(response.status, typeof body.error === "string" ? body.error : "invalid_response");
  }
  return {
    idToken: body.id_token,
    accessToken: body.access_token,
    // A refresh grant answers without a new refresh token: keep the one we have.
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : previousRefresh,
    expiresAt: now() + Number(body.expires_in ?? 3600) * 1000,
  };
}

export function exchangeCode(client: CognitoClient, code: string, verifier: string, doFetch: Fetch = fetch,
                             now: () => number = Date.now): Promise<Tokens> {
  return tokenCall(client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri,
                             code_verifier: verifier }, doFetch, null, now);
}

export function refreshTokens(client: CognitoClient, refreshToken: string, doFetch: Fetch = fetch,
                              now: () => number = Date.now): Promise<Tokens> {
  return tokenCall(client, { grant_type: "refresh_token", refresh_token: refreshToken }, doFetch, refreshToken, now);
}

export interface PkceDeps {
  storage: Storage;
  fetch: Fetch;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

/** The sign-in of one page (console or portal) through Cognito: tokens in memory, silent refresh. */
export class CognitoLogin {
  private tokens: Tokens | null = null;
  private timer: unknown = null;
  private readonly deps: PkceDeps;

  constructor(private readonly client: CognitoClient, deps: Partial<PkceDeps> = {}) {
    this.deps = {
      storage: deps.storage ?? sessionStorage,
      fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
      now: deps.now ?? Date.now,
      setTimer: deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
    };
  }

  private get key(): string {
    return `helpdesk.pkce.${this.client.clientId}`;
  }

  /** Where to send the browser to sign in; the verifier and state wait in sessionStorage. */
  async signInUrl(): Promise<string> {
    const verifier = createVerifier();
    const state = createVerifier();
    this.deps.storage.setItem(this.key, JSON.stringify({ verifier, state }));
    return authorizeUrl(this.client, state, await challengeOf(verifier));
  }

  /** Back from the managed login with `?code=&state=`: exchange the code (once) and drop it from the
   * address. False when there is no code, the state does not match, or the exchange is refused. */
  async complete(location: Location = window.location, history: History = window.history): Promise<boolean> {
    const params = new URLSearchParams(location.search);
    const code = params.get("code");
    const state = params.get("state");
    if (!code && !params.get("error")) return false;
    for (const name of ["code", "state", "error", "error_description"]) params.delete(name);
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
    const raw = this.deps.storage.getItem(this.key);
    this.deps.storage.removeItem(this.key); // a code is exchanged once, with the verifier of this tab
    if (!code || !raw) return false;
    const pending = JSON.parse(raw) as { verifier: string; state: string };
    if (pending.state !== state) return false;
    try {
      this.accept(await exchangeCode(this.client, code, pending.verifier, this.deps.fetch, this.deps.now));
    } catch {
      return false;
    }
    return true;
  }

  current(): string | null {
    if (!this.tokens || this.tokens.expiresAt <= this.deps.now()) return null;
    return this.tokens.idToken;
  }

  /** Refresh now (the timer calls this a minute before expiry). False: sign in again. */
  async refresh(): Promise<boolean> {
    const refresh = this.tokens?.refreshToken;
    if (!refresh) return false;
    try {
      this.accept(await refreshTokens(this.client, refresh, this.deps.fetch, this.deps.now));
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  signOutUrl(): string {
    this.clear();
    return signOutUrl(this.client);
  }

  clear(): void {
    this.tokens = null;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  private accept(tokens: Tokens): void {
    this.tokens = tokens;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    const due = Math.max(0, tokens.expiresAt - this.deps.now() - REFRESH_EARLY_MS);
    this.timer = tokens.refreshToken ? this.deps.setTimer(() => void this.refresh(), due) : null;
  }
}
