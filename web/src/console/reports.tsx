// Reports: the ticket overview (volume, backlog, response times, reopen rate, CSAT and time spent by group, agent,
// category, organization, request form, tag (a ticket in the row of each of its tags) and day, week or month, with its CSV download) and SLA attainment (a bar chart
// drawn with elements, no chart library), each over the page's range (report-range.tsx).
import { useState } from "preact/hooks";
import { errorOf, type ApiClient } from "../api/client";
import type { components as ReportsSchema } from "../api/schema/reports";
import { percent, when } from "../shared/format";
import { Alert } from "../shared/ui";
import { organizationLabel, useOrganizations } from "./organization";
import { useTicketDefinitions } from "../shared/ticket-field-inputs";
import { rangeQuery, useReport, type ReportRange } from "./report-range";
import { duration } from "./time-spent";

type Overview = ReportsSchema["schemas"]["OverviewReport"];
type Row = ReportsSchema["schemas"]["Row"];
type Period = NonNullable<Overview["period"]>;
// The rows' key: a field of the tickets, the day, week or month they were created in (`by_period`), or the value
// of one of the tenant's custom fields (`field:<key>`, the report's `by_field`).
type FieldBreakdown = `field:${string}`;
type TicketBreakdown = "by_group" | "by_agent" | "by_category" | "by_organization" | "by_form" | "by_tag";
type Breakdown = TicketBreakdown | Period | FieldBreakdown;
const BREAKDOWNS: [Breakdown, string][] = [["by_group", "Group"], ["by_agent", "Agent"], ["by_category", "Category"],
  ["by_organization", "Organization"], ["by_form", "Request form"], ["by_tag", "Tag"], ["day", "Day"], ["week", "Week"], ["month", "Month"]];
const isPeriod = (by: Breakdown): by is Period => by === "day" || by === "week" || by === "month";
const fieldOf = (by: Breakdown): string | undefined => (by.startsWith("field:") ? by.slice("field:".length) : undefined);

/** The report's rows for a breakdown. */
function rowsOf(report: Overview, by: Breakdown): Row[] {
  if (isPeriod(by)) return report.by_period;
  if (fieldOf(by) !== undefined) return report.by_field ?? [];
  return report[by as TicketBreakdown];
}

const minutes = (m: number | null | undefined) => (m === null || m === undefined ? "—" : `${m} min`);
const share = (x: number | null | undefined) => (x === null || x === undefined ? "—" : percent(x));
/** The team's logged work on the tickets (an API before time tracking says nothing: "—"). */
const spent = (m: number | null | undefined) => (m === null || m === undefined ? "—" : duration(m));

