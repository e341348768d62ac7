// A trigger's "If": the ticket as it stands after the change (status, the status before, priority, group, channel,
// tags, whether someone has it, the requester's organisation, custom fields) and the words of the change's message
// (a time trigger reads no change: the ticket as it stands).
import { PRIORITIES, STATUSES, type Group, type Organization, type TicketField, type TicketForm, type User } from "../api/types";
import { statusText } from "../shared/format";
import { FieldFilter, NO_FIELD_FILTER, type FieldFilterValue } from "./field-filter";
import type { TriggerDraft } from "./trigger-card";
import { CHANNELS, Choices, PickedList } from "./trigger-choices";

type Status = TriggerDraft["statuses"][number];
type Priority = TriggerDraft["priorities"][number];
type Edit = (patch: Partial<TriggerDraft>) => void;

const MAX_FIELD_CONDITIONS = 5; // as the API's (and a saved view's) field filters
const RATINGS: [TriggerDraft["ratings"][number], string][] = [["good", "good"], ["bad", "bad"]];

/** What a trigger's conditions and actions can name: the team's groups and active people, the tenant's
 * organisations, custom fields and request forms. */
export interface TriggerChoices {
  groups: Group[];
  organizations: Organization[];
  fields: TicketField[];
  forms: TicketForm[];
  staff: User[];
}

/** The custom field conditions, each a field and a value of its type (all must hold), and a button for one more. */
function FieldConditions({ fields, chosen, readOnly, onChange }: {
  fields: TicketField[]; chosen: FieldFilterValue[]; readOnly: boolean; onChange: (chosen: FieldFilterValue[]) => void;
}) {
  if (!fields.length && !chosen.length) return null; // the tenant defines no fields
  return (
    <fieldset data-testid="trigger-if-fields">
      <legend>Custom fields <span class="hint">(all of these)</span></legend>
      {chosen.map((value, i) => (
        <div class="filters" key={i}>
          <FieldFilter fields={fields} value={value} onChange={(v) => onChange(chosen.map((c, j) => (j === i ? v : c)))} />
          {readOnly ? null : <button type="button" class="link" onClick={() => onChange(chosen.filter((_, j) => j !== i))}>Remove <span class="sr-only">field condition {i + 1}</span></button>}
        </div>
      ))}
      {!readOnly && chosen.length < MAX_FIELD_CONDITIONS && fields.length
        ? <button type="button" class="link" onClick={() => onChange([...chosen, NO_FIELD_FILTER])}>Add a field condition</button> : null}
    </fieldset>
  );
}

/** `readOnly`: an agent's view, without the buttons that add and remove conditions. */
export function If({ draft, choices, readOnly, onChange }: { draft: TriggerDraft; choices: TriggerChoices; readOnly: boolean; onChange: Edit }) {
  const { groups, organizations, fields, forms } = choices;
  const formChoices: [string, string][] = [...forms.map((f): [string, string] => [f.key, f.name]),
    ...draft.forms.filter((key) => !forms.some((f) => f.key === key)).map((key): [string, string] => [key, `${key} (no longer here)`])];
  const groupChoices: [string, string][] = [...groups.map((g): [string, string] => [g.id, g.name]),
    ...draft.groups.filter((id) => !groups.some((g) => g.id === id)).map((id): [string, string] => [id, `${id} (not in the team)`])];
  return (
    <fieldset class="stack">
      <legend>If the ticket <span class="hint">(every condition set must hold; nothing ticked: any)</span></legend>
      <Choices legend="Status is" name="trigger-if-status" all={STATUSES.map((s): [Status, string] => [s, statusText(s)])}
        chosen={draft.statuses} onChange={(statuses) => onChange({ statuses })} />
      {draft.timed ? null : (
        <Choices legend="Status was (before the change)" name="trigger-if-from-status" all={STATUSES.map((s): [Status, string] => [s, statusText(s)])}
          chosen={draft.fromStatuses} onChange={(fromStatuses) => onChange({ fromStatuses })} />
      )}
      <Choices legend="Priority is" name="trigger-if-priority" all={PRIORITIES.map((p): [Priority, string] => [p, p])}
        chosen={draft.priorities} onChange={(priorities) => onChange({ priorities })} />
      {groupChoices.length ? <Choices legend="Group is" name="trigger-if-group" all={groupChoices} chosen={draft.groups} onChange={(g) => onChange({ groups: g })} /> : null}
      <Choices legend="Came in by" name="trigger-if-channel" all={CHANNELS} chosen={draft.channels} onChange={(channels) => onChange({ channels })} />
      {formChoices.length ? <Choices legend="Opened with the form" name="trigger-if-form" all={formChoices} chosen={draft.forms} onChange={(f) => onChange({ forms: f })} /> : null}
      <Choices legend="The customer rated it" name="trigger-if-rating" all={RATINGS} chosen={draft.ratings} onChange={(ratings) => onChange({ ratings })} />
      <label>Has all of these tags <input name="trigger-if-tags" value={draft.tags} placeholder="vip, outage" onInput={(e) => onChange({ tags: e.currentTarget.value })} /></label>
      <label>Has none of these tags <input name="trigger-if-without-tags" value={draft.withoutTags} onInput={(e) => onChange({ withoutTags: e.currentTarget.value })} /></label>
      <label>Assigned to someone
        <select name="trigger-if-assigned" value={draft.assigned} onChange={(e) => onChange({ assigned: e.currentTarget.value === "yes" ? "yes" : e.currentTarget.value === "no" ? "no" : "" })}>
          <option value="">any</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
      {organizations.length || draft.organizations.length ? (
        <PickedList legend="Requester's organisation is" hint="any of these" name="trigger-if-organization"
          all={organizations.map((o): [string, string] => [o.id, o.name])} chosen={draft.organizations}
          readOnly={readOnly} onChange={(chosen) => onChange({ organizations: chosen })} />
      ) : null}
      <FieldConditions fields={fields} chosen={draft.fields} readOnly={readOnly} onChange={(chosen) => onChange({ fields: chosen })} />
      {draft.timed ? null : (
        <label>The message mentions one of <span class="hint">(a reply or note; a new ticket's subject and description; whole words, any case; comma separated)</span>
          <input name="trigger-if-keywords" value={draft.keywords} placeholder="outage, is down" onInput={(e) => onChange({ keywords: e.currentTarget.value })} />
        </label>
      )}
    </fieldset>
  );
}
