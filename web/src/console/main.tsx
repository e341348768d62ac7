import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { loadConfig, pageAuth, type Claims, type PageAuth, whenUnauthorized } from "../shared/auth";
import { AfterReplyNote, forgetShownList } from "./shown-list";
import { Knowledge } from "./kb";
import { MacrosAdmin } from "./macros-admin";
import { MailAdmin } from "./mail";
import { CustomerPage, customerOfRoute, customerSearchOfRoute } from "./customer";
import { CustomerList } from "./customers";
import { NewTicket, newTicketInitial } from "./new-ticket";
import { NotificationsLink } from "./notifications-link";
import { NotificationsPage } from "./notifications";
import { Queue } from "./queue";
import { ShortcutsHelp } from "./shortcuts";
import { AiSettings } from "./ai-settings";
import { ImportScreen } from "./imports";
import { Integrations } from "./integrations";
import { AuditLog } from "./audit-log";
import { PrivacyRequests } from "./privacy";
import { ReportsPage } from "./reports-page";
import { SlaSettings } from "./sla";
import { TeamScreen } from "./team";
import { TicketPage } from "./ticket";
import { forgetAllDrafts } from "./reply-drafts";
import { TicketFieldsAdmin } from "./ticket-fields-admin";
import { TriggersScreen } from "./triggers";
import { useHashRoute } from "../shared/route";
import { useStanding } from "./standing";

let auth: PageAuth;

function App({ api, signedIn }: { api: ApiClient; signedIn: Claims }) {
  const route = useHashRoute();
  const claims = auth.claims ?? signedIn;  // a refreshed token's, once there is one
  const standing = useStanding(api, claims);
  const ticket = /^\/t\/([A-Za-z0-9_-]+)/.exec(route);
  const customer = customerOfRoute(route); // `#/customers/<key>`: one customer's page
  const customerSearch = customerSearchOfRoute(route); // `#/customers` or `#/customers?q=…`: the list
  const section = customer !== null || customerSearch !== null ? "customers" : route.startsWith("/integrations") ? "integrations" : route.startsWith("/kb") ? "kb" : route.startsWith("/macros") ? "macros" : route.startsWith("/reports") ? "reports" : route.startsWith("/sla") ? "sla" : route.startsWith("/mail") ? "mail" : route.startsWith("/team") ? "team" : route.startsWith("/ai") ? "ai" : route.startsWith("/privacy") ? "privacy" : route.startsWith("/fields") ? "fields" : route.startsWith("/triggers") ? "triggers" : route.startsWith("/import") ? "import" : route.startsWith("/notifications") ? "notifications" : "queue";
  const admin = standing.role === "admin";
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">Helpdesk console</a>
        <nav aria-label="Sections">
          <a href="#/" aria-current={section === "queue" ? "page" : undefined}>Tickets</a>
          <a href="#/customers" aria-current={section === "customers" ? "page" : undefined}>Customers</a>
          <a href="#/kb" aria-current={section === "kb" ? "page" : undefined}>Knowledge base</a>
          <a href="#/macros" aria-current={section === "macros" ? "page" : undefined}>Macros</a>
          <a href="#/reports" aria-current={section === "reports" ? "page" : undefined}>Reports</a>
          {admin ? <a href="#/sla" aria-current={section === "sla" ? "page" : undefined}>SLA</a> : null}
          {admin ? <a href="#/mail" aria-current={section === "mail" ? "page" : undefined}>Mail</a> : null}
          {admin ? <a href="#/fields" aria-current={section === "fields" ? "page" : undefined}>Ticket fields</a> : null}
          {admin ? <a href="#/triggers" aria-current={section === "triggers" ? "page" : undefined}>Triggers</a> : null}
          {admin ? <a href="#/ai" aria-current={section === "ai" ? "page" : undefined}>AI</a> : null}
          {admin ? <a href="#/integrations" aria-current={section === "integrations" ? "page" : undefined}>Integrations</a> : null}
          {admin ? <a href="#/privacy" aria-current={section === "privacy" ? "page" : undefined}>Privacy</a> : null}
          {admin ? <a href="#/import" aria-current={section === "import" ? "page" : undefined}>Import</a> : null}
          <a href="#/team" aria-current={section === "team" ? "page" : undefined}>Team</a>
        </nav>
        <NotificationsLink api={api} route={route} />
        <ShortcutsHelp />
        <span class="who" data-testid="signed-in-as">
          {claims.name ?? claims.email ?? claims.sub} · {standing.role} · {claims.tenant}
        </span>
        <button type="button" class="link" onClick={() => { forgetAllDrafts(sessionStorage); forgetShownList(sessionStorage); void auth.signOut(); }}>
          Sign out
        </button>
      </header>
      <main id="main">
        <AfterReplyNote route={route} />
        {ticket ? (
          // Keyed by the ticket: another ticket is a new page, so no unsaved edit, reply or conflict of the last one
          // carries over (an "Assign to me" left unsaved showed on, and would have been saved to, the next ticket).
          <TicketPage key={ticket[1] ?? ""} api={api} id={ticket[1] ?? ""} me={claims.sub} />
        ) : customer !== null ? (
          <CustomerPage key={customer} api={api} requesterKey={customer} mayLink={!standing.limited} />
        ) : customerSearch !== null ? (
          <CustomerList api={api} route={route} />
        ) : route === "/new" || route.startsWith("/new?") ? (
          <NewTicket api={api} me={claims.sub} initial={newTicketInitial(route)} />
        ) : section === "notifications" ? (
          <NotificationsPage api={api} />
        ) : section === "kb" ? (
          <Knowledge api={api} route={route} tenant={claims.tenant} admin={admin} />
        ) : section === "macros" ? (
          <MacrosAdmin api={api} admin={admin} groups={standing.groups} />
        ) : section === "mail" ? (
          <MailAdmin api={api} />
        ) : section === "team" ? (
          <TeamScreen api={api} admin={admin} me={claims.sub} />
        ) : section === "ai" && admin ? (
          <AiSettings api={api} tenant={claims.tenant} />
        ) : section === "triggers" ? (
          // agents have no link here: one who opens it reads the triggers without changing them
          <TriggersScreen api={api} admin={admin} />
        ) : section === "fields" && admin ? (
          <TicketFieldsAdmin api={api} />
        ) : section === "import" && admin ? (
          <ImportScreen api={api} />
        ) : section === "integrations" && admin ? (
          <Integrations api={api} />
        ) : section === "privacy" && admin ? (
          <section aria-labelledby="privacy-title">
            <h1 id="privacy-title">Privacy and audit</h1>
            <PrivacyRequests api={api} />
            <AuditLog api={api} />
          </section>
        ) : section === "sla" ? (
          <SlaSettings api={api} admin={admin} />
        ) : section === "reports" ? (
          <ReportsPage api={api} route={route} />
        ) : (
          <Queue api={api} me={claims.sub} groups={standing.groups} route={route} limited={standing.limited} />
        )}
      </main>
    </>
  );
}

async function start(): Promise<void> {
  const config = await loadConfig();
  auth = pageAuth(config, "console");
  if (!(await auth.load())) {
    await auth.signIn();
    return;
  }
  if (auth.claims?.role === "customer") {
    window.location.assign("/portal/");
    return;
  }
  const api = new ApiClient({ baseUrl: config.api, token: () => auth.current(), onUnauthorized: whenUnauthorized(auth) });
  const root = document.getElementById("app");
  const claims = auth.claims;
  if (root && claims) render(<App api={api} signedIn={claims} />, root);
}

void start();
