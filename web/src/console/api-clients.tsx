// The tenant's API clients: systems that call the API on their own (a shop, a CRM) with OAuth 2.0 client
// credentials and the scopes given here, so no person's token is shared. The API has no rotation of a client's
// secret: a lost or leaked one is replaced by revoking the client and making a new one.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Clients } from "../api/schema/clients";
import { loadConfig, type WebConfig } from "../shared/auth";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";
import { SecretOnce } from "./secret-once";

type Client = Clients["schemas"]["ApiClient"];
type Issued = Clients["schemas"]["IssuedClient"];
type Scope = Clients["schemas"]["Scope"];

export interface ClientDraft {
  name: string;
  scopes: string[];
}

const EMPTY_CLIENT: ClientDraft = { name: "", scopes: [] };

/** Where a client gets its tokens: Cognito's domain in AWS (the one the console signs in with), the local
 * stack's own `/oauth2/token` otherwise (README "API clients for integrations"). */
export function tokenEndpoint(config: WebConfig, apiBase: string): string {
  const base = config.cognito?.console?.domain ?? apiBase;
  return `${base.replace(/\/+$/, "")}/oauth2/token`;
}

/** The README's token request for this client; the secret stays a variable so it is not left in a shell's history. */
export function tokenRequest(endpoint: string, clientId: string): string {
  return `TOKEN=$(curl -s -u "${clientId}:$CLIENT_SECRET" -d grant_type=client_credentials ${endpoint} | jq -r .access_token)`;
}

export function ApiClients({ api }: { api: ApiClient }) {
  const [clients, setClients] = useState<Client[] | null>(null);
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [draft, setDraft] = useState<ClientDraft>(EMPTY_CLIENT);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [endpoint, setEndpoint] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null); // a revoke asks once more
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const apiBase = api.base() || window.location.origin;
  const load = async () => setClients(await api.get("/clients"));
  useEffect(() => {
    load().catch(setError);
    api.get("/clients/scopes").then(setScopes).catch(setError);
    void loadConfig().then((config) => setEndpoint(tokenEndpoint(config, apiBase)));
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      const made = (await api.call("post", "/clients", { body: { name: draft.name.trim(), scopes: draft.scopes } })).data;
      setIssued(made);
      setNotice(`API client ${made.client.name} created`);
      setDraft(EMPTY_CLIENT);
      await load();
    } catch (err) {
      setError(err); // the form keeps what was typed
    }
  };
  const revoke = async (client: Client) => {
    setConfirming(null);
    setError(null);
    setNotice("");
    try {
      await api.call("delete", "/clients/{client_id}", { path: { client_id: client.client_id } });
      if (issued?.client.client_id === client.client_id) setIssued(null);
      setNotice(`API client ${client.name} revoked`);
      await load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="panel" data-testid="api-clients">
      <h2 id="api-clients-title">API clients</h2>
      <p class="hint">A client gets a token with its id and secret (OAuth 2.0 client credentials) and acts in this tenant with an admin's rights, limited to its scopes. Revoked, it gets no new tokens at once and its tokens stop within five minutes.</p>
      <Alert error={error} />
      <p role="status" class="notice">{notice}</p>
      {issued ? (
        <SecretOnce title={`Secret of the API client ${issued.client.name}`} label="Client secret" value={issued.client_secret} testid="client-secret"
          onDone={() => setIssued(null)}>
          <p>Client id <code data-testid="issued-client-id">{issued.client.client_id}</code>. The client asks for a token with its id and secret (HTTP Basic), then sends it as <code>Authorization: Bearer $TOKEN</code>:</p>
          <label><span>Token request (with <code>CLIENT_SECRET</code> set to the secret)</span>
            <textarea name="token-request" readOnly rows={2} spellcheck={false} value={tokenRequest(endpoint, issued.client.client_id)}
              onFocus={(e) => e.currentTarget.select()} />
          </label>
        </SecretOnce>
      ) : null}
      {clients === null ? (error ? null : <p>Loading…</p>) : clients.length === 0 ? <p>No API clients yet.</p> : (
        <table class="cards" aria-labelledby="api-clients-title">
          <thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.client_id} data-testid="api-client" data-client-id={c.client_id}>
                <td class="card-title">{c.name}</td>
                <td data-label="Client id"><code>{c.client_id}</code></td>
                <td data-testid="api-client-scopes" data-label="Scopes">{c.scopes.join(", ")}</td>
                <td data-label="Created">{when(c.created_at)} <span class="hint">by {c.created_by}</span></td>
                <td>
                  {confirming === c.client_id ? (
                    <span role="group" aria-label={`Revoke the API client ${c.name}?`}>
                      <button type="button" class="danger" data-testid="revoke-client-confirm" onClick={() => void revoke(c)}>Revoke it</button>{" "}
                      <button type="button" class="link" onClick={() => setConfirming(null)}>Keep</button>
                    </span>
                  ) : (
                    <button type="button" class="link" data-testid="revoke-client" onClick={() => setConfirming(c.client_id)}>
                      Revoke <span class="sr-only">the API client {c.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="stack" aria-labelledby="new-client-title" onSubmit={create} data-testid="client-form">
        <h3 id="new-client-title">Create an API client</h3>
        <label>Name (what it is for: shown in lists and the audit log)
          <input name="client-name" required maxLength={128} value={draft.name} onInput={(e) => { const name = e.currentTarget.value; setDraft((d) => ({ ...d, name })); }} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {scopes.map((s) => (
            <div key={s.name}>
              <label class="check">
                <input type="checkbox" name={`client-scope-${s.name}`} checked={draft.scopes.includes(s.name)}
                  onChange={(e) => {
                    // From the latest draft, not this render's: a quick type-then-tick must not drop the typing.
                    const on = e.currentTarget.checked;
                    setDraft((d) => ({ ...d, scopes: on ? [...d.scopes, s.name] : d.scopes.filter((x) => x !== s.name) }));
                  }} />
                <code>{s.name}</code> <span class="hint">{s.description}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <div class="reply-actions"><button type="submit">Create API client</button></div>
      </form>
    </div>
  );
}
