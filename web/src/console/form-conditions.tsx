// A request form's conditions on the Ticket fields screen ("Asked only when…", Zendesk's conditional ticket fields):
// fields the form asks a customer only after a given answer to one of its dropdowns or checkboxes ("Device" is
// "Laptop" asks "Serial number", and may require it). A field no condition shows is always asked. Conditions may
// nest: a field a condition shows may decide another one.
import type { FormCondition } from "../api/types";
import { lines } from "../shared/lists";
import type { FieldDraft } from "./ticket-field-card";

export const MAX_CONDITIONS = 50; // per form, the API's

/** A condition as a form's draft holds it. Its fields are named by their FieldDraft ids, as the form's `fieldIds`
 * are, not by their keys: a new field's key follows its label while it is typed (and may be edited), and its
 * conditions must follow it; the keys are read back only when the screen is saved (`fromConditionDrafts`). */
export interface ConditionDraft {
  id: number; // keeps each row's inputs with its condition when one is removed
  when: number; // the dropdown or checkbox whose answer decides
  value: string | boolean; // one of the dropdown's options; true (ticked) or false for a checkbox
  show: number[]; // the fields then asked, in the order they were given or ticked
  required: number[]; // those of `show` then required
}

let nextId = 0;

const unique = (ids: number[]) => [...new Set(ids)];

/** The conditions as the API gave them, by field ids; one naming a field the screen does not have is left out
 * (the API checks them against the fields, so this does not happen). */
export function toConditionDrafts(conditions: FormCondition[], fields: FieldDraft[]): ConditionDraft[] {
  const idOf = (key: string) => fields.find((f) => f.key === key)?.id;
  const ids = (keys: string[]) => keys.map(idOf).filter((id): id is number => id !== undefined);
  return conditions.flatMap((c) => {
    const when = idOf(c.when);
    return when === undefined ? [] : [{ id: nextId++, when, value: c.value, show: ids(c.show), required: ids(c.required ?? []) }];
  });
}

/** The conditions as the API takes them, given the fields the form asks (`asked`) with their current keys. What
 * the screen's edits left over is dropped rather than sent for the API to refuse the whole save: a condition whose
 * field the form no longer asks, is no longer a dropdown or checkbox, or no longer has the value (an option renamed
 * or removed); the fields shown or required that the form no longer asks; then a condition left showing nothing. */
export function fromConditionDrafts(conditions: ConditionDraft[], asked: FieldDraft[]): FormCondition[] {
  const byId = new Map(asked.map((f) => [f.id, f]));
  const key = (id: number) => byId.get(id)!.key.trim();
  return conditions.flatMap((c) => {
    const when = byId.get(c.when);
    if (!when || !canHave(when, c.value)) return [];
    const show = unique(c.show).filter((id) => id !== c.when && byId.has(id));
    if (!show.length) return [];
    const required = unique(c.required).filter((id) => show.includes(id));
    return [{ when: key(c.when), value: c.value, show: show.map(key), required: required.map(key) }];
  });
}

/** Whether a field can decide a condition: a checkbox, or a dropdown with options. */
export function decides(field: FieldDraft): boolean {
  return field.type === "checkbox" || (field.type === "dropdown" && lines(field.options).length > 0);
}

/** Whether `value` is an answer `field` can have: one of a dropdown's options, true or false for a checkbox. */
function canHave(field: FieldDraft, value: string | boolean): boolean {
  if (field.type === "checkbox") return typeof value === "boolean";
  return field.type === "dropdown" && typeof value === "string" && lines(field.options).includes(value);
}

/** The answer a new condition on `field` starts with: its first option, or ticked. */
function firstValue(field: FieldDraft): string | boolean {
  return field.type === "checkbox" ? true : lines(field.options)[0] ?? "";
}

/** Whether field `from` shows, through the conditions (nested), field `to`. The conditions as drafted are followed,
 * even those about fields the form no longer asks: such a field may be ticked again, and with it its conditions,
 * so no condition is let make a loop the API would refuse. */
export function reaches(conditions: ConditionDraft[], from: number, to: number): boolean {
  const seen = new Set<number>();
  const todo = [from];
  while (todo.length) {
    const id = todo.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const c of conditions) if (c.when === id) todo.push(...c.show);
  }
  return false;
}

const nameOf = (field: FieldDraft | undefined) => (field ? field.label || field.key : "a field the form no longer asks");

/** The "Asked only when…" part of a form's card: a row per condition, then "Add condition". `asked`: the fields the
 * form asks (those customers fill in), in the order of the fields' list. */
