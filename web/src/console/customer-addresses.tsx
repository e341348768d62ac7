// The other addresses a customer writes from (GET/POST/DELETE /customers/{key}/addresses): a work and a private one.
// Linked, an address's tickets are this customer's, mail from it opens tickets under them, and they see them all
// whichever address they sign in with; replies still go to the address each ticket came from. Linking shows one
// address's tickets under another customer, so only admins and agents who see every ticket do it (the API's rule).
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { AddressesLinked } from "../api/types";
import { useTrial } from "../shared/trial";
import { Alert } from "../shared/ui";

/** Requests of one change at most: a customer with thousands of tickets moves a couple of hundred per request. */
const MAX_ROUNDS = 50;

/** "3 tickets" / "1 ticket". */
const tickets = (n: number) => `${n} ticket${n === 1 ? "" : "s"}`;

/** The address of a customer key (`email:dana@example.com` → `dana@example.com`). */
export const addressOfKey = (key: string) => key.replace(/^email:/, "");

export function CustomerAddresses({ api, requesterKey, mayLink, onMoved, onBelongsTo }: {
  api: ApiClient;
  requesterKey: string;
  /** Admins and agents who see every ticket. */
  mayLink: boolean;
  /** Tickets moved to or from the customer: their list is read again. */
  onMoved: () => void;
  /** The key is an address linked to another customer: the page to show is theirs. */
  onBelongsTo: (customerKey: string) => void;
}) {
  const [addresses, setAddresses] = useState<string[] | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<unknown>(null); // reading the addresses
  // a link or an unlink: what moved, or why it failed
  const { result: notice, error: refused, busy, run } = useTrial<string>();

  useEffect(() => {
    let live = true;
    api.call("get", "/customers/{customer_key}/addresses", { path: { customer_key: requesterKey } }).then((r) => {
      if (!live) return;
      if (r.data.id && r.data.id !== requesterKey) onBelongsTo(r.data.id);
      else setAddresses(r.data.addresses ?? []);
    }, (e: unknown) => live && setError(e));
    return () => { live = false; };
  }, [requesterKey]);

  /** Sends the change until every ticket has moved (`more`); what it moved in all. */
  const untilMoved = async (send: () => Promise<AddressesLinked>) => {
    let moved = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const done = await send();
      moved += done.moved;
      setAddresses(done.customer.addresses ?? []);
      if (!done.more) break;
    }
    return moved;
  };

  const change = (work: () => Promise<string>) => run(async () => {
    const done = await work();
    onMoved();
    return done;
  });

  const add = (e: Event) => {
    e.preventDefault();
    const email = draft.trim();
    if (!email) return;
    void change(async () => {
      const moved = await untilMoved(async () => (await api.call("post", "/customers/{customer_key}/addresses", {
        path: { customer_key: requesterKey }, body: { email } })).data);
      setDraft("");
      return `${email} is theirs now: ${tickets(moved)} moved to this customer.`;
    });
  };

  const remove = (email: string) => void change(async () => {
    const moved = await untilMoved(async () => (await api.call("delete", "/customers/{customer_key}/addresses/{email}", {
      path: { customer_key: requesterKey, email } })).data);
    return `${email} is a customer of its own again: ${tickets(moved)} moved back to it.`;
  });

  return (
    <section class="panel" aria-labelledby="customer-addresses-title" data-testid="customer-addresses">
      <h2 id="customer-addresses-title">Other addresses</h2>
      {addresses === null ? null : addresses.length === 0 ? (
        <p class="hint" data-testid="customer-addresses-none">None: mail from another address of theirs is a customer of its own.</p>
      ) : (
        <ul>
          {addresses.map((address) => (
            <li key={address} data-testid="customer-address">
              {address}{" "}
              {mayLink ? (
                <button type="button" class="link" disabled={busy} data-testid="customer-address-remove"
                  aria-label={`Remove ${address}`} onClick={() => remove(address)}>Remove</button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayLink ? (
        <form onSubmit={add}>
          <label>Another address they write from{" "}
            <input type="email" required maxLength={254} value={draft} data-testid="customer-address-input"
              onInput={(e) => setDraft(e.currentTarget.value)} />
          </label>{" "}
          <button type="submit" disabled={busy || !draft.trim()} data-testid="customer-address-add">Add address</button>
          <p class="hint">Its tickets become this customer's, and they see all of them whichever address they sign in with.</p>
        </form>
      ) : (
        <p class="hint">Admins and agents who see every ticket link a customer's addresses.</p>
      )}
      {notice ? <p role="status" data-testid="customer-addresses-notice">{notice}</p> : null}
      <Alert error={error ?? refused} />
    </section>
  );
}
