// The queue's filter by the request form tickets were opened with (`GET /tickets?form=<key>`, a saved view's
// `filters.form`): the tenant's forms by name, the inactive ones too (their tickets keep the form), marked.
import type { TicketForm } from "../api/types";

/** A form's name as the filter offers it; one no longer offered says so. */
export function formLabel(form: TicketForm): string {
  return (form.active ?? true) ? form.name : `${form.name} (inactive)`;
}

export function FormFilter({ forms, value, onChange }: {
  forms: TicketForm[];
  value: string;
  onChange: (key: string) => void;
}) {
  if (forms.length === 0 && !value) return null; // the tenant has no request forms
  return (
    <label>
      Form{" "}
      <select data-testid="filter-form" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Any form</option>
        {forms.map((f) => <option key={f.key} value={f.key}>{formLabel(f)}</option>)}
        {/* a link or saved view naming a form removed since (or the forms not read): the select still shows the filter */}
        {value && !forms.some((f) => f.key === value) ? <option value={value}>{value}</option> : null}
      </select>
    </label>
  );
}
