// Mail settings (admins): the support address, the receipt of new requests, how mail is handled, inbound addresses with their
// verification step (adding an address again shows its state without a second code: the API resends only
// after a while), and the quarantine.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Mail } from "../api/schema/mail";
import { when } from "../shared/format";
import { entries } from "../shared/lists";
import { Alert, Badge } from "../shared/ui";
import { AddressGroups, fromRows, toRows, type AddressGroup } from "./mail-address-groups";
import { Quarantine } from "./mail-quarantine";
import { ReceiptTexts } from "./mail-receipts";
import { SavedMeanwhile } from "./saved-meanwhile";

type Settings = Mail["schemas"]["MailSettings"];
type Route = Mail["schemas"]["InboundRoute"];

export function MailAdmin({ api }: { api: ApiClient }) {
  return (
    <section aria-labelledby="mail-title">
      <h1 id="mail-title">Mail</h1>
      <InboundAddresses api={api} />
      <MailSettingsForm api={api} />
      <Quarantine api={api} />
    </section>
  );
}

function MailSettingsForm({ api }: { api: ApiClient }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [blocked, setBlocked] = useState<string | null>(null); // the list as typed, one entry a line
  const [etag, setEtag] = useState<string | null>(null); // the version read: a save over another admin's is 409
  const [routes, setRoutes] = useState<AddressGroup[]>([]);
  const show = (saved: Settings, tag: string | null) => {
    setSettings(saved);
    setEtag(tag);
    setBlocked(null);
    setRoutes(toRows(saved.address_groups));
  };
  const load = () => api.call("get", "/mail/settings", {}).then((r) => show(r.data, r.etag));
  useEffect(() => {
    load().catch(setError);
  }, []);
  if (!settings) return <><h2>Settings</h2><Alert error={error} />{error ? null : <p>Loading…</p>}</>;
  const set = (patch: Partial<Settings>) => setSettings({ ...settings, ...patch });
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      const blockedSenders = blocked === null ? settings.blocked_senders ?? [] : entries(blocked);
      const body = { ...settings, support_address: settings.support_address?.trim() || null, blocked_senders: blockedSenders,
        address_groups: fromRows(routes) };
      const saved = await api.call("put", "/mail/settings", { body, ifMatch: etag ?? undefined });
      show(saved.data, saved.etag);
      setNotice("Mail settings saved");
    } catch (err) {
      setError(err); // the form keeps what was typed
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  return (
    <form class="panel stack" aria-labelledby="mail-settings-title" onSubmit={save} data-testid="mail-settings">
      <h2 id="mail-settings-title">Settings</h2>
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="these settings" onReload={reload} /></p>
      <label>Support address (From of outbound mail; one of the verified inbound addresses; blank: the address the mail came to)
        <input name="support-address" type="email" value={settings.support_address ?? ""} onInput={(e) => set({ support_address: e.currentTarget.value })} />
      </label>
      <label>Sender name <input name="from-name" value={settings.from_name ?? "Support"} required maxLength={100} onInput={(e) => set({ from_name: e.currentTarget.value })} /></label>
      <label class="check"><input type="checkbox" name="acknowledge-new" checked={settings.acknowledge_new ?? true} onChange={(e) => set({ acknowledge_new: e.currentTarget.checked })} /> Answer a new request by mail with its number (mail tickets, and requests customers open in the portal)</label>
      {settings.acknowledge_new ?? true ? <ReceiptTexts value={settings.receipts ?? {}} onChange={(receipts) => set({ receipts })} /> : null}
      <label>Spam
        <select name="spam-action" value={settings.spam_action ?? "quarantine"} onChange={(e) => set({ spam_action: e.currentTarget.value === "tag" ? "tag" : "quarantine" })}>
          <option value="quarantine">hold in quarantine</option>
          <option value="tag">open the ticket, tagged spam</option>
        </select>
      </label>
      <label>Replies whose sender fails authentication
        <select name="unauthenticated-reply" value={settings.unauthenticated_reply ?? "new_ticket"} onChange={(e) => set({ unauthenticated_reply: e.currentTarget.value === "quarantine" ? "quarantine" : "new_ticket" })}>
          <option value="new_ticket">open a new ticket tagged unverified-sender</option>
          <option value="quarantine">hold in quarantine</option>
        </select>
      </label>
      <label>Mail a system generated (Auto-Submitted: auto-generated: monitoring alerts, order notices)
        <select name="system-mail" value={settings.system_mail ?? "ignore"} onChange={(e) => set({ system_mail: e.currentTarget.value === "ticket" ? "ticket" : "ignore" })}>
          <option value="ignore">ignore it (kept in the quarantine below, to let in)</option>
          <option value="ticket">open a ticket, never answered automatically</option>
        </select>
      </label>
      <label class="check"><input type="checkbox" name="reply-to-requester" checked={settings.reply_to_requester ?? true} onChange={(e) => set({ reply_to_requester: e.currentTarget.checked })} /> A new mail sent for someone else (a website’s contact form: its own address in From, the visitor’s in Reply-To) is the Reply-To person’s ticket</label>
      <label>Blocked senders (one address, or a domain with its subdomains, a line): their mail is kept in the quarantine as ignored and opens no ticket
        <textarea name="blocked-senders" rows={3} value={blocked ?? (settings.blocked_senders ?? []).join("\n")}
          onInput={(e) => setBlocked(e.currentTarget.value)} />
      </label>
      <AddressGroups api={api} rows={routes} onChange={setRoutes} />
      <div class="reply-actions"><button type="submit">Save settings</button></div>
    </form>
  );
}

