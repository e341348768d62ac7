// Time logged over the Reports page's range (GET /reports/time): the team's total, by agent, organisation, group or
// ticket, and the timesheet a team bills from (the CSV: one line per entry). Work counts by when it was logged,
// whichever tickets it was on; a negative entry (a correction) takes time off its rows.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as ReportsSchema } from "../api/schema/reports";
import { when } from "../shared/format";
import { Alert } from "../shared/ui";
import { useStaffAndGroups } from "./assignment";
import { shortName } from "./directory";
import { organizationLabel, useOrganizations } from "./organization";
import { dayOf, rangeQuery, useReport, type ReportRange } from "./report-range";
import { downloadCsv } from "./reports";
import { duration } from "./time-spent";

type TimeReport = ReportsSchema["schemas"]["TimeReport"];
type TimeRow = ReportsSchema["schemas"]["TimeRow"];
type Breakdown = "by_agent" | "by_organization" | "by_group" | "by_ticket";
const BREAKDOWNS: [Breakdown, string][] = [["by_agent", "Agent"], ["by_organization", "Organization"],
  ["by_group", "Group"], ["by_ticket", "Ticket"]];
const NONE = "(none)"; // entries on tickets of no organisation or no group

const entries = (n: number) => `${n} ${n === 1 ? "entry" : "entries"}`;

/** The CSV's file name: the range's first and last local day (`to` is exclusive). */
export function timesheetFile(range: ReportRange): string {
  return `timesheet-${dayOf(new Date(range.from))}-${dayOf(new Date(Date.parse(range.to) - 1))}.csv`;
}

export function TimeLoggedReport({ api, range }: { api: ApiClient; range: ReportRange }) {
  const [by, setBy] = useState<Breakdown>("by_agent");
  const { report, error, setError } = useReport<TimeReport>(
    () => api.get("/reports/time", { query: { from: range.from, to: range.to } }), [range.from, range.to]);
  const team = useStaffAndGroups(api);
  const organizations = useOrganizations(api);
  const byName = BREAKDOWNS.find(([k]) => k === by)?.[1] ?? "";
  // by_ticket's rows carry the ticket's number; its lines carry the id the ticket page is addressed by
  const ticketIds = new Map((report?.lines ?? []).map((line) => [line.ticket, line.ticket_id]));
  const label = (key: string) => {
    if (key === NONE) return key;
    switch (by) {
      case "by_agent": {
        const user = team.users.find((u) => u.id === key);
        return user ? <span title={user.email}>{shortName(user)}</span> : key;
      }
      case "by_organization": return organizationLabel(organizations, key);
      case "by_group": return team.groups.find((g) => g.id === key)?.name ?? key;
      case "by_ticket": {
        const id = ticketIds.get(key);
        return id ? <a href={`#/t/${id}`}>{key}</a> : key;
      }
    }
  };
  // (an answer without the figures, a stub's or an older API's, shows as nothing logged rather than breaking)
  const rows: TimeRow[] = report?.[by] ?? [];
  return (
    <section aria-labelledby="time-report-title">
      <h1 id="time-report-title">Time logged</h1>
      <Alert error={error} />
      <div class="toolbar">
        <label>Breakdown <select data-testid="time-by" value={by} onChange={(e) => setBy(e.currentTarget.value as Breakdown)}>
          {BREAKDOWNS.map(([k, name]) => <option key={k} value={k}>{name}</option>)}
        </select></label>{" "}
        <button type="button" data-testid="time-csv"
          onClick={() => void downloadCsv(api, `/reports/time?${rangeQuery(range)}`, timesheetFile(range)).catch(setError)}>
          Download timesheet (CSV)</button>
      </div>
      {report ? (
        <>
          <p>{when(report.since)} – {when(report.until)}{report.truncated ? " (truncated)" : ""}</p>
          {!report.entries ? <p data-testid="time-empty">No time logged in this range.</p> : (
            <>
              <p data-testid="time-total"><strong>{duration(report.minutes)}</strong> in {entries(report.entries)}</p>
              <table data-testid="time-rows" tabIndex={0}>
                <caption>By {byName.toLowerCase()}</caption>
                <thead><tr><th scope="col">{byName}</th><th scope="col">Time</th><th scope="col">Entries</th></tr></thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}><th scope="row">{label(r.key)}</th><td>{duration(r.minutes)}</td><td>{r.entries}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      ) : error ? null : <p>Loading…</p>}
    </section>
  );
}
