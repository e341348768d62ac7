// The Macros screen (`#/macros`, all staff): the caller's macros by whom they are for (personal, a group's,
// the tenant's), what each does in one line, and new / edit / delete for those the caller may change
// (kernel/sharing.py: agents their own and their groups' macros, admins the tenant's too). A save sends the
// macro's version as If-Match: a 409 says someone changed it meanwhile and offers their version.
import { useEffect, useState } from "preact/hooks";
import { ApiError, versionTag, type ApiClient } from "../api/client";
import type { Group, Macro, MacroActions } from "../api/types";
import { statusText, when } from "../shared/format";
import { Alert } from "../shared/ui";
import { shownValue } from "./field-changes";
import { draftOf, EMPTY_MACRO, fieldsOf, MacroForm, snoozeText, type GroupChoice, type MacroFields } from "./macro-form";
import { useTicketFields } from "../shared/ticket-field-inputs";

/** Who asks: the role and the groups of their token (what the API decides by). */
export interface MacroCaller {
  admin: boolean;
  groups: string[];
}

/** What applying does, in one line ("Reply · Status → pending · Tags +vip −new · Plan → pro, Seats cleared"). */
export function macroSummary(actions: MacroActions, groupName: (id: string) => string = (id) => id,
  fieldLabel: (key: string) => string = (key) => key): string {
  const parts: string[] = [];
  if (actions.reply) parts.push("Reply");
  if (actions.note) parts.push("Internal note");
  if (actions.status) parts.push(`Status → ${statusText(actions.status)}`);
  if (actions.priority) parts.push(`Priority → ${actions.priority}`);
  if (actions.group) parts.push(`Group → ${groupName(actions.group)}`);
  if (actions.assign_to_me) parts.push("Assign to me");
  if (actions.snooze_hours) parts.push(`Snooze ${snoozeText(actions.snooze_hours)}`);
  const tags = [...(actions.add_tags ?? []).map((t) => `+${t}`), ...(actions.remove_tags ?? []).map((t) => `−${t}`)];
  if (tags.length) parts.push(`Tags ${tags.join(" ")}`);
  const values = Object.entries(actions.custom_fields ?? {}).map(([key, value]) =>
    value === null ? `${fieldLabel(key)} cleared` : `${fieldLabel(key)} → ${shownValue(value)}`);
  if (values.length) parts.push(values.join(", "));
  return parts.join(" · ");
}

/** Whether the API lets the caller change (or delete) a macro they see: kernel/sharing.py's `check_may_change`. */
export function mayChange(macro: Macro, caller: MacroCaller): boolean {
  const scope = macro.scope ?? "personal";
  if (scope === "tenant") return caller.admin;
  if (scope === "group") return caller.admin || caller.groups.length === 0 || caller.groups.includes(macro.group ?? "");
  return true; // a personal macro is seen by its owner alone
}

/** The groups the caller may give a macro to: admins and agents without groups any of the tenant's, other
 * agents the groups of their token. */
export function ownerGroups(caller: MacroCaller, groups: Group[]): GroupChoice[] {
  if (caller.admin || caller.groups.length === 0) return groups.map((g) => ({ id: g.id, name: g.name }));
  return caller.groups.map((id) => ({ id, name: groups.find((g) => g.id === id)?.name ?? id }));
}

interface Shelf {
  key: string;
  title: string;
  macros: Macro[];
}

/** The list as shown: personal first, then each group's, then the tenant's (the API's order within each). */
export function shelves(macros: Macro[], groupName: (id: string) => string): Shelf[] {
  const out = new Map<string, Shelf>();
  for (const m of macros) {
    const scope = m.scope ?? "personal";
    const key = scope === "group" ? `group:${m.group ?? ""}` : scope;
    const title = scope === "group" ? `Group: ${groupName(m.group ?? "")}` : scope === "tenant" ? "Everyone in the team" : "Only me";
    const shelf = out.get(key) ?? { key, title, macros: [] };
    shelf.macros.push(m);
    out.set(key, shelf);
  }
  const rank = (key: string) => (key === "personal" ? 0 : key === "tenant" ? 2 : 1);
  return [...out.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.title.localeCompare(b.title));
}

interface Editing {
  macro: Macro | null; // null: a new one
  etag: string | null;
  fields: MacroFields;
  stale: boolean; // the save met a 409
}