function InboundAddresses({ api }: { api: ApiClient }) {
  const [routes, setRoutes] = useState<Route[]>([]);
  const [address, setAddress] = useState("");
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const remember = (r: Route) => setRoutes((all) => [r, ...all.filter((x) => x.address !== r.address)]);
  useEffect(() => {
    api.get("/mail/inbound").then((page) => setRoutes(page.items)).catch(setError);
  }, []);
  const release = async (a: string) => {
    if (!window.confirm(`Stop taking mail at ${a}? Mail sent to it afterwards opens no ticket.`)) return;
    setError(null);
    setNotice("");
    try {
      await api.call("delete", "/mail/inbound/{address}", { path: { address: a } });
      setRoutes((all) => all.filter((x) => x.address !== a));
      setNotice(`${a} no longer takes mail for this tenant`);
    } catch (err) {
      setError(err);
    }
  };
  const run = async (action: () => Promise<Route>, done: (r: Route) => string) => {
    setError(null);
    setNotice("");
    try {
      const r = await action();
      remember(r);
      setNotice(done(r));
    } catch (err) {
      setError(err);
    }
  };
  const add = (e: Event) => {
    e.preventDefault();
    const a = address.trim().toLowerCase();
    if (!a) return;
    void run(async () => (await api.call("put", "/mail/inbound/{address}", { path: { address: a } })).data, (r) => {
      setAddress("");
      return r.status === "verified" ? `${r.address} now routes to this tenant` : `A code was mailed to ${r.address}: enter it below`;
    });
  };
  const verify = (a: string) =>
    void run(async () => (await api.call("post", "/mail/inbound/{address}/verify", { path: { address: a }, body: { code: (codes[a] ?? "").trim() } })).data,
      (r) => `${r.address} is verified`);
  return (
    <div class="panel" data-testid="inbound-addresses">
      <h2>Inbound addresses</h2>
      <p class="hint">Mail sent to these addresses becomes tickets of this tenant. An address on a domain the tenant owns is routed at once; any other gets a code by mail to confirm.</p>
      <Alert error={error} />
      <p role="status" class="notice">{notice}</p>
      <form class="filters" onSubmit={add} aria-label="Add an inbound address">
        <label>Address <input name="inbound-address" type="email" required value={address} onInput={(e) => setAddress(e.currentTarget.value)} /></label>
        <button type="submit">Add or check</button>
      </form>
      {routes.length ? (
        <ul class="articles">
          {routes.map((r) => (
            <li key={r.address} data-testid="inbound-route">
              {r.address.startsWith("@") ? `every address @${r.address.slice(1)}` : r.address}{" "}
              <Badge kind={r.status === "verified" ? "sla-ok" : "sla-warning"}>{r.status === "verified" ? "verified" : "waiting for the code"}</Badge>
              {r.address.startsWith("@") ? null : ( // a registered domain is the operator's to change
                <> <button type="button" class="link" onClick={() => void release(r.address)}>{r.status === "verified" ? "Remove" : "Cancel"} <span class="sr-only">{r.address}</span></button></>
              )}
              {r.status === "pending_verification" ? (
                <form class="filters" onSubmit={(e) => { e.preventDefault(); verify(r.address); }} aria-label={`Verify ${r.address}`}>
                  <label>Code from the mail <input name="verify-code" inputMode="numeric" required size={10} value={codes[r.address] ?? ""} onInput={(e) => setCodes({ ...codes, [r.address]: e.currentTarget.value })} /></label>
                  <button type="submit">Verify</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
