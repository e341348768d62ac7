// Signed-in visitors in the chat widget (admins): the keys the tenant's site signs its signed-in users with, so the
// chat knows them as the customers they are (no address to type, their tickets theirs in the portal). A new key's
// secret shows once, with how the site's server signs a token; two keys at most, to rotate without a gap.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Clients } from "../api/schema/clients";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";
import { CopyField } from "./copy-field";
import { SecretOnce } from "./secret-once";

type Key = Clients["schemas"]["IdentityKeyView"];
type Issued = Clients["schemas"]["IssuedIdentityKey"];

export const MAX_KEYS = 2;

/** How the site's server signs a visitor's token (Node, with the `jsonwebtoken` package), the secret left a variable. */
export function signingExample(kid: string): string {
  return `jwt.sign({ email: user.email, name: user.name }, process.env.HELPDESK_WIDGET_SECRET, `
    + `{ algorithm: "HS256", expiresIn: "1h", keyid: "${kid}" })`;
}

export function WidgetIdentityKeys({ api }: { api: ApiClient }) {
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);  // a delete asks once more
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = async () => setKeys(await api.get("/widget-identity-keys"));
  useEffect(() => {
    load().catch(setError);
  }, []);
  const act = async (what: () => Promise<string>) => {
    setError(null);
    setNotice("");
    try {
      setNotice(await what());
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const create = () => act(async () => {
    const made = (await api.call("post", "/widget-identity-keys", {})).data;
    setIssued(made);
    return `Identity key ${made.key.kid} created`;
  });
  const remove = (kid: string) => act(async () => {
    setConfirming(null);
    await api.call("delete", "/widget-identity-keys/{kid}", { path: { kid } });
    if (issued?.key.kid === kid) setIssued(null);
    return `Identity key ${kid} deleted: tokens signed with it are refused`;
  });
  return (
    <div class="panel stack" data-testid="widget-identity-keys">
      <h2>Signed-in visitors in the chat widget</h2>
      <p class="hint">
        Your site's server signs who its signed-in user is with a key from here, and the page gives the widget that token
        (<code>data-identity="…"</code> on its script tag). The chat is then that customer's: no address to type, and the tickets
        it opens are theirs in the portal. Tokens are JWTs (HS256, the key's id as <code>kid</code>) with <code>email</code>,
        an optional <code>name</code> and <code>exp</code> at most a day ahead; one that does not verify is refused and the
        widget chats anonymously.
      </p>
      <Alert error={error} />
      <p role="status" class="notice">{notice}</p>
      {keys === null ? (error ? null : <p>Loading…</p>) : keys.length === 0 ? <p>No keys: every chat is anonymous.</p> : (
        <table class="cards">
          <thead><tr><th scope="col">Key id</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.kid} data-testid="widget-identity-key">
                <td class="card-title"><code>{k.kid}</code></td>
                <td data-label="Created">{when(k.created_at)}</td>
                <td>
                  {confirming === k.kid ? (
                    <>
                      <button type="button" class="danger" onClick={() => void remove(k.kid)}>Delete key {k.kid}</button>{" "}
                      <button type="button" class="link" onClick={() => setConfirming(null)}>Keep</button>
                    </>
                  ) : (
                    <button type="button" class="link" aria-label={`Delete key ${k.kid}`} onClick={() => setConfirming(k.kid)}>Delete</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {issued ? (
        <SecretOnce title={`Secret of identity key ${issued.key.kid}`} label="Signing secret" value={issued.secret}
          testid="identity-secret" onDone={() => setIssued(null)}>
          <CopyField label="How your server signs a visitor's token (Node, jsonwebtoken)" name="identity-example"
            value={signingExample(issued.key.kid)} />
        </SecretOnce>
      ) : null}
      <div class="reply-actions">
        <button type="button" disabled={keys === null || keys.length >= MAX_KEYS} onClick={() => void create()}>Create identity key</button>
        {keys && keys.length >= MAX_KEYS ? <span class="hint"> At most {MAX_KEYS}: delete the old one once your site signs with the new.</span> : null}
      </div>
    </div>
  );
}
