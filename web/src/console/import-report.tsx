// What an import did (its report, the whole of it once it ended; "so far" while it runs): the tickets and what came
// with them, the agents and groups the team directory lacks (their tickets came over unassigned, in no group: the
// admin adds them, then reassigns), each part's counts with what was not brought over and why, and the problems
// met on the way (folded when there are many).
import type { ComponentChildren } from "preact";
import type { ArticleImportReport, ImportReport, ItemImportReport } from "../api/types";

const PROBLEMS_OPEN = 5; // more than this many problems are folded under their count

// The parts a report may hold, in the order they run, as the admin knows them.
const PART_NAMES: [keyof ImportReport & ("macros" | "views" | "rules" | "triggers" | "automations" | "calendars" | "sla_policies"), string][] = [
  ["macros", "Macros"], ["views", "Views"], ["rules", "Routing rules (triggers on new tickets)"], ["triggers", "Triggers"],
  ["automations", "Automations (time-based rules)"], ["calendars", "Business-hours calendars"], ["sla_policies", "SLA policies"],
];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `{name: count}` as "Zed Former (2 tickets)", most tickets first. */
export function countedNames(counts: Record<string, number> | undefined): string[] {
  return Object.entries(counts ?? {}).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([name, n]) => `${name} (${plural(n, "ticket")})`);
}

export function ImportReportView({ report, label }: { report: ImportReport; label: string }) {
  const n = (value: number | undefined) => value ?? 0;
  return (
    <section class="import-report" aria-label={label} data-testid="import-report">
      {report.dry_run ? <p class="notice" data-testid="import-dry-run-note"><strong>Dry run:</strong> nothing was written; this is what an import would do.</p> : null}
      <dl class="figures" data-testid="import-figures">
        <Figure name="Tickets imported" testid="import-tickets-imported">{n(report.tickets_imported)}</Figure>
        <Figure name="Already here (an earlier import)">{n(report.already_imported)}</Figure>
        {report.tickets_completed ? <Figure name="Given their agent or group now">{n(report.tickets_completed)}</Figure> : null}
        <Figure name="Tickets failed">{n(report.tickets_failed)}{report.tickets_failed ? <span class="hint"> (named under Problems)</span> : null}</Figure>
        <Figure name="Deleted there (skipped)">{n(report.deleted_skipped)}</Figure>
        <Figure name="Messages">{n(report.messages)}</Figure>
        <Figure name="Files">{n(report.attachments_imported)} imported{report.attachments_left ? `, ${report.attachments_left} left there (each message names its own)` : ""}</Figure>
        <Figure name="Organizations">{n(report.organizations_created)} created, {n(report.organizations_matched)} found here</Figure>
        {report.customer_notes ? <Figure name="Notes on customers">{report.customer_notes} (on their pages)</Figure> : null}
        {report.customer_profiles ? <Figure name="Customers' phones and languages">{report.customer_profiles} (on their profiles)</Figure> : null}
        {report.customer_addresses ? <Figure name="Customers' other addresses">{report.customer_addresses} linked to them</Figure> : null}
        {report.time_entries ? <Figure name="Time entries">{report.time_entries}</Figure> : null}
        {report.fields_created?.length ? <Figure name="Ticket fields created">{report.fields_created.join(", ")}</Figure> : null}
        {report.forms_created?.length ? <Figure name="Request forms created">{report.forms_created.join(", ")}</Figure> : null}
        {report.field_values_dropped ? <Figure name="Field values left out">{report.field_values_dropped} (named under Problems)</Figure> : null}
      </dl>
      <NotInDirectory agents={report.agents_not_in_directory} groups={report.groups_not_in_directory} />
      {Object.keys(report.fields_skipped ?? {}).length ? (
        <Reasons title="Ticket fields not brought over" reasons={report.fields_skipped ?? {}} />
      ) : null}
      <PartsTable report={report} />
      {report.articles ? <ArticlesDone articles={report.articles} /> : null}
      <Problems problems={report.problems ?? []} />
    </section>
  );
}

function Figure({ name, testid, children }: { name: string; testid?: string; children: ComponentChildren }) {
  return <><dt>{name}</dt><dd data-testid={testid}>{children}</dd></>;
}

