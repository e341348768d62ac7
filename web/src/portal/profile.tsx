// "Your details" (#/profile): the signed-in customer's own name, phone and language, the record the team sees on their
// customer page (GET/PATCH /customers/me/profile). The team can change it too, so a save carries the version read
// (If-Match) and one over a change made meanwhile is refused (409): the page then shows what is saved now.
import { useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient } from "../api/client";
import type { CustomerProfile, CustomerProfileChange } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES, supportedLanguage, type Lang } from "../shared/language";
import { validationErrors } from "../shared/problems";
import { ProblemAlert } from "../shared/ui";
import { useLanguage, useText, type PortalText } from "./i18n";

interface Found {
  profile: CustomerProfile;
  etag: string; // `"<version>"`, for the save's If-Match
}

interface Draft {
  name: string;
  phone: string;
  language: Lang;
}

type Field = keyof Draft;
const FIELDS: readonly Field[] = ["name", "phone", "language"];

const foundOf = (profile: CustomerProfile, etag?: string | null): Found =>
  ({ profile, etag: etag ?? `"${profile.version ?? 0}"` });

/** The form's values: the profile's, and the portal's language where the profile has none the portal writes in. */
const draftOf = (profile: CustomerProfile, lang: Lang): Draft =>
  ({ name: profile.name ?? "", phone: profile.phone ?? "", language: supportedLanguage(profile.language) ?? lang });

/** Only what the customer changed: a language the portal shows as another ("pt-BR" as pt) stays as stored. */
function changesOf(profile: CustomerProfile, draft: Draft): CustomerProfileChange {
  const change: CustomerProfileChange = {};
  const name = draft.name.trim();
  const phone = draft.phone.trim();
  if (name !== (profile.name ?? "")) change.name = name || null;
  if (phone !== (profile.phone ?? "")) change.phone = phone || null;
  if (draft.language !== supportedLanguage(profile.language)) change.language = draft.language;
  return change;
}

/** The field a 422 names, to say what is wrong there; null for any other failure (said above the form). */
export function refusedField(error: unknown): Field | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  for (const { loc } of validationErrors(error.details)) {
    const named = FIELDS.find((field) => loc.includes(field));
    if (named) return named;
  }
  return null;
}

const REFUSED: Record<Field, keyof PortalText> = { name: "nameRefused", phone: "phoneRefused", language: "languageRefused" };

function FieldProblem({ field, refused }: { field: Field; refused: Field | null }) {
  const t = useText();
  if (refused !== field) return null;
  return <p class="alert" id={`profile-${field}-problem`} data-testid={`profile-${field}-problem`}>{t[REFUSED[field]]}</p>;
}

/** Where a field's problem is said, for its input's aria-describedby. */
const describedBy = (field: Field, refused: Field | null, hint?: string) =>
  [hint, refused === field ? `profile-${field}-problem` : undefined].filter(Boolean).join(" ") || undefined;