export function MacrosAdmin({ api, admin, groups: tokenGroups }: { api: ApiClient; admin: boolean; groups: string[] }) {
  const caller: MacroCaller = { admin, groups: tokenGroups };
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null); // a delete asks once more
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const ticketFields = useTicketFields(api);
  const load = async () => setMacros(await api.get("/macros"));
  useEffect(() => {
    load().catch(setError);
    api.get("/groups").then(setGroups).catch(() => setGroups([])); // names only: ids show without it
  }, []);
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const fieldLabel = (key: string) => ticketFields.find((f) => f.key === key)?.label ?? key;

  const open = (macro: Macro | null) => {
    setError(null);
    setNotice("");
    setConfirming(null);
    setEditing({ macro, etag: macro ? versionTag(macro) : null, fields: macro ? fieldsOf(macro) : EMPTY_MACRO, stale: false });
  };
  const change = (patch: Partial<MacroFields>) => setEditing((e) => (e ? { ...e, fields: { ...e.fields, ...patch } } : e));

  const save = async (target: Editing) => {
    setBusy(true);
    setError(null);
    setNotice("");
    const body = draftOf(target.fields);
    try {
      if (target.macro) {
        await api.call("put", "/macros/{macro_id}", { path: { macro_id: target.macro.id }, body, ifMatch: target.etag ?? undefined });
      } else {
        await api.call("post", "/macros", { body });
      }
      setEditing(null);
      setNotice(`Macro “${body.name}” ${target.macro ? "saved" : "created"}`);
      await load();
    } catch (e) {
      setError(e); // the form keeps what was typed
      if (target.macro && e instanceof ApiError && e.conflict) setEditing((cur) => (cur ? { ...cur, stale: true } : cur));
    } finally {
      setBusy(false);
    }
  };

  /** After a 409: the macro as it is now, in the form (the edits made here are dropped). */
  const reload = async (macro: Macro) => {
    setBusy(true);
    try {
      const r = await api.call("get", "/macros/{macro_id}", { path: { macro_id: macro.id } });
      setEditing({ macro: r.data, etag: r.etag ?? versionTag(r.data), fields: fieldsOf(r.data), stale: false });
      setError(null);
      setNotice(`Reloaded “${r.data.name}” as it is now`);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (macro: Macro) => {
    setConfirming(null);
    setError(null);
    setNotice("");
    try {
      await api.call("delete", "/macros/{macro_id}", { path: { macro_id: macro.id } });
      if (editing?.macro?.id === macro.id) setEditing(null);
      setNotice(`Macro “${macro.name}” deleted`);
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section aria-labelledby="macros-admin-title" data-testid="macros-admin">
      <h1 id="macros-admin-title">Macros</h1>
      <p class="hint">Canned replies and notes with placeholders, plus ticket changes, applied from a ticket's Macros menu in one click.</p>
      <p>
        <button type="button" data-testid="new-macro" disabled={editing !== null && editing.macro === null} onClick={() => open(null)}>New macro</button>
      </p>
      <Alert error={error}>
        {editing?.stale && editing.macro ? (
          <span data-testid="macro-conflict">
            {" "}Someone changed this macro since you opened it.{" "}
            <button type="button" class="link" disabled={busy} onClick={() => editing.macro && void reload(editing.macro)}>
              Reload their version
            </button>{" "}(your edits here are dropped), or Cancel.
          </span>
        ) : null}
      </Alert>
      <p role="status" class="notice" data-testid="macros-notice">{notice}</p>
      {editing ? (
        <MacroForm key={editing.macro?.id ?? "new"} title={editing.macro ? `Edit “${editing.macro.name}”` : "New macro"} fields={editing.fields} admin={admin}
          scopeGroups={ownerGroups(caller, groups)} groups={groups.map((g) => ({ id: g.id, name: g.name }))}
          ticketFields={ticketFields} busy={busy}
          onChange={change} onSubmit={() => void save(editing)} onCancel={() => { setEditing(null); setError(null); }} />
      ) : null}
      {macros === null ? (error ? null : <p>Loading…</p>) : macros.length === 0 ? (
        <p data-testid="macros-empty">No macros yet.</p>
      ) : (
        shelves(macros, groupName).map((shelf, i) => (
          <section key={shelf.key} class="panel" aria-labelledby={`macro-shelf-${i}`} data-testid="macro-shelf">
            <h2 id={`macro-shelf-${i}`}>{shelf.title}</h2>
            <ul class="macro-list">
              {shelf.macros.map((m) => (
                <MacroRow key={m.id} macro={m} summary={macroSummary(m.actions, groupName, fieldLabel)} changeable={mayChange(m, caller)}
                  confirming={confirming === m.id} onEdit={() => open(m)} onAskDelete={() => setConfirming(m.id)}
                  onKeep={() => setConfirming(null)} onDelete={() => void remove(m)} />
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}

function MacroRow({ macro, summary, changeable, confirming, onEdit, onAskDelete, onKeep, onDelete }: {
  macro: Macro;
  summary: string;
  changeable: boolean;
  confirming: boolean;
  onEdit: () => void;
  onAskDelete: () => void;
  onKeep: () => void;
  onDelete: () => void;
}) {
  const scope = macro.scope ?? "personal";
  return (
    <li data-testid="macro-row" data-macro-id={macro.id} data-scope={scope}>
      <strong data-testid="macro-name">{macro.name}</strong>
      {macro.description ? <span class="hint"> — {macro.description}</span> : null}
      <div class="method" data-testid="macro-summary">{summary}</div>
      <div class="hint">v{macro.version ?? 1} · changed {when(macro.updated_at)}</div>
      {!changeable ? (
        <div class="hint" data-testid="macro-read-only">{scope === "tenant" ? "Admins change the team's macros." : "The group's agents change it."}</div>
      ) : confirming ? (
        <span role="group" aria-label={`Delete the macro ${macro.name}?`}>
          <button type="button" class="danger" data-testid="delete-macro-confirm" onClick={onDelete}>Delete “{macro.name}”</button>{" "}
          <button type="button" class="link" onClick={onKeep}>Keep</button>
        </span>
      ) : (
        <span class="actions">
          <button type="button" data-testid="edit-macro" onClick={onEdit}>Edit <span class="sr-only">{macro.name}</span></button>
          <button type="button" class="link" data-testid="delete-macro" onClick={onAskDelete}>Delete <span class="sr-only">{macro.name}</span></button>
        </span>
      )}
    </li>
  );
}
