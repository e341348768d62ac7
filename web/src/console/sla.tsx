// SLA policies and business-hours calendars: list, create, edit, delete (admins; agents only read).
// Opening hours are typed as "09:00-12:00, 13:00-17:00" per weekday and holidays as ISO dates; the API
// validates both and its message shows in the one alert. A save or delete names the version the screen showed
// (If-Match): when another admin changed the item since, it is refused and the screen offers to reload.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Sla } from "../api/schema/sla";
import type { Lang } from "../shared/language";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";
import { BreachFields, groupMailsText, parseGroupMails } from "./sla-breach";

type Calendar = Sla["schemas"]["BusinessCalendar"];
type Policy = Sla["schemas"]["SlaPolicy"];
type Targets = Sla["schemas"]["PriorityTargets"];

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const SLA_PRIORITIES = ["urgent", "high", "normal", "low"] as const;
const TARGET_FIELDS = [
  ["first_response_minutes", "First response"],
  ["next_response_minutes", "Next response"],
  ["resolution_minutes", "Resolution"],
] as const;

/** "09:00-12:00, 13:00-17:00" -> spans; blank -> closed. */
export function parseSpans(text: string): { start: string; end: string }[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [start = "", end = ""] = s.split("-").map((x) => x.trim());
      return { start, end };
    });
}

export function formatSpans(spans: { start: string; end: string }[] | undefined): string {
  return (spans ?? []).map((s) => `${s.start}-${s.end}`).join(", ");
}

type Editing<T> = { item: T; create: boolean } | null;

/** The If-Match of a save or delete: the version the screen showed (0: built in, never saved). */
const shownVersion = (item: { version?: number }) => `"${item.version ?? 0}"`;

/** An edit form after a reload: the item as it is now (what was typed is dropped), none once it is gone. */
function reopened<T extends { id: string }>(open: Editing<T>, items: T[]): Editing<T> {
  if (!open || open.create) return open;
  const item = items.find((i) => i.id === open.item.id);
  return item ? { item, create: false } : null;
}

