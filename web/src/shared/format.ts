export function when(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

export function relative(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "";
  const diff = new Date(iso).getTime() - nowMs;
  const minutes = Math.round(diff / 60_000);
  const abs = Math.abs(minutes);
  if (abs === 0) return "just now"; // not "0 min ago": within half a minute either way
  const text = abs < 60 ? `${abs} min` : abs < 60 * 48 ? `${Math.round(abs / 60)} h` : `${Math.round(abs / 1440)} d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : `${Math.round(value * 100)}%`;
}

export type SlaTarget = { due?: string | null; state?: string | null; met_at?: string | null };

/** The ticket's SLA targets (`sla.targets`: kind, state, due_at) as badges, worst first. */
export function slaBadges(sla: Record<string, unknown> | null | undefined): { name: string; state: string; due: string | null }[] {
  const targets = sla?.targets;
  if (!Array.isArray(targets)) return [];
  const order: Record<string, number> = { breached: 0, warning: 1, ok: 2, met: 3 };
  const out: { name: string; state: string; due: string | null }[] = [];
  for (const raw of targets as Record<string, unknown>[]) {
    if (!raw || typeof raw.kind !== "string" || typeof raw.state !== "string") continue;
    out.push({ name: raw.kind.replace(/_/g, " "), state: raw.state, due: typeof raw.due_at === "string" ? raw.due_at : null });
  }
  return out.sort((a, b) => (order[a.state] ?? 9) - (order[b.state] ?? 9));
}

export function atRisk(sla: Record<string, unknown> | null | undefined): boolean {
  return slaBadges(sla).some((b) => b.state === "warning" || b.state === "breached");
}

/** A ticket status as people read it: "on hold" for `on_hold` (the API's value stays what is sent). */
export function statusText(status: string): string {
  return status.replace(/_/g, " ");
}