export function FormConditions({ formId, formName, conditions, asked, onChange }: {
  formId: number; formName: string; conditions: ConditionDraft[]; asked: FieldDraft[];
  onChange: (conditions: ConditionDraft[]) => void;
}) {
  const deciding = asked.filter(decides);
  const change = (id: number, patch: Partial<ConditionDraft>) =>
    onChange(conditions.map((c) => (c.id === id ? { ...c, ...patch } : c)));
  const add = () => {
    const first = deciding[0];
    if (first) onChange([...conditions, { id: nextId++, when: first.id, value: firstValue(first), show: [], required: [] }]);
  };
  const hintId = `form-${formId}-conditions-hint`;
  return (
    <fieldset data-testid="form-conditions">
      <legend>Asked only when…</legend>
      <p class="hint">
        Customers are asked the fields a condition ticks only after they give its answer (and only while its field is
        asked itself); a field marked required there is required only then. A field no condition ticks is always asked.
      </p>
      {conditions.map((c, i) => (
        <FormConditionRow key={c.id} condition={c} position={i + 1} asked={asked} conditions={conditions}
          onChange={(patch) => change(c.id, patch)} onRemove={() => onChange(conditions.filter((x) => x.id !== c.id))} />
      ))}
      <div class="reply-actions">
        <button type="button" onClick={add} disabled={!deciding.length || conditions.length >= MAX_CONDITIONS}
          aria-describedby={deciding.length ? undefined : hintId}>
          Add condition <span class="sr-only">to {formName}</span>
        </button>
      </div>
      {deciding.length ? null : (
        <p class="hint" id={hintId}>
          A condition starts from an answer to a dropdown or a checkbox: tick one the form asks above first.
        </p>
      )}
    </fieldset>
  );
}

/** One condition: "When [field] is [answer], ask: [fields], each maybe required", and its Remove button. */
export function FormConditionRow({ condition, position, asked, conditions, onChange, onRemove }: {
  condition: ConditionDraft; position: number; asked: FieldDraft[]; conditions: ConditionDraft[];
  onChange: (patch: Partial<ConditionDraft>) => void; onRemove: () => void;
}) {
  const when = asked.find((f) => f.id === condition.when);
  const deciding = asked.filter(decides);
  const others = conditions.filter((c) => c.id !== condition.id);
  const pickWhen = (id: number) => {
    const field = asked.find((f) => f.id === id);
    if (!field) return;
    // a field cannot show itself, nor one that shows it (through other conditions)
    const show = condition.show.filter((s) => s !== id && !reaches(others, s, id));
    onChange({ when: id, value: canHave(field, condition.value) ? condition.value : firstValue(field), show,
      required: condition.required.filter((s) => show.includes(s)) });
  };
  const toggle = (id: number, on: boolean) => onChange(on
    ? { show: [...condition.show.filter((s) => s !== id), id] }
    : { show: condition.show.filter((s) => s !== id), required: condition.required.filter((s) => s !== id) });
  const require = (id: number, on: boolean) =>
    onChange({ required: on ? [...condition.required.filter((s) => s !== id), id] : condition.required.filter((s) => s !== id) });
  const summary = `condition ${position}: when ${nameOf(when)} is ${answerName(condition.value)}`;
  return (
    <fieldset class="form-condition" data-testid="form-condition">
      <legend class="sr-only">Condition {position}</legend>
      <label>When
        <select name="condition-when" value={String(condition.when)} onChange={(e) => pickWhen(Number(e.currentTarget.value))}>
          {deciding.map((f) => <option key={f.id} value={String(f.id)}>{nameOf(f)}</option>)}
          {when && decides(when) ? null : <option value={String(condition.when)}>{nameOf(when)} (not a dropdown or checkbox the form asks: dropped when saved)</option>}
        </select>
      </label>
      <AnswerSelect field={when} value={condition.value} onChange={(value) => onChange({ value })} />
      <fieldset class="condition-shows">
        <legend>ask</legend>
        {asked.filter((f) => f.id !== condition.when).map((f) => {
          const shown = condition.show.includes(f.id);
          const loops = !shown && reaches(others, f.id, condition.when);
          return (
            <span key={f.id} class="condition-show">
              <label class="check" title={loops ? `${nameOf(f)} shows, through other conditions, ${nameOf(when)}` : undefined}>
                <input type="checkbox" name="condition-show" value={f.key} checked={shown} disabled={loops}
                  onChange={(e) => toggle(f.id, e.currentTarget.checked)} />
                {nameOf(f)}
              </label>
              {shown ? (
                <label class="check">
                  <input type="checkbox" name="condition-required" value={f.key} checked={condition.required.includes(f.id)}
                    onChange={(e) => require(f.id, e.currentTarget.checked)} />
                  <span class="sr-only">{nameOf(f)} </span>required
                </label>
              ) : null}
            </span>
          );
        })}
      </fieldset>
      <div class="reply-actions">
        <button type="button" class="link" onClick={onRemove}>Remove <span class="sr-only">{summary}</span></button>
      </div>
    </fieldset>
  );
}

const answerName = (value: string | boolean) => (value === true ? "ticked" : value === false ? "not ticked" : value);

/** The answer a condition waits for: one of the dropdown's options, or ticked / not ticked for a checkbox. A value
 * the field can no longer have (an option renamed) stays listed, marked as dropped when saved. */
function AnswerSelect({ field, value, onChange }: {
  field: FieldDraft | undefined; value: string | boolean; onChange: (value: string | boolean) => void;
}) {
  const checkbox = field?.type === "checkbox";
  const choices: [string, string][] = checkbox
    ? [["true", "ticked"], ["false", "not ticked"]]
    : field?.type === "dropdown" ? lines(field.options).map((o) => [o, o]) : [];
  const current = String(value);
  return (
    <label>is
      <select name="condition-value" value={current}
        onChange={(e) => onChange(checkbox ? e.currentTarget.value === "true" : e.currentTarget.value)}>
        {choices.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
        {field && canHave(field, value) ? null : <option value={current}>{answerName(value)} (no longer an answer: dropped when saved)</option>}
      </select>
    </label>
  );
}
