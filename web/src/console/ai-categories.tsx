// The tenant's ticket categories (admins): what triage classifies new tickets into, each with the group it
// routes to and the priority it starts at. While the tenant has none, triage uses the built-in catalog, shown
// here as a template: saving it (edited or not) makes it the tenant's own.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../api/client";
import type { components as Assist } from "../api/schema/assist";
import type { Group } from "../api/types";
import { lines } from "../shared/lists";
import { useTrial } from "../shared/trial";
import { Alert } from "../shared/ui";
import { SavedMeanwhile } from "./saved-meanwhile";

type Category = Assist["schemas"]["Category"];
type CategoriesView = Assist["schemas"]["CategoriesView"];
type CategoryGuess = Assist["schemas"]["CategoryGuess"];
type StartPriority = NonNullable<Category["priority"]>;

const PRIORITIES: StartPriority[] = ["low", "normal", "high", "urgent"];

/** A category as the form holds it: examples as typed, one a line; "" for no group or no priority. */
export interface CategoryDraft {
  key: number; // keeps each card's inputs with its category when one above is removed
  added: boolean; // added on this screen and not saved yet: its card stays open while it is typed
  name: string;
  description: string;
  examples: string;
  group: string;
  priority: StartPriority | "";
}

let nextKey = 0;

export function toDraft(c: Category, added = false): CategoryDraft {
  return { key: nextKey++, added, name: c.name, description: c.description, examples: (c.examples ?? []).join("\n"), group: c.group ?? "", priority: c.priority ?? "" };
}

export function fromDraft(d: CategoryDraft): Category {
  return { name: d.name.trim(), description: d.description.trim(), examples: lines(d.examples), group: d.group || null, priority: d.priority || null };
}

