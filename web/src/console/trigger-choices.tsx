// The pickers a trigger's card is made of: checkboxes for a list condition or the events, the team's groups in a
// select, and a short list of chosen items (organisations) with a select to add one more.
import type { components as Tools } from "../api/schema/tools";
import type { Group } from "../api/types";

/** How a ticket came in, as the "Came in by" condition and a trigger's summary name it. */
export const CHANNELS: [Tools["schemas"]["Channel"], string][] = [["email", "mail"], ["chat", "chat"], ["web", "portal"], ["api", "API"]];

/** `chosen` with `value` ticked or not, in the order of `all` (the order the boxes show). */
function ticked<T>(all: T[], chosen: T[], value: T, on: boolean): T[] {
  const set = new Set(chosen);
  if (on) set.add(value); else set.delete(value);
  return [...all.filter((v) => set.has(v)), ...chosen.filter((v) => set.has(v) && !all.includes(v))];
}

/** Checkboxes for a list condition or the events, under a legend; none ticked means what `hint` says. */
export function Choices<T extends string>({ legend, name, all, chosen, onChange, hint }: {
  legend: string; name: string; all: [T, string][]; chosen: T[]; onChange: (chosen: T[]) => void; hint?: string;
}) {
  const values = all.map(([v]) => v);
  return (
    <fieldset>
      <legend>{legend}{hint ? <span class="hint"> ({hint})</span> : null}</legend>
      {all.map(([value, label]) => (
        <label class="check" key={value}>
          <input type="checkbox" name={`${name}-${value}`} checked={chosen.includes(value)}
            onChange={(e) => onChange(ticked(values, chosen, value, e.currentTarget.checked))} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** A select of the team's groups, with one the directory no longer has kept as it is. */
export function GroupOptions({ groups, current }: { groups: Group[]; current: string }) {
  return (
    <>
      {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      {current && !groups.some((g) => g.id === current) ? <option value={current}>{current} (not in the team)</option> : null}
    </>
  );
}

/** The chosen items of a long list (the tenant's organisations: up to a thousand, too many for checkboxes), each with
 * its Remove button, and a select offering the others; an id the list no longer has is kept as it is. */
export function PickedList({ legend, name, all, chosen, onChange, hint, readOnly = false }: {
  legend: string; name: string; all: [string, string][]; chosen: string[]; onChange: (chosen: string[]) => void; hint?: string;
  readOnly?: boolean;
}) {
  const label = (id: string) => all.find(([value]) => value === id)?.[1] ?? `${id} (no longer here)`;
  const others = all.filter(([value]) => !chosen.includes(value));
  return (
    <fieldset>
      <legend>{legend}{hint ? <span class="hint"> ({hint})</span> : null}</legend>
      {chosen.length ? (
        <ul class="picked" data-testid={`${name}-chosen`}>
          {chosen.map((id) => (
            <li key={id}>{label(id)}{" "}
              {readOnly ? null : <button type="button" class="link" onClick={() => onChange(chosen.filter((c) => c !== id))}>Remove <span class="sr-only">{label(id)}</span></button>}
            </li>
          ))}
        </ul>
      ) : null}
      {others.length && !readOnly ? (
        <select name={name} aria-label={`Add to: ${legend}`} value="" onChange={(e) => { const v = e.currentTarget.value; if (v) onChange([...chosen, v]); }}>
          <option value="">Add…</option>
          {others.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      ) : null}
    </fieldset>
  );
}