/** A report's CSV (`path` with its query), fetched with the caller's token and handed to the browser as a file. */
export async function downloadCsv(api: ApiClient, path: string, filename: string): Promise<void> {
  const token = api.token();
  const response = await fetch(`${api.base()}${path}${path.includes("?") ? "&" : "?"}format=csv`,
    { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw await errorOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

export function OverviewReport({ api, range }: { api: ApiClient; range: ReportRange }) {
  const [by, setBy] = useState<Breakdown>("by_group");
  const period: Period = isPeriod(by) ? by : "day";
  const field = fieldOf(by);
  const definitions = useTicketDefinitions(api);
  const fields = definitions.fields.filter((f) => f.active ?? true);
  const breakdowns: [Breakdown, string][] = [...BREAKDOWNS, ...fields.map((f): [Breakdown, string] => [`field:${f.key}`, f.label])];
  const { report, error, setError } = useReport(
    () => api.get("/reports/overview", { query: { period, from: range.from, to: range.to, by_field: field } }),
    [period, range.from, range.to, field]);
  const rows = report ? rowsOf(report, by) : [];
  const byName = breakdowns.find(([k]) => k === by)?.[1] ?? field ?? "";
  const t = report?.totals;
  const organizations = useOrganizations(api);
  // "(none)": tickets of requesters in no organisation, or opened without a form (mail, chat, before forms)
  const label = (key: string): string => {
    if (key === "(none)") return key;
    if (by === "by_organization") return organizationLabel(organizations, key);
    if (by === "by_form") return definitions.forms.find((f) => f.key === key)?.name ?? key; // a form since removed: its key
    return key;
  };
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Tickets overview</h1>
      <Alert error={error} />
      <div class="toolbar">
        <label>Breakdown <select data-testid="overview-by" value={by} onChange={(e) => setBy(e.currentTarget.value as Breakdown)}>
          {breakdowns.map(([k, name]) => <option key={k} value={k}>{name}</option>)}
        </select></label>{" "}
        <button type="button" data-testid="overview-csv" onClick={() => void downloadCsv(api, `/reports/overview?period=${period}&${rangeQuery(range)}${field ? `&by_field=${encodeURIComponent(field)}` : ""}`, "overview.csv").catch(setError)}>Download CSV</button>
      </div>
      {report && t ? (
        <>
          <p>{when(report.since)} – {when(report.until)}{report.truncated ? " (truncated)" : ""}</p>
          <dl class="figures" data-testid="overview-totals">
            <dt>Tickets</dt><dd>{t.tickets}</dd>
            <dt>Backlog</dt><dd>{t.backlog}</dd>
            <dt>First response</dt><dd>median {minutes(t.first_response.median_minutes)}, p90 {minutes(t.first_response.p90_minutes)}</dd>
            <dt>Resolution</dt><dd>median {minutes(t.resolution.median_minutes)}, p90 {minutes(t.resolution.p90_minutes)}</dd>
            <dt>Reopen rate</dt><dd>{share(t.reopen_rate)}</dd>
            <dt>CSAT</dt><dd>{share(t.csat.score)} ({t.csat.good} good, {t.csat.bad} bad)</dd>
            <dt>Time spent</dt><dd data-testid="overview-time-spent">{spent(t.time_spent_minutes)}</dd>
          </dl>
          {by === "by_tag" && rows.length ? <p class="hint" data-testid="overview-tag-note">A ticket counts under each of its tags, so the rows add up to more than the total.</p> : null}
          {rows.length === 0 ? <p data-testid="overview-empty">No tickets and no backlog in this range.</p> : (
          <table class="cards" data-testid="overview-rows" tabIndex={0}>
            <caption>By {field ? byName : byName.toLowerCase()}</caption>
            <thead><tr><th scope="col">{byName}</th><th scope="col">Tickets</th><th scope="col">Backlog</th>
              <th scope="col">First response (median)</th><th scope="col">Resolution (median)</th><th scope="col">Reopen rate</th><th scope="col">CSAT</th>
              <th scope="col">Time spent</th></tr></thead>
            <tbody>
              {(rows as Row[]).map((r) => (
                <tr key={r.key}>
                  <th scope="row">{label(r.key)}</th><td data-label="Tickets">{r.tickets}</td><td data-label="Backlog">{r.backlog}</td>
                  <td data-label="First response (median)">{minutes(r.first_response.median_minutes)}</td>
                  <td data-label="Resolution (median)">{minutes(r.resolution.median_minutes)}</td><td data-label="Reopen rate">{share(r.reopen_rate)}</td>
                  <td data-label="CSAT">{share(r.csat.score)} ({r.csat.count})</td><td data-label="Time spent">{spent(r.time_spent_minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
        </>
      ) : error ? null : <p>Loading…</p>}
    </section>
  );
}

export function SlaReport({ api, range }: { api: ApiClient; range: ReportRange }) {
  const { report, error, setError } = useReport(() => api.get("/reports/sla", { query: { from: range.from, to: range.to } }),
    [range.from, range.to]);
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">SLA report</h1>
      <Alert error={error} />
      <div class="toolbar">
        <button type="button" data-testid="sla-report-csv"
          onClick={() => void downloadCsv(api, `/reports/sla?${rangeQuery(range)}`, "sla.csv").catch(setError)}>Download CSV</button>
      </div>
      {report ? (
        <>
          <p>{report.tickets} {report.tickets === 1 ? "ticket" : "tickets"}, {when(report.since)} – {when(report.until)}{report.truncated ? " (truncated)" : ""}</p>
          <ul class="chart" aria-label="Share of targets met">
            {report.targets.map((t) => {
              const share = Number(t.attainment ?? 0);
              return (
                <li key={String(t.target)}>
                  <span class="label">{String(t.target).replace(/_/g, " ")}</span>
                  <meter min={0} max={1} value={share} aria-label={`${String(t.target)} met`} />
                  <span>{percent(share)} met ({t.met}/{t.measured}), median {t.median_minutes ?? "—"} min, p90 {t.p90_minutes ?? "—"} min</span>
                </li>
              );
            })}
          </ul>
        </>
      ) : error ? null : <p>Loading…</p>}
    </section>
  );
}
