// The Reports page: one range (in the address) over the ticket overview, the time logged, what AI did and SLA
// attainment.
import { useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import { AiReport } from "./ai-report";
import { addressOf, RangePicker, rangeInAddress, rangeOf, rangeProblem, type RangeInAddress } from "./report-range";
import { OverviewReport, SlaReport } from "./reports";
import { TimeLoggedReport } from "./time-report";

export function ReportsPage({ api, route }: { api: ApiClient; route: string }) {
  const [picked, setPicked] = useState<RangeInAddress>(() => rangeInAddress(route));
  const [range, setRange] = useState(() => rangeOf(picked));
  const pick = (next: RangeInAddress) => {
    setPicked(next);
    if (rangeProblem(next)) return; // half-typed days: the reports keep the last range until the days make one
    setRange(rangeOf(next));
    // replaceState: a new range is no new page for Back, and no hashchange to re-read it from
    window.history.replaceState(null, "", addressOf(next));
  };
  return (
    <>
      <RangePicker range={picked} onChange={pick} />
      <OverviewReport api={api} range={range} />
      <TimeLoggedReport api={api} range={range} />
      <AiReport api={api} range={range} />
      <SlaReport api={api} range={range} />
    </>
  );
}