export function TicketCategories({ api, groups }: { api: ApiClient; groups: Group[] }) {
  const [view, setView] = useState<CategoriesView | null>(null);
  const [drafts, setDrafts] = useState<CategoryDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const show = (v: CategoriesView) => {
    setView(v);
    setDrafts(v.categories.map((c) => toDraft(c)));
  };
  const load = () => api.get("/assist/categories").then(show);
  useEffect(() => {
    load().catch(setError);
  }, []);
  const save = async (categories: Category[], done: string) => {
    setError(null);
    setNotice("");
    try {
      // the version read: a save over another admin's is 409 (the view's version is also its ETag)
      show((await api.call("put", "/assist/categories", { body: { categories }, ifMatch: `"${view?.version ?? 0}"` })).data);
      setNotice(done);
    } catch (err) {
      setError(err); // the drafts stay as typed
    }
  };
  const reload = () => { setError(null); setNotice(""); load().catch(setError); };
  const change = (key: number, patch: Partial<CategoryDraft>) => setDrafts((all) => all.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const submit = (e: Event) => {
    e.preventDefault();
    void save(drafts.map(fromDraft), "Categories saved: new tickets are classified into them");
  };
  const backToBuiltin = () => {
    if (window.confirm("Remove your categories? Triage goes back to the built-in catalog.")) void save([], "Triage uses the built-in catalog again");
  };
  if (!view) return <><h2>Ticket categories</h2><Alert error={error} />{error ? null : <p>Loading…</p>}</>;
  return (
    // noValidate: a closed card's field cannot show the browser's bubble, so the API's 422 names it instead.
    <form class="panel stack" aria-labelledby="categories-title" onSubmit={submit} data-testid="ticket-categories" noValidate>
      <h2 id="categories-title">Ticket categories</h2>
      <p class="hint" data-testid="categories-source">
        {view.source === "builtin"
          ? "Triage uses the built-in catalog (an online shop's categories) until you save your own. Edit this template or replace it, then save."
          : "Triage classifies new tickets into these categories. Agents teach it by accepting or correcting a ticket's category."}
      </p>
      <Alert error={error} />
      <p role="status" class="notice">{notice} <SavedMeanwhile error={error} what="the categories" onReload={reload} /></p>
      {drafts.map((d, i) => (
        <CategoryCard key={d.key} draft={d} position={i + 1} groups={groups} learned={view.source === "tenant" ? view.learned?.[d.name] ?? 0 : null}
          onChange={(patch) => change(d.key, patch)} onRemove={() => setDrafts((all) => all.filter((x) => x.key !== d.key))} />
      ))}
      <CategoryTry api={api} categories={() => drafts.map(fromDraft)} />
      <div class="reply-actions">
        <button type="button" onClick={() => setDrafts((all) => [...all, toDraft({ name: "", description: "", examples: [] }, true)])}>Add category</button>
        {view.source === "tenant"
          ? <button type="button" class="link" onClick={backToBuiltin}>Use the built-in catalog</button>
          : <button type="button" class="link" onClick={() => setDrafts([])}>Clear the template</button>}
        <button type="submit" disabled={drafts.length === 0}>Save categories</button>
      </div>
    </form>
  );
}

function CategoryCard({ draft, position, groups, learned, onChange, onRemove }: {
  draft: CategoryDraft; position: number; groups: Group[]; learned: number | null;
  onChange: (patch: Partial<CategoryDraft>) => void; onRemove: () => void;
}) {
  const label = draft.name || `category ${position}`;
  return (
    // Closed, a category is one line; one added here is open for typing.
    <details class="panel" data-testid="category" open={draft.added}>
      <summary>
        <strong>{label}</strong> · {draft.group || "no group"} · {draft.priority || "priority as suggested"}
        {" · "}{lines(draft.examples).length} examples{learned ? `, ${learned} learned` : ""}
      </summary>
      <div class="stack">
        <label>Name (lower case letters, digits and _; tickets get the tag category:name)
          <input name="category-name" value={draft.name} required maxLength={64} pattern="[a-z0-9_]+" onInput={(e) => onChange({ name: e.currentTarget.value })} />
        </label>
        <label>What tickets of this category are about
          <input name="category-description" value={draft.description} required maxLength={500} onInput={(e) => onChange({ description: e.currentTarget.value })} />
        </label>
        <label>Examples a customer writes (one a line, up to 20)
          <textarea name="category-examples" rows={3} value={draft.examples} onInput={(e) => onChange({ examples: e.currentTarget.value })} />
        </label>
        <div class="filters">
          <label>Routes to group
            <select name="category-group" value={draft.group} onChange={(e) => onChange({ group: e.currentTarget.value })}>
              <option value="">no group</option>
              {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
              {draft.group && !groups.some((g) => g.id === draft.group) ? <option value={draft.group}>{draft.group} (not in the team)</option> : null}
            </select>
          </label>
          <label>Starts at priority
            <select name="category-priority" value={draft.priority} onChange={(e) => onChange({ priority: PRIORITIES.find((p) => p === e.currentTarget.value) ?? "" })}>
              <option value="">as triage suggests</option>
              {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </label>
          <button type="button" class="link" onClick={onRemove}>Remove <span class="sr-only">{label}</span></button>
        </div>
      </div>
    </details>
  );
}

/** "api_errors (0.93), to platform; then subscriptions 0.04, sso_access 0.02" */
export function guessText(guess: CategoryGuess): string {
  if (!guess.category) return "No category: triage would leave it unclassified.";
  const then = (guess.ranking ?? []).filter(([name]) => name !== guess.category).map(([name, p]) => `${name} ${p.toFixed(2)}`);
  return `${guess.category} (${guess.confidence.toFixed(2)})${guess.group ? `, to ${guess.group}` : ""}${then.length ? `; then ${then.join(", ")}` : ""}`;
}

/** A ticket's text tried on the categories as they stand on the screen, saved or not: nothing is stored. */
function CategoryTry({ api, categories }: { api: ApiClient; categories: () => Category[] }) {
  const [text, setText] = useState("");
  const { result: guess, error, busy, run } = useTrial<CategoryGuess>();
  const guessIt = () => run(async () => (await api.call("post", "/assist/categories/try", { body: { text, categories: categories() } })).data);
  return (
    <div class="stack" data-testid="category-try">
      <label>Try a ticket as a customer writes it (with the categories above, saved or not)
        <textarea name="category-try-text" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <div><button type="button" disabled={busy || !text.trim()} onClick={() => void guessIt()}>Where would it go?</button></div>
      <Alert error={error} />
      {guess ? <p role="status" data-testid="category-guess">{guessText(guess)}</p> : null}
    </div>
  );
}
