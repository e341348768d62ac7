// The queue: built-in and saved views with counts, filters, cursor paging, j/k/Enter keyboard navigation, and a
// bulk change of the tickets ticked on the page (x ticks the row the keyboard is on; saved views tick too).
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import { PRIORITIES, type Priority, type Status, type Ticket } from "../api/types";
import { atRisk } from "../shared/format";
import { useRefreshTick } from "../shared/refresh";
import { Alert } from "../shared/ui";
import { useStaffAndGroups } from "./assignment";
import { BulkChange, useRowSelection } from "./bulk-bar";
import { shortName } from "./directory";
import { FieldFilter, fieldFilterTerm, parseFieldFilter, type FieldFilterValue } from "./field-filter";
import { FormFilter } from "./form-filter";
import { OrganizationFilter, useOrganizations } from "./organization";
import { TicketSearchResults } from "./search";
import { useTicketDefinitions } from "../shared/ticket-field-inputs";
import { sendKeys, typingIn } from "../shared/keys";
import { MyReminders } from "./reminders";
import { lineOfTicket, TicketTable } from "./ticket-table";
import { filtersOf, SavedViewLinks, SavedViewTickets, SaveViewForm, useSavedViews } from "./views";

export interface View {
  id: string;
  label: string;
  status?: Status;
  assignee?: "me";
  unassigned?: boolean;
  unsolved?: boolean; // only the tickets still to be solved (new, open, pending, on hold): the server filters
  my_groups?: boolean; // the tickets in the agent's groups: the server filters
  follower?: "me"; // the tickets the agent follows
  link_type?: "child"; // the tickets holding incidents: the problems
  sla?: "at_risk"; // what a saved copy of this view asks the server for
  // As a saved view's filter: absent (false) leaves out the tickets snoozed now, as a queue does; true lists only
  // them; null both.
  snoozed?: boolean | null;
  local?: (t: Ticket, me: string, groups: string[]) => boolean; // narrowed in the browser
  hint?: string; // what the view lists, where its name does not say it all
}

// The assignee filter's "nobody" (`unassigned=true`); a user id otherwise.
const NOBODY = "(unassigned)";

export const VIEWS: View[] = [
  { id: "new", label: "New", status: "new" },
  { id: "open", label: "Open", status: "open" },
  { id: "pending", label: "Pending", status: "pending" },
  { id: "on_hold", label: "On hold", status: "on_hold" }, // waiting for someone outside the ticket
  // Zendesk's "Unassigned tickets" and "Your unsolved tickets": what still waits for someone (resolved and closed
  // tickets are done with)
  { id: "unassigned", label: "Unassigned", unassigned: true, unsolved: true, hint: "Unsolved tickets nobody has" },
  { id: "mine", label: "Mine", assignee: "me", unsolved: true, hint: "Your unsolved tickets" },
  { id: "following", label: "Following", follower: "me" },
  // Zendesk's problem tickets: what many customers are waiting on, answered once for all of them
  { id: "problems", label: "Problems", link_type: "child", unsolved: true, hint: "Unsolved tickets with incidents linked to them" },
  // Zendesk's "Unsolved tickets in your groups"
  { id: "groups", label: "My groups", my_groups: true, unsolved: true, hint: "Unsolved tickets in your groups" },
  { id: "risk", label: "SLA at risk", sla: "at_risk", local: (t) => atRisk(t.sla) },
  { id: "snoozed", label: "Snoozed", snoozed: true }, // out of the other queues until their time
  { id: "all", label: "All", snoozed: null },
];

/** A view's snooze filter as a saved view holds it: absent is false (a queue leaves snoozed tickets out). */
function snoozedFilter(view: View): boolean | null {
  return view.snoozed === undefined ? false : view.snoozed;
}

const PAGE = 25;
const COUNT_LIMIT = 100;
// New tickets show without a reload: the list and the counts are read again this often while the tab is in sight
// (about 12 calls a refresh: the list, a count per view).
export const QUEUE_REFRESH_MS = 30_000;

