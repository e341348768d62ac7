// Reports: the ticket overview (volume, backlog, response times, reopen rate, CSAT by group, agent, category
// and period, with its CSV download) and SLA attainment (a bar chart drawn with elements, no chart library).
import { useEffect, useState } from "preact/hooks";
import { errorOf, type ApiClient } from "../api/client";
import type { components as ReportsSchema } from "../api/schema/reports";
import type { components as Sla } from "../api/schema/sla";
import { percent, when } from "../shared/format";
import { Alert } from "../shared/ui";
import { useOrganizations } from "./organization";

type Overview = ReportsSchema["schemas"]["OverviewReport"];
type Row = ReportsSchema["schemas"]["Row"];
type Breakdown = "by_group" | "by_agent" | "by_category" | "by_organization" | "by_period";
const BREAKDOWNS: [Breakdown, string][] = [["by_group", "Group"], ["by_agent", "Agent"], ["by_category", "Category"],
  ["by_organization", "Organization"], ["by_period", "Period"]];

const minutes = (m: number | null | undefined) => (m === null || m === undefined ? "—" : `${m} min`);
const share = (x: number | null | undefined) => (x === null || x === undefined ? "—" : percent(x));

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

export function OverviewReport({ api }: { api: ApiClient }) {
  const [period, setPeriod] = useState("week");
  const [by, setBy] = useState<Breakdown>("by_group");
  const [report, setReport] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    api.get("/reports/overview", { query: { period: period as Overview["period"] } }).then(setReport).catch(setError);
  }, [period]);
  const t = report?.totals;
  const organizations = useOrganizations(api);
  const label = (key: string) => by === "by_organization" ? organizations.find((o) => o.id === key)?.name ?? key : key;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Tickets overview</h1>
      <Alert error={error} />
      <div class="toolbar">
        <label>Period <select data-testid="overview-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          <option value="day">day</option><option value="week">week</option><option value="month">month</option>
        </select></label>{" "}
        <label>Breakdown <select data-testid="overview-by" value={by} onChange={(e) => setBy(e.currentTarget.value as Breakdown)}>
          {BREAKDOWNS.map(([k, name]) => <option key={k} value={k}>{name}</option>)}
        </select></label>{" "}
        <button type="button" data-testid="overview-csv" onClick={() => void downloadCsv(api, `/reports/overview?period=${encodeURIComponent(period)}`, "overview.csv").catch(setError)}>Download CSV</button>
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
          </dl>
          <table data-testid="overview-rows">
            <caption>By {BREAKDOWNS.find(([k]) => k === by)?.[1].toLowerCase()}</caption>
            <thead><tr><th scope="col">{BREAKDOWNS.find(([k]) => k === by)?.[1]}</th><th scope="col">Tickets</th><th scope="col">Backlog</th>
              <th scope="col">First response (median)</th><th scope="col">Resolution (median)</th><th scope="col">Reopen rate</th><th scope="col">CSAT</th></tr></thead>
            <tbody>
              {(report[by] as Row[]).map((r) => (
                <tr key={r.key}>
                  <th scope="row">{label(r.key)}</th><td>{r.tickets}</td><td>{r.backlog}</td><td>{minutes(r.first_response.median_minutes)}</td>
                  <td>{minutes(r.resolution.median_minutes)}</td><td>{share(r.reopen_rate)}</td><td>{share(r.csat.score)} ({r.csat.count})</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : error ? null : <p>Loading…</p>}
    </section>
  );
}

export function Reports({ api }: { api: ApiClient }) {
  const [report, setReport] = useState<Sla["schemas"]["SlaReport"] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get("/reports/sla").then(setReport).catch(setError);
  }, []);
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">SLA report</h1>
      <Alert error={error} />
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
      ) : <p>Loading…</p>}
    </section>
  );
}
