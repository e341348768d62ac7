// The time range every report on the Reports page reads (`from`/`to` of /reports/overview, /reports/ai and
// /reports/sla, and of their CSV downloads). It lives in the page's address (`#/reports?range=7d`, or
// `?from=2026-11-01&to=2026-11-30` for days picked by hand), so a range survives a reload and can be shared.
// Days are the browser's: "last 7 days" is today and the six days before it, local time, up to now.
import { useEffect, useState } from "preact/hooks";

/** What the API reads: ISO instants, `to` exclusive. */
export interface ReportRange {
  from: string;
  to: string;
}

export type RangeChoice = "7d" | "30d" | "90d" | "this_month" | "last_month" | "custom";

export const RANGE_CHOICES: [RangeChoice, string][] = [["7d", "Last 7 days"], ["30d", "Last 30 days"],
  ["90d", "Last 90 days"], ["this_month", "This month"], ["last_month", "Last month"], ["custom", "Days…"]];

/** The range as the address says it: a choice, and the first and last day (`YYYY-MM-DD`, both included) when
 * the days were picked by hand. */
export interface RangeInAddress {
  choice: RangeChoice;
  first: string;
  last: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366; // the API's limit (reports/service.py MAX_REPORT_DAYS)
// The API takes instants from 1970 up to the year 9000 (web/validation.py `plausible_instant`).
const FIRST_YEAR = 1970;
const LAST_YEAR = 8999;

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** `YYYY-MM-DD` of a local date (what `<input type=date>` shows). */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function parseDay(day: string): Date | null {
  if (!DAY.test(day)) return null;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(2000, m - 1, d);
  date.setFullYear(y); // `new Date(1, …)` is 1901: years below 100 count from 1900
  return date.getMonth() === m - 1 && date.getDate() === d ? date : null;
}

/** The address's range (`range=` or `from=`/`to=` after `?` in the route); "last 30 days" when it names none,
 * which is also what the API assumes. */
export function rangeInAddress(route: string, now = new Date()): RangeInAddress {
  const params = new URLSearchParams(route.includes("?") ? route.slice(route.indexOf("?") + 1) : "");
  const first = params.get("from") ?? "";
  const last = params.get("to") ?? "";
  if (parseDay(first) && parseDay(last)) return { choice: "custom", first, last };
  const named = params.get("range");
  const choice = RANGE_CHOICES.some(([c]) => c === named) && named !== "custom" ? named as RangeChoice : "30d";
  const today = dayOf(now);
  return { choice, first: today, last: today };
}

/** The address of a range on the Reports page. */
export function addressOf(range: RangeInAddress): string {
  return range.choice === "custom" ? `#/reports?from=${range.first}&to=${range.last}` : `#/reports?range=${range.choice}`;
}

/** What a range problem is, in words, or null when the days make a range the API takes. */
export function rangeProblem(range: RangeInAddress): string | null {
  if (range.choice !== "custom") return null;
  const first = parseDay(range.first);
  const last = parseDay(range.last);
  if (!first || !last) return "Pick the first and the last day.";
  if (last < first) return "The last day is before the first.";
  if (first.getFullYear() < FIRST_YEAR || last.getFullYear() > LAST_YEAR) {
    return `Reports cover days from ${FIRST_YEAR} to ${LAST_YEAR}.`;
  }
  if (addDays(last, 1).getTime() - first.getTime() > MAX_DAYS * 86_400_000 + 3_600_000) {
    return `Reports cover at most ${MAX_DAYS} days.`;
  }
  return null;
}

/** The instants the API reads for a range; a custom range with a problem falls back to the last 30 days. */
export function rangeOf(range: RangeInAddress, now = new Date()): ReportRange {
  const tonight = addDays(startOfDay(now), 1);
  // A range that reaches into the future ends now: the backlog is counted at `to`, and "until tonight" reads odd.
  const span = (from: Date, to: Date): ReportRange =>
    ({ from: from.toISOString(), to: (to > now ? now : to).toISOString() });
  switch (range.choice) {
    case "7d": return span(addDays(tonight, -7), tonight);
    case "90d": return span(addDays(tonight, -90), tonight);
    case "this_month": return span(new Date(now.getFullYear(), now.getMonth(), 1), tonight);
    case "last_month": return span(new Date(now.getFullYear(), now.getMonth() - 1, 1), new Date(now.getFullYear(), now.getMonth(), 1));
    case "custom": {
      const first = parseDay(range.first);
      const last = parseDay(range.last);
      if (first && last && !rangeProblem(range)) return span(first, addDays(last, 1));
      return span(addDays(tonight, -30), tonight);
    }
    default: return span(addDays(tonight, -30), tonight);
  }
}

/** A report's answer for what it shows now (`key`: its range and options), read again when that changes; an
 * answer for what it no longer shows (a slower, earlier one) is dropped. `setError` also takes a download's. */
export function useReport<T>(load: () => Promise<T>, key: unknown[]) {
  const [report, setReport] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then((r) => live && setReport(r)).catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, key);
  return { report, error, setError };
}

/** The `from=…&to=…` of a report's CSV address. */
export function rangeQuery(range: ReportRange): string {
  return `from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
}

export function RangePicker({ range, onChange }: { range: RangeInAddress; onChange: (next: RangeInAddress) => void }) {
  const problem = rangeProblem(range);
  return (
    <div class="toolbar" role="group" aria-label="Report range">
      <label>Range <select data-testid="report-range" value={range.choice}
        onChange={(e) => onChange({ ...range, choice: e.currentTarget.value as RangeChoice })}>
        {RANGE_CHOICES.map(([c, name]) => <option key={c} value={c}>{name}</option>)}
      </select></label>{" "}
      {range.choice === "custom" ? (
        <>
          <label>From <input type="date" data-testid="report-first-day" value={range.first}
            onChange={(e) => onChange({ ...range, first: e.currentTarget.value })} /></label>{" "}
          <label>to <input type="date" data-testid="report-last-day" value={range.last}
            onChange={(e) => onChange({ ...range, last: e.currentTarget.value })} /></label>
          {problem ? <p role="alert" class="error">{problem}</p> : null}
        </>
      ) : null}
    </div>
  );
}