export function SlaSettings({ api, admin }: { api: ApiClient; admin: boolean }) {
  const [calendars, setCalendars] = useState<Calendar[] | null>(null);
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [calendar, setCalendar] = useState<Editing<Calendar>>(null);
  const [policy, setPolicy] = useState<Editing<Policy>>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const load = async () => {
    const [c, p] = await Promise.all([api.get("/sla/calendars"), api.get("/sla/policies")]);
    setCalendars(c);
    setPolicies(p);
    return [c, p] as const;
  };
  useEffect(() => {
    load().catch(setError);
  }, []);
  const act = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    setNotice("");
    try {
      await action();
      await load();
      setNotice(what);
      return true;
    } catch (e) {
      setError(e); // an open form keeps what was typed
      return false;
    }
  };
  const reload = () => {
    setError(null);
    setNotice("");
    load()
      .then(([c, p]) => {
        setCalendar((open) => reopened(open, c));
        setPolicy((open) => reopened(open, p));
        setNotice("Reloaded");
      })
      .catch(setError);
  };
  return (
    <section aria-labelledby="sla-title">
      <h1 id="sla-title">SLA policies and calendars</h1>
      {admin ? null : <p>Only admins change SLA settings; you can read them.</p>}
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="these SLA settings" onReload={reload} /></p>
      <h2>Business-hours calendars</h2>
      {calendars === null ? (error ? null : <p>Loading…</p>) : (
        <table class="cards" data-testid="sla-calendars">
          <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">Hours</th><th scope="col">Holidays</th>{admin ? <th scope="col">Actions</th> : null}</tr></thead>
          <tbody>
            {calendars.map((c) => (
              <tr key={c.id} data-testid="sla-calendar-row">
                <td data-label="Id">{c.id}</td><td class="card-title">{c.name}</td><td data-label="Time zone">{c.timezone}</td>
                <td data-label="Hours">{WEEKDAYS.filter((d) => c.hours[d]?.length).map((d) => `${d} ${formatSpans(c.hours[d])}`).join("; ")}</td>
                <td data-label="Holidays">{(c.holidays ?? []).join(", ")}</td>
                {admin ? (
                  <td><span class="actions">
                    <button type="button" onClick={() => setCalendar({ item: c, create: false })}>Edit <span class="sr-only">{c.name}</span></button>
                    <button type="button" onClick={() => window.confirm(`Delete calendar ${c.id}?`) && void act("Calendar deleted", () => api.call("delete", "/sla/calendars/{calendar_id}", { path: { calendar_id: c.id }, ifMatch: shownVersion(c) }))}>Delete <span class="sr-only">{c.name}</span></button>
                  </span></td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && !calendar ? <p><button type="button" onClick={() => setCalendar({ item: newCalendar(), create: true })}>New calendar</button></p> : null}
      {calendar ? (
        <CalendarForm
          key={`${calendar.item.id}@${calendar.item.version ?? 0}`}
          editing={calendar}
          onCancel={() => setCalendar(null)}
          onSave={async (c) => {
            const ok = await act(calendar.create ? "Calendar created" : "Calendar saved", () =>
              calendar.create
                ? api.call("post", "/sla/calendars", { body: c })
                : api.call("put", "/sla/calendars/{calendar_id}", { path: { calendar_id: c.id }, body: c, ifMatch: shownVersion(calendar.item) }));
            if (ok) setCalendar(null);
          }}
        />
      ) : null}
      <h2>Policies</h2>
      <p class="hint">Tried in position order; the first whose conditions match a ticket wins, the default policy catches the rest. A changed policy applies to an open ticket from the ticket's next change (a message, a status or field change).</p>
      {policies === null ? (error ? null : <p>Loading…</p>) : (
        <table class="cards" data-testid="sla-policies">
          <thead><tr><th scope="col">Position</th><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Calendar</th><th scope="col">Targets (minutes: first / next / resolution)</th><th scope="col">Waiting for the customer</th>{admin ? <th scope="col">Actions</th> : null}</tr></thead>
          <tbody>
            {policies.map((p) => (
              <tr key={p.id} data-testid="sla-policy-row">
                <td data-label="Position">{p.position}</td><td data-label="Id">{p.id}</td><td class="card-title">{p.name}</td><td data-label="Calendar">{p.calendar_id}</td>
                <td data-label="Targets, minutes (first / next / resolution)">{SLA_PRIORITIES.filter((k) => p.targets[k]).map((k) => `${k} ${targetText(p.targets[k])}`).join("; ")}</td>
                <td data-label="Waiting for the customer">{waitingText(p)}</td>
                {admin ? (
                  <td><span class="actions">
                    <button type="button" onClick={() => setPolicy({ item: p, create: false })}>Edit <span class="sr-only">{p.name}</span></button>
                    <button type="button" onClick={() => window.confirm(`Delete policy ${p.id}?`) && void act("Policy deleted", () => api.call("delete", "/sla/policies/{policy_id}", { path: { policy_id: p.id }, ifMatch: shownVersion(p) }))}>Delete <span class="sr-only">{p.name}</span></button>
                  </span></td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && !policy ? <p><button type="button" onClick={() => setPolicy({ item: newPolicy(), create: true })}>New policy</button></p> : null}
      {policy ? (
        <PolicyForm
          key={`${policy.item.id}@${policy.item.version ?? 0}`}
          editing={policy}
          calendars={calendars ?? []}
          onCancel={() => setPolicy(null)}
          onSave={async (p) => {
            const ok = await act(policy.create ? "Policy created" : "Policy saved", () =>
              policy.create
                ? api.call("post", "/sla/policies", { body: p })
                : api.call("put", "/sla/policies/{policy_id}", { path: { policy_id: p.id }, body: p, ifMatch: shownVersion(policy.item) }));
            if (ok) setPolicy(null);
          }}
        />
      ) : null}
    </section>
  );
}

function targetText(t: Targets | undefined): string {
  return [t?.first_response_minutes, t?.next_response_minutes, t?.resolution_minutes].map((m) => m ?? "—").join(" / ");
}

function newCalendar(): Calendar {
  const nine = [{ start: "09:00", end: "17:00" }];
  return { id: "", name: "", timezone: "UTC", hours: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine }, holidays: [] };
}

function newPolicy(): Policy {
  return { id: "", name: "", position: 100, calendar_id: "24x7", targets: { normal: { first_response_minutes: 480, resolution_minutes: 4320 } } };
}

function CalendarForm({ editing, onSave, onCancel }: { editing: { item: Calendar; create: boolean }; onSave: (c: Calendar) => Promise<void>; onCancel: () => void }) {
  const start = editing.item;
  const [id, setId] = useState(start.id);
  const [name, setName] = useState(start.name);
  const [timezone, setTimezone] = useState(start.timezone);
  const [hours, setHours] = useState<Record<string, string>>(Object.fromEntries(WEEKDAYS.map((d) => [d, formatSpans(start.hours[d])])));
  const [holidays, setHolidays] = useState((start.holidays ?? []).join(", "));
  const submit = (e: Event) => {
    e.preventDefault();
    const week: Calendar["hours"] = {};
    for (const d of WEEKDAYS) {
      const spans = parseSpans(hours[d] ?? "");
      if (spans.length) week[d] = spans;
    }
    void onSave({ ...start, id: id.trim(), name: name.trim(), timezone: timezone.trim(), hours: week, holidays: holidays.split(",").map((h) => h.trim()).filter(Boolean) });
  };
  return (
    <form class="panel stack" aria-label={editing.create ? "New calendar" : `Edit calendar ${start.id}`} onSubmit={submit} data-testid="calendar-form">
      <h3>{editing.create ? "New calendar" : `Edit calendar ${start.id}`}</h3>
      <label>Id <input name="calendar-id" value={id} required disabled={!editing.create} onInput={(e) => setId(e.currentTarget.value)} /></label>
      <label>Name <input name="calendar-name" value={name} required onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Time zone (IANA, e.g. Europe/Berlin) <input name="calendar-timezone" value={timezone} required onInput={(e) => setTimezone(e.currentTarget.value)} /></label>
      <fieldset>
        <legend>Opening hours (HH:MM-HH:MM, comma separated; blank is closed)</legend>
        {WEEKDAYS.map((d) => (
          <label key={d}>{d} <input name={`hours-${d}`} value={hours[d] ?? ""} onInput={(e) => setHours({ ...hours, [d]: e.currentTarget.value })} /></label>
        ))}
      </fieldset>
      <label>Holidays (YYYY-MM-DD, comma separated) <input name="calendar-holidays" value={holidays} onInput={(e) => setHolidays(e.currentTarget.value)} /></label>
      <div class="reply-actions">
        <button type="button" class="link" onClick={onCancel}>Cancel</button>
        <button type="submit">Save calendar</button>
      </div>
    </form>
  );
}

/** What a policy does with tickets that wait for the customer: reminder, resolution, closing. */
export function waitingText(p: Pick<Policy, "pending_reminder_days" | "pending_resolve_days" | "auto_close_days">): string {
  const parts = [
    p.pending_reminder_days ? `remind after ${p.pending_reminder_days} d` : null,
    p.pending_resolve_days ? `resolve after ${p.pending_resolve_days} d` : null,
    p.auto_close_days === null ? "resolved tickets never close by themselves" : `close ${p.auto_close_days ?? 7} d after resolved`,
  ];
  return parts.filter(Boolean).join("; ");
}

/** A positive whole number typed into a field, or null (blank or not a number). */
function positiveNumber(text: string): number | null {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function PolicyForm({ editing, calendars, onSave, onCancel }: { editing: { item: Policy; create: boolean }; calendars: Calendar[]; onSave: (p: Policy) => Promise<void>; onCancel: () => void }) {
  const start = editing.item;
  const [id, setId] = useState(start.id);
  const [name, setName] = useState(start.name);
  const [position, setPosition] = useState(String(start.position ?? 100));
  const [calendarId, setCalendarId] = useState(start.calendar_id ?? "24x7");
  const [warning, setWarning] = useState(String(start.warning_minutes ?? 30));
  const [autoClose, setAutoClose] = useState(start.auto_close_days === null ? "" : String(start.auto_close_days ?? 7));
  const [remind, setRemind] = useState(String(start.pending_reminder_days ?? ""));
  const [resolve, setResolve] = useState(String(start.pending_resolve_days ?? ""));
  const [mails, setMails] = useState(groupMailsText(start.group_emails));
  const [mailLanguage, setMailLanguage] = useState<Lang>(start.group_email_language ?? "en");
  const [escalation, setEscalation] = useState(start.escalation ?? { raise_priority: true, group: null });
  const [mailsError, setMailsError] = useState<string | null>(null);
  const [targets, setTargets] = useState<Record<string, string>>(() => {
    const out: Record<string, string> = {};
    for (const p of SLA_PRIORITIES) for (const [f] of TARGET_FIELDS) out[`${p}.${f}`] = String(start.targets[p]?.[f] ?? "");
    return out;
  });
  const submit = (e: Event) => {
    e.preventDefault();
    const out: Policy["targets"] = {};
    for (const p of SLA_PRIORITIES) {
      const t: Targets = {};
      for (const [f] of TARGET_FIELDS) {
        const m = positiveNumber(targets[`${p}.${f}`] ?? "");
        if (m !== null) t[f] = m;
      }
      if (Object.keys(t).length) out[p] = t;
    }
    const parsed = parseGroupMails(mails);
    setMailsError("error" in parsed ? parsed.error : null);
    if ("error" in parsed) return;
    // The conditions, which this form does not edit, are kept as they were.
    void onSave({ ...start, id: id.trim(), name: name.trim(), position: Number.parseInt(position, 10) || 0, calendar_id: calendarId, warning_minutes: positiveNumber(warning) ?? 30, targets: out,
      auto_close_days: positiveNumber(autoClose), pending_reminder_days: positiveNumber(remind), pending_resolve_days: positiveNumber(resolve),
      group_emails: parsed.mails, group_email_language: mailLanguage, escalation });
  };
  return (
    <form class="panel stack" aria-label={editing.create ? "New policy" : `Edit policy ${start.id}`} onSubmit={submit} data-testid="policy-form">
      <h3>{editing.create ? "New policy" : `Edit policy ${start.id}`}</h3>
      <label>Id <input name="policy-id" value={id} required disabled={!editing.create} onInput={(e) => setId(e.currentTarget.value)} /></label>
      <label>Name <input name="policy-name" value={name} required onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Position (lower is tried first) <input name="policy-position" type="number" min={0} value={position} onInput={(e) => setPosition(e.currentTarget.value)} /></label>
      <label>
        Calendar{" "}
        <select name="policy-calendar" value={calendarId} onChange={(e) => setCalendarId(e.currentTarget.value)}>
          {calendars.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.id})</option>)}
        </select>
      </label>
      <label>Warn this many minutes before a deadline <input name="policy-warning" type="number" min={1} value={warning} onInput={(e) => setWarning(e.currentTarget.value)} /></label>
      <table class="cards">
        <caption>Targets in business minutes (blank is not measured)</caption>
        <thead><tr><th scope="col">Priority</th>{TARGET_FIELDS.map(([f, label]) => <th scope="col" key={f}>{label}</th>)}</tr></thead>
        <tbody>
          {SLA_PRIORITIES.map((p) => (
            <tr key={p}>
              <th scope="row">{p}</th>
              {TARGET_FIELDS.map(([f, label]) => (
                <td key={f} data-label={label}>
                  <input name={`target-${p}-${f}`} type="number" min={1} size={6} aria-label={`${p} ${label} minutes`} value={targets[`${p}.${f}`] ?? ""} onInput={(e) => setTargets({ ...targets, [`${p}.${f}`]: e.currentTarget.value })} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset>
        <legend>Waiting for the customer (calendar days; blank is never)</legend>
        <label>Remind a customer who has not answered a pending ticket after (days)
          <input name="policy-pending-reminder" type="number" min={1} value={remind} onInput={(e) => setRemind(e.currentTarget.value)} /></label>
        <label>Mark such a ticket resolved after (days)
          <input name="policy-pending-resolve" type="number" min={1} value={resolve} onInput={(e) => setResolve(e.currentTarget.value)} /></label>
        <label>Close a resolved ticket after (days)
          <input name="policy-auto-close" type="number" min={1} value={autoClose} onInput={(e) => setAutoClose(e.currentTarget.value)} /></label>
      </fieldset>
      <BreachFields mails={mails} onMails={setMails} language={mailLanguage} onLanguage={setMailLanguage}
        escalation={escalation} onEscalation={setEscalation} />
      {mailsError ? <p role="alert" class="error">{mailsError}</p> : null}
      <div class="reply-actions">
        <button type="button" class="link" onClick={onCancel}>Cancel</button>
        <button type="submit">Save policy</button>
      </div>
    </form>
  );
}