function LanguageField({ value, refused, onChange }: { value: Lang; refused: Field | null; onChange: (lang: Lang) => void }) {
  const t = useText();
  return (
    <>
      <label>{t.language}
        <select name="profile-language" data-testid="profile-language" value={value} aria-invalid={refused === "language" || undefined}
          aria-describedby={describedBy("language", refused, "profile-language-hint")}
          onChange={(e) => onChange(supportedLanguage(e.currentTarget.value) ?? value)}>
          {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
        </select>
      </label>
      <p class="hint" id="profile-language-hint">{t.mailsInLanguage}</p>
      <FieldProblem field="language" refused={refused} />
    </>
  );
}

function DetailsForm({ draft, setDraft, refused, busy, onSave }: {
  draft: Draft;
  setDraft: (draft: Draft) => void;
  refused: Field | null;
  busy: boolean;
  onSave: () => void;
}) {
  const t = useText();
  return (
    <form class="stack" aria-labelledby="profile-title" onSubmit={(e) => { e.preventDefault(); onSave(); }}>
      <label>{t.name}
        <input name="profile-name" data-testid="profile-name" autoComplete="name" maxLength={200} value={draft.name}
          aria-invalid={refused === "name" || undefined} aria-describedby={describedBy("name", refused)}
          onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
      </label>
      <FieldProblem field="name" refused={refused} />
      <label>{t.phone}
        <input name="profile-phone" data-testid="profile-phone" type="tel" autoComplete="tel" maxLength={48} value={draft.phone}
          aria-invalid={refused === "phone" || undefined} aria-describedby={describedBy("phone", refused)}
          onInput={(e) => setDraft({ ...draft, phone: e.currentTarget.value })} />
      </label>
      <FieldProblem field="phone" refused={refused} />
      <LanguageField value={draft.language} refused={refused} onChange={(language) => setDraft({ ...draft, language })} />
      <button type="submit" data-testid="profile-save" disabled={busy}>{t.save}</button>
    </form>
  );
}

/** What the last save came to: saved, refused as made over a change meanwhile, or nothing yet. */
type Outcome = "saved" | "changed" | null;

function SaveOutcome({ outcome }: { outcome: Outcome }) {
  const t = useText();
  if (outcome === "changed") return <p class="alert" role="alert" data-testid="profile-changed">{t.detailsChanged}</p>;
  return <p role="status" data-testid="profile-saved">{outcome === "saved" ? t.detailsSaved : ""}</p>;
}

/** The profile could not be read because the signed-in address is not confirmed (403 on the first read): say why,
 * not "You do not have access to this". A profile is kept under a verified address (`/customers/me/profile`). */
function needsVerifiedAddress(error: unknown, draft: Draft | null): boolean {
  return draft === null && error instanceof ApiError && error.status === 403;
}

export function ProfilePage({ api, onLanguage, picked }: {
  api: ApiClient;
  /** The language saved here: the portal shows it and keeps it in this browser. */
  onLanguage: (lang: Lang) => void;
  /** The profile as the top bar's language picker last saved it. */
  picked: CustomerProfile | null;
}) {
  const t = useText();
  const lang = useLanguage();
  const [found, setFound] = useState<Found | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [reads, setReads] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => {
    let live = true;
    api.call("get", "/customers/me/profile").then((r) => {
      if (!live) return;
      setFound(foundOf(r.data, r.etag));
      setDraft(draftOf(r.data, lang));
    }, (e: unknown) => live && setError(e));
    return () => { live = false; };
  }, [api, reads]);
  useEffect(() => {
    // The picker's save was the only change since this page read the profile: go on from it, so that saving here
    // is not refused over the customer's own pick.
    if (!picked || !found || (picked.version ?? 0) !== (found.profile.version ?? 0) + 1) return;
    setFound(foundOf(picked));
    setDraft((shown) => shown && { ...shown, language: supportedLanguage(picked.language) ?? shown.language });
  }, [picked]);
  const save = async () => {
    if (!found || !draft) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    const change = changesOf(found.profile, draft);
    try {
      const r = await api.call("patch", "/customers/me/profile", { body: change, ifMatch: found.etag });
      setFound(foundOf(r.data, r.etag));
      setDraft(draftOf(r.data, draft.language));
      setOutcome("saved");
      if (change.language) onLanguage(draft.language);
    } catch (e) {
      if (e instanceof ApiError && e.conflict) {
        setOutcome("changed");
        setReads((n) => n + 1); // what was typed gives way to what is saved now, to check and save again
      } else {
        setError(e); // what was typed stays, to correct
      }
    } finally {
      setBusy(false);
    }
  };
  const refused = refusedField(error);
  return (
    <section aria-labelledby="profile-title" data-testid="profile">
      <p><a href="#/">{t.backToMine}</a></p>
      <h1 id="profile-title">{t.yourDetails}</h1>
      {needsVerifiedAddress(error, draft) ? <p class="notice" role="status" data-testid="profile-unverified">{t.detailsNeedVerifiedAddress}</p>
        : refused ? null : <ProblemAlert error={error} lang={lang} />}
      <SaveOutcome outcome={outcome} />
      {draft ? <DetailsForm draft={draft} setDraft={setDraft} refused={refused} busy={busy} onSave={() => void save()} />
        : error ? null : <p>{t.loading}</p>}
    </section>
  );
}
