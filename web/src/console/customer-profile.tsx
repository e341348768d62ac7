// Who a customer is, as the team or the person set it (GET/PATCH /customers/{key}/profile): the name to call them by,
// a phone number, and the language the team's mails to them are written in (else each mail follows the words of
// their ticket). Any teammate edits it; the customer edits the same record in the portal, so a save over a change
// made meanwhile is refused (409) and offers to show theirs.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { CustomerProfile } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES, languageName } from "../shared/language";
import { Alert } from "../shared/ui";
import { savedMeanwhile } from "./saved-meanwhile";

export interface FoundProfile {
  profile: CustomerProfile;
  etag: string; // `"<version>"`, for the next save's If-Match
}

/** The customer's profile, read again on `reload`; null while it is read (or when it could not be: `error`). */
export function useCustomerProfile(api: ApiClient, requesterKey: string): {
  found: FoundProfile | null;
  error: unknown;
  reload: () => void;
} {
  const [found, setFound] = useState<FoundProfile | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    api.call("get", "/customers/{customer_key}/profile", { path: { customer_key: requesterKey } }).then(
      (r) => live && setFound({ profile: r.data, etag: r.etag ?? `"${r.data.version ?? 0}"` }),
      (e: unknown) => live && setError(e));
    return () => { live = false; };
  }, [requesterKey, reads]);
  return { found, error, reload: () => setReads((n) => n + 1) };
}

interface Draft { name: string; phone: string; language: string }

/** A phone number as a `tel:` link dials it: digits and a leading +, without the separators people write. */
const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

const draftOf = (profile: CustomerProfile): Draft =>
  ({ name: profile.name ?? "", phone: profile.phone ?? "", language: profile.language ?? "" });

/** The languages offered: the five the mails are written in, and the one stored when it is another (an import's nl). */
function LanguageOptions({ stored }: { stored: string }) {
  const known = (LANGUAGES as readonly string[]).includes(stored);
  return (
    <>
      <option value="">As their ticket is written</option>
      {LANGUAGES.map((code) => <option key={code} value={code}>{LANGUAGE_NAMES[code]}</option>)}
      {stored && !known ? <option value={stored}>{stored} (mails follow their ticket)</option> : null}
    </>
  );
}

function ProfileFacts({ profile }: { profile: CustomerProfile }) {
  if (!profile.name && !profile.phone && !profile.language) {
    return <p class="hint">Nothing set yet: the name shown is their latest ticket's, mails follow each ticket's language.</p>;
  }
  return (
    <dl class="facts" data-testid="customer-profile-facts">
      {profile.name ? <div><dt>Name</dt><dd>{profile.name}</dd></div> : null}
      {profile.phone ? <div><dt>Phone</dt><dd><a href={telHref(profile.phone)}>{profile.phone}</a></dd></div> : null}
      {profile.language ? <div><dt>Mails in</dt><dd>{languageName(profile.language)}</dd></div> : null}
    </dl>
  );
}

/** What a ticket's header says of its requester's profile: their phone (to call them) and the language the team's
 * mails to them go out in, where set; nothing while it is read or where it cannot be. */
export function RequesterProfileFacts({ api, requesterKey }: { api: ApiClient; requesterKey: string }) {
  const { found } = useCustomerProfile(api, requesterKey);
  const profile = found?.profile;
  if (!profile?.phone && !profile?.language) return null;
  return (
    <span data-testid="requester-profile">
      {profile.phone ? <> · <a href={telHref(profile.phone)}>{profile.phone}</a></> : null}
      {profile.language ? <> · mails in {languageName(profile.language)}</> : null}
    </span>
  );
}

function ProfileForm({ draft, change, stored, busy, error, onSubmit, onCancel, onShowTheirs }: {
  draft: Draft;
  change: (field: keyof Draft, value: string) => void;
  stored: string;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
  onCancel: () => void;
  onShowTheirs: () => void;
}) {
  return (
    <form class="stack" aria-label="Customer profile" onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
      {savedMeanwhile(error) ? (
        <p role="alert">Someone changed this profile meanwhile.{" "}
          <button type="button" onClick={onShowTheirs}>Show theirs</button></p>
      ) : <Alert error={error} />}
      <label>Name <input name="profile-name" maxLength={200} value={draft.name}
        onInput={(e) => change("name", e.currentTarget.value)} /></label>
      <label>Phone <input name="profile-phone" type="tel" maxLength={48} value={draft.phone} placeholder="+49 30 1234-567"
        onInput={(e) => change("phone", e.currentTarget.value)} /></label>
      <label>Language of our mails{" "}
        <select name="profile-language" value={draft.language}
          onChange={(e) => change("language", e.currentTarget.value)}>
          <LanguageOptions stored={stored} />
        </select>
      </label>
      <p class="hint">Receipts, replies, rating mails and reminders go out in this language. The customer sees and
        changes these details in the portal too.</p>
      <div class="reply-actions">
        <button type="submit" disabled={busy}>Save profile</button>
        <button type="button" class="link" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function CustomerProfilePanel({ api, requesterKey, found, error: unread, reload }: {
  api: ApiClient;
  requesterKey: string;
  found: FoundProfile | null;
  error: unknown;
  reload: () => void;
}) {
  const [draft, setDraft] = useState<Draft | null>(null); // null: not editing
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!found) return <Alert error={unread} />;
  const { profile, etag } = found;
  const save = async () => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      await api.call("patch", "/customers/{customer_key}/profile", {
        path: { customer_key: requesterKey }, ifMatch: etag,
        body: { name: draft.name.trim() || null, phone: draft.phone.trim() || null, language: draft.language || null },
      });
      setDraft(null);
      reload();
    } catch (err) {
      setError(err); // what was typed stays
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="customer-profile-title" data-testid="customer-profile">
      <h2 id="customer-profile-title">Profile</h2>
      {draft === null ? (
        <>
          <ProfileFacts profile={profile} />
          <button type="button" class="link" onClick={() => { setError(null); setDraft(draftOf(profile)); }}>Edit profile</button>
        </>
      ) : (
        <ProfileForm draft={draft} change={(field, value) => setDraft((d) => d && { ...d, [field]: value })} stored={profile.language ?? ""} busy={busy} error={error}
          onSubmit={() => void save()} onCancel={() => setDraft(null)}
          onShowTheirs={() => { setDraft(null); setError(null); reload(); }} />
      )}
    </section>
  );
}
