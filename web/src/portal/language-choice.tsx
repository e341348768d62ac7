// The portal's language and the customer's profile: a pick in the top bar is shown at once, kept in this browser and
// saved to the profile (the team's mails follow it); on sign-in the profile's language is shown where the customer
// picked none in this browser. The profile is only where the pick lasts beyond this browser: a customer whose profile
// cannot be read or written (no verified address: 403) keeps the portal working in the local choice.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { CustomerProfile } from "../api/types";
import { LANGUAGE_NAMES, LANGUAGES, supportedLanguage, type Lang } from "../shared/language";
import { chosenLanguage, portalLanguage, PORTAL_TEXT, rememberLanguage } from "./i18n";

/** The language saved to the customer's profile; null where it could not be (the local choice holds regardless). */
export async function saveLanguage(api: ApiClient, lang: Lang): Promise<CustomerProfile | null> {
  try {
    return (await api.call("patch", "/customers/me/profile", { body: { language: lang } })).data;
  } catch {
    // Nothing logged: the answer may name the customer, and nothing here is theirs to fix.
    return null;
  }
}

export interface LanguageChoice {
  lang: Lang;
  /** The top bar's pick: shown, kept in this browser, saved to the profile. */
  pick: (lang: Lang) => void;
  /** A language the profile page saved itself: shown and kept in this browser. */
  keep: (lang: Lang) => void;
  /** The profile as the latest pick's save left it, so a profile page open meanwhile goes on from it. */
  saved: CustomerProfile | null;
  /** Whether the customer's organisation shares its tickets, as the profile says (false until read, or where it
   * cannot be): read on sign-in, for this and the language, and again when the customer comes back to the tab. */
  organizationShares: boolean;
}

export function usePortalLanguage(api: ApiClient): LanguageChoice {
  const [lang, setLang] = useState<Lang>(portalLanguage);
  const [saved, setSaved] = useState<CustomerProfile | null>(null);
  const [organizationShares, setOrganizationShares] = useState(false);
  // Where storage is blocked, chosenLanguage() cannot tell that a pick came before the profile's answer.
  const picked = useRef(false);
  useEffect(() => {
    let live = true;
    const read = (onSignIn: boolean) => api.get("/customers/me/profile").then((profile) => {
      if (!live) return;
      setOrganizationShares(profile.organization?.shared_tickets === true);
      const theirs = supportedLanguage(profile.language);
      if (onSignIn && theirs && !picked.current && chosenLanguage() === null) setLang(theirs);
    }, () => undefined); // a 403 (no verified address yet) or a failed read: the portal stays as it is
    void read(true);
    // The team may switch the organisation's sharing on or off while the portal is open: read it again when the
    // customer comes back to the tab (one paid call per return, none while it is hidden).
    const onVisible = () => {
      if (document.visibilityState === "visible") void read(false);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      live = false;
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [api]);
  const keep = (chosen: Lang) => {
    picked.current = true;
    rememberLanguage(chosen);
    setLang(chosen);
  };
  // One save at a time, the latest pick last: two quick picks never land in the other order (nor does a pick
  // overtaken by a later one get saved at all once its turn comes).
  const saving = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef<Lang | null>(null);
  const pick = (chosen: Lang) => {
    keep(chosen);
    latest.current = chosen;
    saving.current = saving.current.then(async () => {
      if (latest.current !== chosen) return;
      const profile = await saveLanguage(api, chosen);
      if (profile) setSaved(profile);
    });
  };
  return { lang, pick, keep, saved, organizationShares };
}

export function LanguagePicker({ lang, onPick }: { lang: Lang; onPick: (lang: Lang) => void }) {
  return (
    <select aria-label={PORTAL_TEXT[lang].language} data-testid="portal-language" value={lang}
      onChange={(e) => onPick(e.currentTarget.value as Lang)}>
      {LANGUAGES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
    </select>
  );
}
