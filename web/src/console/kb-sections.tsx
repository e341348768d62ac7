// The help centre's sections (admins): the order readers see them in, and a line under each heading. Articles name
// their section; the sections they name but this list lacks follow the listed ones by name, in the portal.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Kb } from "../api/schema/kb";
import { moved } from "../shared/lists";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";

type SectionsView = Kb["schemas"]["HelpCenterSectionsView"];
type Section = Kb["schemas"]["HelpCenterSection"];

/** A section as the form holds it; `key` keeps each row's inputs with its section when one above moves. */
interface SectionDraft { key: number; name: string; description: string }

let nextKey = 0;
const toDraft = (s: Section): SectionDraft => ({ key: nextKey++, name: s.name, description: s.description ?? "" });
const fromDraft = (d: SectionDraft): Section => ({ name: d.name.trim(), description: d.description.trim() });

/** The sections `used` (by articles) that `drafts` lacks, in any case, each once, by name. */
export function missingSections(drafts: { name: string }[], used: string[]): string[] {
  const have = new Set(drafts.map((d) => d.name.trim().toLowerCase()));
  const missing = new Map<string, string>();
  for (const name of used) {
    const key = name.trim().toLowerCase();
    if (key && !have.has(key) && !missing.has(key)) missing.set(key, name.trim());
  }
  return [...missing.values()].sort((a, b) => a.localeCompare(b));
}

/** `used`: the sections the articles on the page name (offered to add when the list lacks them). */
export function HelpCenterSections({ api, used }: { api: ApiClient; used: string[] }) {
  const [view, setView] = useState<SectionsView | null>(null);
  const [drafts, setDrafts] = useState<SectionDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const show = (v: SectionsView) => {
    setView(v);
    setDrafts((v.sections ?? []).map(toDraft));
  };
  const load = () => api.get("/kb/sections").then(show);
  useEffect(() => {
    load().catch(setError);
  }, []);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    try {
      // the version read: a save over another admin's is 409 (the view's version is also its ETag)
      show((await api.call("put", "/kb/sections", { body: { sections: drafts.map(fromDraft) }, ifMatch: `"${view?.version ?? 0}"` })).data);
      setNotice("Sections saved: the help centre lists them in this order");
    } catch (err) {
      setError(err); // the drafts stay as typed
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  const change = (key: number, patch: Partial<SectionDraft>) => setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const missing = missingSections(drafts, used);
  if (!view) return <><h2>Help centre sections</h2><Alert error={error} />{error ? null : <p>Loading…</p>}</>;
  return (
    <form class="panel stack" aria-labelledby="kb-sections-title" onSubmit={(e) => void save(e)} data-testid="kb-sections" noValidate>
      <h2 id="kb-sections-title">Help centre sections</h2>
      <p class="hint">The order readers see the sections in, and a line under each heading. Sections articles use but this list lacks follow, by name; articles in none come last.</p>
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="the sections" onReload={reload} /></p>
      <ol class="stack">
        {drafts.map((d, i) => (
          <SectionRow key={d.key} draft={d} position={i + 1} first={i === 0} last={i === drafts.length - 1}
            onChange={(patch) => change(d.key, patch)} onMove={(step) => setDrafts((all) => moved(all, i, step))}
            onRemove={() => setDrafts((all) => all.filter((x) => x.key !== d.key))} />
        ))}
      </ol>
      {drafts.length === 0 ? <p>No sections listed: the help centre lists its sections by name.</p> : null}
      <div class="reply-actions">
        <button type="button" onClick={() => setDrafts((all) => [...all, toDraft({ name: "" })])}>Add section</button>
        {missing.length ? (
          <button type="button" data-testid="add-used-sections" onClick={() => setDrafts((all) => [...all, ...missing.map((name) => toDraft({ name }))])}>
            Add the sections articles use ({missing.join(", ")})
          </button>
        ) : null}
        <button type="submit">Save sections</button>
      </div>
    </form>
  );
}

function SectionRow({ draft, position, first, last, onChange, onMove, onRemove }: {
  draft: SectionDraft; position: number; first: boolean; last: boolean;
  onChange: (patch: Partial<SectionDraft>) => void; onMove: (step: number) => void; onRemove: () => void;
}) {
  const label = draft.name.trim() || `section ${position}`;
  return (
    <li class="filters" data-testid="kb-section">
      <label>Name <input name="section-name" value={draft.name} maxLength={100} onInput={(e) => onChange({ name: e.currentTarget.value })} /></label>
      <label>Line under the heading (optional)
        <input name="section-description" value={draft.description} maxLength={300} onInput={(e) => onChange({ description: e.currentTarget.value })} />
      </label>
      <button type="button" class="link" disabled={first} onClick={() => onMove(-1)}>Up <span class="sr-only">{label}</span></button>
      <button type="button" class="link" disabled={last} onClick={() => onMove(1)}>Down <span class="sr-only">{label}</span></button>
      <button type="button" class="link" onClick={onRemove}>Remove <span class="sr-only">{label}</span></button>
    </li>
  );
}
