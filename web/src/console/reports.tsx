// SLA attainment: a bar chart drawn with elements, no chart library.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Sla } from "../api/schema/sla";
import { percent, when } from "../shared/format";
import { Alert } from "../shared/ui";

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
          <p>{report.tickets} tickets, {when(report.since)} – {when(report.until)}{report.truncated ? " (truncated)" : ""}</p>
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
