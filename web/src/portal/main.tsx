// The customer portal: my tickets (and my organisation's, when it shares them) and their public history, reply,
// open a ticket, search and read the published public help-center articles, their own details, in the customer's
// language.
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { useHashRoute } from "../shared/route";
import { ApiClient } from "../api/client";
import { loadConfig, pageAuth, type PageAuth, whenUnauthorized } from "../shared/auth";
import { CsatPage, csatRoute } from "./csat";
import { HelpCenter, PublicHelpCenter, publicHelpRoute } from "./help-center";
import { PORTAL_TEXT, PortalLanguage, portalLanguage } from "./i18n";
import { LanguagePicker, usePortalLanguage } from "./language-choice";
import { ProfilePage } from "./profile";
import { MyTickets, NewTicket, PortalTicket } from "./tickets";

let auth: PageAuth;

function App({ api }: { api: ApiClient }) {
  const route = useHashRoute();
  const { lang, pick, keep, saved, organizationShares } = usePortalLanguage(api);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const claims = auth.claims;
  if (!claims) return null;
  const t = PORTAL_TEXT[lang];
  const ticket = /^\/t\/([A-Za-z0-9_-]+)/.exec(route)?.[1];
  const me = { sub: claims.sub, email: claims.email };
  return (
    <PortalLanguage.Provider value={lang}>
      <header class="topbar">
        <a class="brand" href="#/">{t.brand}</a>
        <nav aria-label={t.sections}>
          <a href="#/">{t.mine}</a>
          <a href="#/new">{t.openTicket}</a>
          <a href="#/kb">{t.helpCenter}</a>
          <a href="#/profile">{t.yourDetails}</a>
        </nav>
        <span class="who" data-testid="signed-in-as">{claims.email ?? claims.sub}</span>
        <LanguagePicker lang={lang} onPick={pick} />
        <button type="button" class="link" onClick={() => void auth.signOut()}>{t.signOut}</button>
      </header>
      <main id="main">
        {ticket ? <PortalTicket api={api} id={ticket} me={me} /> : route.startsWith("/new") ? <NewTicket api={api} /> :
          route.startsWith("/kb") ? <HelpCenter api={api} route={route} /> :
          route.startsWith("/profile") ? <ProfilePage api={api} onLanguage={keep} picked={saved} /> :
          <MyTickets api={api} me={me} shared={route.startsWith("/organization")}
            organizationShares={organizationShares} />}
      </main>
    </PortalLanguage.Provider>
  );
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const rating = csatRoute(window.location.hash);
  if (rating) { // the link mailed on resolution: no sign-in, the token in the link is the credential
    const root = document.getElementById("app");
    if (root) render(<CsatPage api={new ApiClient({ baseUrl: config.api })} token={rating.token} rating={rating.rating} lang={rating.lang} />, root);
    return;
  }
  if (publicHelpRoute(window.location.hash)) { // the public help centre, and the cited articles' pages: no sign-in
    const root = document.getElementById("app");
    const lang = portalLanguage();
    document.documentElement.lang = lang; // the page's words (its articles mark their own language)
    if (root) {
      render(
        <PortalLanguage.Provider value={lang}>
          <PublicHelpCenter api={new ApiClient({ baseUrl: config.api })} />
        </PortalLanguage.Provider>, root);
    }
    return;
  }
  auth = pageAuth(config, "portal");
  if (!(await auth.load())) {
    await auth.signIn();
    return;
  }
  const api = new ApiClient({ baseUrl: config.api, token: () => auth.current(), onUnauthorized: whenUnauthorized(auth) });
  const root = document.getElementById("app");
  if (root) render(<App api={api} />, root);
}

void start();
