// Sign-in for the console and the portal.
//
// Locally the stack's development sign-in page (/dev/sign-in) issues a token and comes back with it
// in the URL fragment (never sent to a server); the page keeps it for the tab (sessionStorage) and
// drops it from the address bar. In AWS, /web-config.json (written when the site is published) names
// the Cognito app clients and the pages use its managed login instead (authorization code with PKCE,
// tokens in memory, silent refresh: ./pkce.ts). An expired or rejected token sends the user back to
// sign-in, never to a blank page.

import { CognitoLogin, type CognitoClient } from "./pkce";

export interface Claims {
  sub: string;
  role: "customer" | "agent" | "admin";
  tenant: string;
  email?: string;
  name?: string;
  groups: string[];
  // "groups": an agent who sees only their groups' tickets and their own (the team directory's setting, in the
  // token as `helpdesk:ticket_access`); "all" or absent otherwise
  ticketAccess?: "all" | "groups";
  exp: number;
}

export interface WebConfig {
  signIn: string; // where to send a user without a (valid) token (local: the development sign-in page)
  signOut?: string;
  api?: string; // the HTTP API's base URL when it is not this origin (deployed: the execute-api URL)
  cognito?: Partial<Record<App, CognitoClient>>; // deployed: Cognito's managed login, one client per audience
}

export type App = "console" | "portal";

const ROLE_CLAIMS = ["custom:role", "role"];
const TENANT_CLAIMS = ["custom:tenant_id", "custom:tenant", "tenant_id", "tenant"];

export function decodeClaims(token: string): Claims | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const raw = JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
    const pick = (names: string[]) => names.map((n) => raw[n]).find((v) => typeof v === "string") as string | undefined;
    const groups = raw["cognito:groups"] ?? raw["groups"] ?? raw["custom:groups"];
    return {
      sub: String(raw.sub ?? ""),
      role: (pick(ROLE_CLAIMS) ?? "customer") as Claims["role"],
      tenant: pick(TENANT_CLAIMS) ?? "",
      email: typeof raw.email === "string" ? raw.email : undefined,
      name: typeof raw.name === "string" ? raw.name : undefined,
      groups: Array.isArray(groups) ? groups.map(String) : typeof groups === "string" ? groups.split(",") : [],
      ticketAccess: raw["helpdesk:ticket_access"] === "groups" ? "groups" : raw["helpdesk:ticket_access"] === "all" ? "all" : undefined,
      exp: Number(raw.exp ?? 0),
    };
  } catch {
    return null;
  }
}

export function isExpired(claims: Claims, nowMs = Date.now()): boolean {
  return claims.exp * 1000 <= nowMs + 5_000;
}

export class Session {
  private token: string | null = null;
  claims: Claims | null = null;

  constructor(
    private readonly app: "console" | "portal",
    private readonly storage: Storage = sessionStorage,
  ) {}

  private get key(): string {
    return `helpdesk.${this.app}.token`;
  }

  /** Takes a token from `#token=` (coming back from sign-in) or from this tab's storage. */
  load(location: Location = window.location, history: History = window.history): boolean {
    const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
    const fresh = fragment.get("token");
    if (fresh) {
      this.storage.setItem(this.key, fresh);
      fragment.delete("token");
      const rest = fragment.toString();
      history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
    }
    const token = this.storage.getItem(this.key);
    const claims = token ? decodeClaims(token) : null;
    if (!token || !claims || isExpired(claims)) {
      this.clear();
      return false;
    }
    this.token = token;
    this.claims = claims;
    return true;
  }

  current(): string | null {
    if (this.claims && isExpired(this.claims)) return null;
    return this.token;
  }

  clear(): void {
    this.token = null;
    this.claims = null;
    this.storage.removeItem(this.key);
  }
}

export async function loadConfig(): Promise<WebConfig> {
  try {
    const response = await fetch("/web-config.json", { headers: { accept: "application/json" } });
    if (response.ok) return (await response.json()) as WebConfig;
  } catch {
    /* fall through to the local default */
  }
  return { signIn: "/dev/sign-in" };
}