/** The old helpdesk's agents and groups with no counterpart here: what the admin adds on Team. */
function NotInDirectory({ agents, groups }: { agents: Record<string, number> | undefined; groups: Record<string, number> | undefined }) {
  const people = countedNames(agents);
  const teams = countedNames(groups);
  if (!people.length && !teams.length) return null;
  return (
    <div class="import-missing" data-testid="import-not-in-directory">
      <h3>Not in your team directory</h3>
      <p class="hint">Their tickets came over unassigned or in no group. Add them on <a href="#/team">Team</a> (people with
        the email address they had there, groups with the same name), then import again: those tickets get them, where
        nobody here assigned them meanwhile.</p>
      {people.length ? <p data-testid="import-agents-missing"><strong>People:</strong> {people.join("; ")}</p> : null}
      {teams.length ? <p data-testid="import-groups-missing"><strong>Groups:</strong> {teams.join("; ")}</p> : null}
    </div>
  );
}

function PartsTable({ report }: { report: ImportReport }) {
  const parts = PART_NAMES.flatMap(([key, name]) => {
    const part = report[key] as ItemImportReport | null | undefined;
    return part ? [{ key, name, part }] : [];
  });
  if (!parts.length) return null;
  return (
    <table class="cards import-parts" data-testid="import-parts-report" tabIndex={0}>
      <caption>Macros, views, rules and SLA</caption>
      <thead><tr><th scope="col">Part</th><th scope="col">Created</th><th scope="col">Already here</th><th scope="col">Not brought over</th><th scope="col">Notes</th></tr></thead>
      <tbody>
        {parts.map(({ key, name, part }) => {
          const skipped = Object.keys(part.skipped ?? {}).length;
          const changed = Object.entries(part.changed ?? {});
          return (
            <tr key={key} data-testid="import-part" data-part={key}>
              <th scope="row">{name}</th>
              <td data-label="Created">{part.created ?? 0}</td>
              <td data-label="Already here">{part.already_imported ?? 0}</td>
              <td data-label="Not brought over">
                {skipped ? <Folded summary={String(skipped)} items={Object.entries(part.skipped ?? {}).map(([title, why]) => `${title}: ${why}`)} /> : 0}
              </td>
              <td>
                {part.notes?.length ? <ul class="plain">{part.notes.map((note) => <li key={note}>{note}</li>)}</ul> : null}
                {changed.length ? (
                  <Folded summary={`${plural(changed.length, "works", "work")} differently here`}
                    items={changed.map(([title, how]) => `${title}: ${how.join("; ")}`)} />
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ArticlesDone({ articles }: { articles: ArticleImportReport }) {
  const outcomes = Object.entries(articles.outcomes ?? {}).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${outcome}`);
  return (
    <div data-testid="import-articles-report">
      <h3>Help centre articles</h3>
      <p>{outcomes.length ? outcomes.join(", ") : "none"}; {plural(articles.pictures_imported ?? 0, "picture")} now served from here.</p>
      {articles.skipped?.length ? <Folded summary={`${articles.skipped.length} not brought over`} items={articles.skipped} /> : null}
      {articles.pictures_left?.length ? (
        <Folded summary={`${plural(articles.pictures_left.length, "picture")} still at the old address`} items={articles.pictures_left} />
      ) : null}
    </div>
  );
}

function Reasons({ title, reasons }: { title: string; reasons: Record<string, string> }) {
  return (
    <div>
      <h3>{title}</h3>
      <ul class="plain">{Object.entries(reasons).map(([name, why]) => <li key={name}>{name}: {why}</li>)}</ul>
    </div>
  );
}

/** The problems met on the way, a list; a long one folded under its count. */
export function Problems({ problems }: { problems: string[] }) {
  if (!problems.length) return null;
  const list = <ul class="import-problems">{problems.map((p, i) => <li key={i}>{p}</li>)}</ul>;
  return (
    <div data-testid="import-problems">
      <h3>{plural(problems.length, "problem")}</h3>
      {problems.length > PROBLEMS_OPEN ? <details><summary>Show all {problems.length}</summary>{list}</details> : list}
    </div>
  );
}

/** A count that opens to what it counts. */
function Folded({ summary, items }: { summary: string; items: string[] }) {
  return (
    <details class="folded">
      <summary>{summary}</summary>
      <ul class="plain">{items.map((item, i) => <li key={i}>{item}</li>)}</ul>
    </details>
  );
}