export function Queue({ api, me, groups, route, limited = false, refreshMs = QUEUE_REFRESH_MS }: {
  api: ApiClient; me: string; groups: string[]; route: string;
  limited?: boolean; // the agent sees only their groups' tickets and their own: the queue says so
  refreshMs?: number;
}) {
  const params = new URLSearchParams(route.split("?")[1] ?? "");
  const viewId = params.get("view") ?? "new";
  const savedId = params.get("saved");
  const [revision, setRevision] = useState(0);
  const tick = useRefreshTick(refreshMs);
  const saved = useSavedViews(api, revision, tick, savedId);
  const savedView = savedId ? saved.views.find((v) => v.id === savedId) ?? null : null;
  const view = VIEWS.find((v) => v.id === viewId) ?? VIEWS[0]!;
  const [priority, setPriority] = useState<Priority | "">("");
  const [tag, setTag] = useState("");
  const [group, setGroup] = useState("");
  const [assignee, setAssignee] = useState(""); // a user id, NOBODY, or "" (anyone); views that pick one win
  const team = useStaffAndGroups(api);
  // `#/?organization=<id>` opens the queue filtered by it (the Team screen links each organisation's tickets).
  const linkedOrganization = params.get("organization") ?? "";
  const [organization, setOrganization] = useState(linkedOrganization);
  useEffect(() => {
    if (linkedOrganization) setOrganization(linkedOrganization);
  }, [linkedOrganization]);
  const organizations = useOrganizations(api);
  // `#/?form=<key>` opens the queue filtered by the request form its tickets were opened with.
  const linkedForm = params.get("form") ?? "";
  const [form, setForm] = useState(linkedForm);
  useEffect(() => {
    if (linkedForm) setForm(linkedForm);
  }, [linkedForm]);
  // `#/?field=plan:enterprise` opens the queue filtered by a custom field (one in the console; the API takes five).
  const linkedField = params.get("field") ?? "";
  const [fieldFilter, setFieldFilter] = useState<FieldFilterValue>(() => parseFieldFilter(linkedField));
  useEffect(() => {
    if (linkedField) setFieldFilter(parseFieldFilter(linkedField));
  }, [linkedField]);
  const field = fieldFilterTerm(fieldFilter); // "" until a field and its value are picked
  const { fields: ticketFields, forms } = useTicketDefinitions(api);
  const [words, setWords] = useState("");
  const [search, setSearch] = useState("");
  const [runs, setRuns] = useState(0); // a repeated search asks again (the index may have caught up)
  // Search looks through every ticket the agent may see (not only the view), narrowed by the filters below.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [focus, setFocus] = useState(0);
  const [reloads, setReloads] = useState(0); // after a bulk change: the list as it is now
  const focusedId = useRef<string | null>(null); // the row j/k is on, kept when a refresh reorders the list
  const shown = useRef(""); // what the list shows (view, page, filters): a refresh of the same list keeps the row
  const list = useRef<HTMLTableSectionElement>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  // Ticks stay on the rows still shown (a refresh keeps them; another page or filter drops them).
  const selection = useRowSelection(items);

  const query = (v: View, c: string | null, limit: number) => ({
    status: v.status,
    unsolved: v.unsolved || undefined,
    my_groups: v.my_groups || undefined,
    ...assigneeQuery(v, me, assignee),
    follower: v.follower,
    link_type: v.link_type,
    snoozed: snoozedFilter(v) ?? undefined, // null (All): no filter
    group: group || undefined,
    priority: priority || undefined,
    tag: tag.trim() || undefined,
    organization: organization || undefined,
    form: form || undefined,
    field: field ? [field] : undefined,
    cursor: c ?? undefined,
    limit,
  });

  useEffect(() => {
    let live = true;
    setError(null);
    const limit = view.local ? COUNT_LIMIT : PAGE;
    const asked = JSON.stringify([view.id, cursor, priority, tag, group, assignee, organization, form, field]);
    api
      .get("/tickets", { query: query(view, cursor, limit) })
      .then((page) => {
        if (!live) return;
        const found = view.local ? page.items.filter((t) => view.local!(t, me, groups)) : page.items;
        setItems(found);
        setNext(page.next_cursor ?? null);
        const kept = asked === shown.current ? found.findIndex((t) => t.id === focusedId.current) : -1;
        shown.current = asked;
        setFocus(Math.max(0, kept));
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [view.id, cursor, priority, tag, group, assignee, organization, form, field, tick, reloads]);

  useEffect(() => {
    // Counts per view: one page of up to 100 each ("100+" beyond), after the list has rendered.
    if (items === null) return;
    let live = true;
    void Promise.all(
      VIEWS.map(async (v) => {
        const page = await api.get("/tickets", { query: query(v, null, COUNT_LIMIT) });
        const n = v.local ? page.items.filter((t) => v.local!(t, me, groups)).length : page.items.length;
        return [v.id, page.next_cursor && !v.local ? `${n}+` : String(n)] as const;
      }),
    )
      .then((pairs) => live && setCounts(Object.fromEntries(pairs)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [priority, tag, group, assignee, organization, form, field, items === null, tick, reloads]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e)) return;
      if (!items?.length) return;
      if (e.key === "j") setFocus((f) => Math.min(items.length - 1, f + 1));
      else if (e.key === "x") {
        const t = items[focus];
        if (t) selection.toggle(t.id);
      }
      else if (e.key === "k") setFocus((f) => Math.max(0, f - 1));
      else if (e.key === "Enter" || e.key === "o" || e.key === "r") {
        const t = items[focus];
        if (t) window.location.hash = `#/t/${t.id}${e.key === "r" ? "?reply" : ""}`;
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, focus]);

  useEffect(() => {
    focusedId.current = items?.[focus]?.id ?? null;
  }, [focus, items]);

  useEffect(() => {
    // Move the keyboard focus only when it is on the list (or nowhere): a refresh that moved the row must not
    // take it from a box the agent is typing in.
    const active = document.activeElement;
    if (active && active !== document.body && !list.current?.contains(active)) return;
    const row = list.current?.querySelectorAll<HTMLElement>("tr")[focus];
    row?.querySelector<HTMLAnchorElement>("a")?.focus({ preventScroll: false });
  }, [focus]);

  return (
    <section class="queue" aria-labelledby="queue-title">
      <h1 id="queue-title">Tickets</h1>
      {limited ? <LimitedHint groups={groups} team={team} /> : null}
      {/* A customer who phoned or wrote to an agent's own address: the agent opens the ticket for them. */}
      <p><a class="button" href="#/new" data-testid="new-ticket">New ticket</a></p>
      <nav class="views" aria-label="Views">
        {VIEWS.map((v) => (
          <a
            key={v.id}
            href={`#/?view=${v.id}`}
            data-testid={`view-${v.id}`}
            title={v.hint}
            aria-current={v.id === view.id && !savedId ? "page" : undefined}
            onClick={() => setCursors([null])}
          >
            {v.label} <span class="count">{counts[v.id] ?? "…"}</span>
          </a>
        ))}
      </nav>
      <SavedViewLinks views={saved.views} counts={saved.counts} current={savedId} me={me} ticketFields={ticketFields} onOpen={() => setRevision(revision + 1)}
        onDelete={(v) => {
          api.call("delete", "/views/{view_id}", { path: { view_id: v.id } })
            .then(() => { if (v.id === savedId) window.location.hash = "#/"; setRevision(revision + 1); })
            .catch(setError);
        }} />
      <Alert error={saved.error} />
      <MyReminders api={api} />
      <form class="filters" role="search" aria-label="Search tickets" onSubmit={(e) => { e.preventDefault(); setSearch(words.trim()); setRuns(runs + 1); }}>
        <label>
          Search{" "}
          <input type="search" name="q" data-testid="ticket-search" value={words} maxLength={512} size={30}
            onInput={(e) => { setWords(e.currentTarget.value); if (!e.currentTarget.value) setSearch(""); }} />
        </label>
        <button type="submit">Search</button>
        {search ? <button type="button" class="link" onClick={() => { setWords(""); setSearch(""); }}>Clear search</button> : null}
      </form>
      {savedId ? null : <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Priority{" "}
          <select value={priority} onChange={(e) => { setPriority(e.currentTarget.value as Priority | ""); setCursors([null]); }}>
            <option value="">any</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Tag{" "}
          <input value={tag} onChange={(e) => { setTag(e.currentTarget.value); setCursors([null]); }} size={12} />
        </label>
        <label>
          Group{" "}
          <select data-testid="filter-group" value={group} onChange={(e) => { setGroup(e.currentTarget.value); setCursors([null]); }}>
            <option value="">any</option>
            {team.groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            {group && !team.groups.some((g) => g.id === group) ? <option value={group}>{group}</option> : null}
          </select>
        </label>
        {view.assignee || view.unassigned ? null : (
          <label>
            Assignee{" "}
            <select data-testid="filter-assignee" value={assignee} onChange={(e) => { setAssignee(e.currentTarget.value); setCursors([null]); }}>
              <option value="">anyone</option>
              <option value={NOBODY}>unassigned</option>
              {team.users.filter((u) => u.active !== false || u.id === assignee)
                .sort((a, b) => shortName(a).localeCompare(shortName(b)))
                .map((u) => <option key={u.id} value={u.id}>{u.id === me ? `${shortName(u)} (me)` : shortName(u)}</option>)}
            </select>
          </label>
        )}
        <OrganizationFilter organizations={organizations} value={organization}
          onChange={(id) => { setOrganization(id); setCursors([null]); }} />
        <FormFilter forms={forms} value={form} onChange={(key) => { setForm(key); setCursors([null]); }} />
        <FieldFilter fields={ticketFields} value={fieldFilter} onChange={(f) => { setFieldFilter(f); setCursors([null]); }} />
        <span class="hint keys-hint">Keys: j/k move, Enter opens, r replies, x selects; on a ticket j/k open the next and previous, u the list, r the reply box; {sendKeys()} sends it; ? lists them all</span>
      </form>}
      {savedId ? null : (
        <SaveViewForm api={api} filters={filtersOf({ ...view, ...assigneeFilters(view, assignee), group, priority, tag, organization, form,
          fields: field ? [field] : [], snoozed: snoozedFilter(view) })}
          ticketFields={ticketFields}
          onSaved={(v) => { setRevision(revision + 1); window.location.hash = `#/?saved=${encodeURIComponent(v.id)}`; }} />
      )}
      {savedId && !search ? (
        savedView ? <><h2 data-testid="saved-view-title">{savedView.name}</h2>
          <SavedViewTickets api={api} view={savedView} tick={tick} me={me} ticketFields={ticketFields} team={team} /></>
          : <p aria-live="polite" data-testid="saved-view-missing">{saved.error ? "" : saved.loaded ? "No such saved view: it was deleted, or it is someone else's." : "Loading…"}</p>
      ) : search ? (<>
        <TicketSearchResults key={runs} api={api} q={search} me={me} filters={{ ...assigneeQuery(view, me, assignee),
          group: group || undefined, priority: priority || undefined, tag: tag.trim() || undefined,
          organization: organization || undefined, form: form || undefined, field: field ? [field] : undefined,
          follower: view.follower, link_type: view.link_type }} />
      </>) : <>
      <Alert error={error} />
      <BulkChange api={api} me={me} selection={selection} onChanged={() => setReloads(reloads + 1)} />
      {items === null ? (
        <p aria-live="polite">Loading…</p>
      ) : items.length === 0 ? (
        <p data-testid="queue-empty">No tickets in this view.</p>
      ) : (
        <TicketTable caption={`${view.label} tickets`} lines={items.map(lineOfTicket)} team={team} focus={focus} bodyRef={list}
          selection={selection} />
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </button>
        <button type="button" disabled={!next || !!view.local} onClick={() => next && setCursors([...cursors, next])}>
          Next
        </button>
      </nav>
      </>}
    </section>
  );
}

/** The view's own assignee rule ("Mine", "Unassigned") or else the filter's: what the list asks the API for. */
export function assigneeQuery(view: View, me: string, filter: string): { assignee?: string; unassigned?: boolean } {
  const picked = assigneeFilters(view, filter);
  return { assignee: picked.assignee === "me" ? me : picked.assignee, unassigned: picked.unassigned };
}

/** The same as a saved view keeps it: "me" stays "me" (whoever opens the view). */
export function assigneeFilters(view: View, filter: string): { assignee?: string; unassigned?: boolean } {
  if (view.assignee) return { assignee: view.assignee };
  if (view.unassigned || filter === NOBODY) return { unassigned: true };
  return filter ? { assignee: filter } : {};
}

/** For an agent limited to their groups: why the queue holds only some of the tenant's tickets. */
function LimitedHint({ groups, team }: { groups: string[]; team: { groups: { id: string; name: string }[] } }) {
  const names = groups.map((id) => team.groups.find((g) => g.id === id)?.name ?? id);
  return (
    <p class="hint" data-testid="limited-hint">
      {names.length
        ? `You see the tickets of your groups (${names.join(", ")}) and the ones assigned to you.`
        : "You see only the tickets assigned to you: you are in no group."}{" "}
      An admin changes this on the Team screen.
    </p>
  );
}