export function signInHref(config: WebConfig, app: "console" | "portal", reason?: string): string {
  const url = new URL(config.signIn, window.location.origin);
  url.searchParams.set("app", app);
  url.searchParams.set("return", `/${app}/`);
  if (reason) url.searchParams.set("reason", reason);
  return url.pathname + url.search;
}

/** What a page needs from sign-in, whichever way it is done. */
export interface PageAuth {
  claims: Claims | null;
  load(): Promise<boolean>;
  current(): string | null;
  signIn(reason?: string): Promise<void>;
  /** A 401 from the API: refresh silently when possible, else sign in again. */
  expired(): Promise<void>;
  signOut(): Promise<void>;
}

/** What a page does with the API's 401: an account deactivated since its token was issued is sent to sign in, told
 * why (a silent refresh would only be refused); any other 401 refreshes when it can, else signs in again. */
export function whenUnauthorized(auth: PageAuth): (error: { code: string }) => void {
  return (error) => void (error.code === "account_deactivated" ? auth.signIn("deactivated") : auth.expired());
}

export function pageAuth(config: WebConfig, app: App, location: Location = window.location): PageAuth {
  const client = config.cognito?.[app];
  const auth = client ? cognitoAuth(client, location) : developmentAuth(config, app, location);
  return keepingTheAskedPage(auth, new AskedPage(app), location);
}

/** The page a user opened before signing in (a ticket link `#/t/<id>`, an article `#/kb/<id>`), kept in this tab
 * across the sign-in round trip, which comes back to the app's root (a fixed callback address). */
export class AskedPage {
  constructor(private readonly app: App, private readonly storage: Storage = sessionStorage) {}

  private get key(): string {
    return `helpdesk.${this.app}.asked`;
  }

  remember(hash: string): void {
    if (/^#\/./.test(hash)) this.storage.setItem(this.key, hash);  // a route; not "#/", not "#token=..."
  }

  take(): string | null {
    const hash = this.storage.getItem(this.key);
    this.storage.removeItem(this.key);
    return hash;
  }
}

/** `auth` remembering the page asked for when it sends the user to sign in (not when they sign out), and going
 * back to it once signed in. */
export function keepingTheAskedPage(auth: PageAuth, asked: AskedPage, location: Pick<Location, "hash">): PageAuth {
  const { signIn, load } = auth;
  auth.signIn = async (reason) => {
    if (reason !== "signed_out") asked.remember(location.hash);
    await signIn(reason);
  };
  auth.load = async () => {
    const ok = await load();
    const hash = ok ? asked.take() : null;
    if (hash && !/^#\/./.test(location.hash)) location.hash = hash;
    return ok;
  };
  return auth;
}

function developmentAuth(config: WebConfig, app: App, location: Location): PageAuth {
  const session = new Session(app);
  const auth: PageAuth = {
    claims: null,
    load: async () => {
      const ok = session.load();
      auth.claims = session.claims;
      return ok;
    },
    current: () => session.current(),
    signIn: async (reason) => {
      session.clear();
      location.assign(signInHref(config, app, reason));
    },
    expired: () => auth.signIn("expired"),
    signOut: () => auth.signIn("signed_out"),
  };
  return auth;
}

function cognitoAuth(client: CognitoClient, location: Location): PageAuth {
  const login = new CognitoLogin(client);
  const auth: PageAuth = {
    claims: null,
    load: async () => {
      const ok = await login.complete();
      const token = login.current();
      auth.claims = ok && token ? decodeClaims(token) : null;
      return auth.claims !== null;
    },
    current: () => login.current(),
    signIn: async () => location.assign(await login.signInUrl()),
    expired: async () => {
      if (!(await login.refresh())) await auth.signIn();
    },
    signOut: async () => location.assign(login.signOutUrl()),
  };
  return auth;
}
