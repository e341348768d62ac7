"""Custom ticket fields brought over: the old helpdesk's custom fields become the tenant's own (`TicketFields`, what
the Ticket fields screen edits) and each imported ticket keeps its values, converted to the field's type here.

A field is matched by its key (made from its title) so a rerun finds what the first run created: "Plan" is `plan`;
when the tenant has a `plan` of another kind, `plan_zendesk`. Kinds this helpdesk lacks are named, not guessed at: a
date is kept as text (2026-03-01), a dropdown whose options do not fit a dropdown here (more than 50, or names
repeated) as the text of the option chosen; a multi-select, a lookup or a card number field is not brought over.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from helpdesk.imports.model import SourceCondition, SourceField, SourceForm
from helpdesk.kernel.errors import InvalidFieldValue
from helpdesk.kernel.text import stored_size
from helpdesk.tickets.fields import (
    MAX_FIELD_FILTERS,
    MAX_FIELDS,
    MAX_FORMS,
    MAX_OPTIONS,
    MAX_TEXT_VALUE_CHARS,
    FormCondition,
    TicketField,
    TicketFields,
    TicketForm,
    check_conditions,
    field_text,
)
from helpdesk.tickets.model import IMPORT_SOURCE_NAMES, MAX_CUSTOM_FIELDS, MAX_CUSTOM_FIELDS_BYTES, ImportSource

_KEY_CHARS = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class FieldMapping:
    """One old field and the field here its values go to."""

    source: SourceField
    field: TicketField


@dataclass
class FieldPlan:
    """The tenant's fields with the imported ones added, and where each old field's values go."""

    fields: TicketFields
    mappings: dict[str, FieldMapping] = field(default_factory=dict)  # by the old field's id
    created: list[str] = field(default_factory=list)  # keys added
    matched: list[str] = field(default_factory=list)  # keys there already (an earlier run's, or the admin's)
    skipped: dict[str, str] = field(default_factory=dict)  # old field title -> why not
    forms: dict[str, str] = field(default_factory=dict)  # old form id -> the request form's key here
    forms_created: list[str] = field(default_factory=list)
    forms_matched: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # every old field's title by its id, brought over or not


def plan_fields(current: TicketFields, sources: Iterable[SourceField], source_name: ImportSource) -> FieldPlan:
    plan = FieldPlan(fields=current.model_copy(deep=True))
    for source in sources:
        plan.titles[source.id] = source.title
        if source.unsupported:
            plan.skipped[source.title] = f"a {source.unsupported} field has no counterpart here"
            continue
        wanted = _definition(source, source_name)
        found = _place(plan, wanted, source_name)
        if found is None:
            continue
        plan.mappings[source.id] = FieldMapping(source=source, field=found)
    return plan


def plan_forms(plan: FieldPlan, sources: Iterable[SourceForm]) -> FieldPlan:
    """The old ticket forms added to `plan` as request forms (a form's key from its name, found again on a rerun),
    each asking the fields of it customers fill in here; the tenant's limit of forms kept."""
    for source in sources:
        key = field_key(source.name, source.id)
        if any(form.key == key for form in plan.fields.forms):
            plan.forms[source.id] = key
            plan.forms_matched.append(key)
            continue
        if len(plan.fields.forms) >= MAX_FORMS:
            plan.skipped[f"form {source.name}"] = f"the tenant has {MAX_FORMS} request forms, the most it may"
            continue
        asked = [m.field.key for m in (plan.mappings.get(i) for i in source.field_ids)
                 if m is not None and m.field.customer_editable]
        form = TicketForm(key=key, name=source.name.strip()[:100] or key, fields=list(dict.fromkeys(asked)),
                          active=source.active)
        for condition in source.conditions:
            form = _with_condition(plan, form, condition, source.name)
        plan.fields.forms.append(form)
        plan.forms[source.id] = key
        plan.forms_created.append(key)
    return plan


def _with_condition(plan: FieldPlan, form: TicketForm, source: SourceCondition, form_name: str) -> TicketForm:
    """`form` with the old condition added, in the fields here (a dropdown's stored value becomes the option's
    name). A condition whose fields did not come over as ones customers fill, or that would loop, is named, not
    kept."""
    def key_of(source_id: str) -> str | None:
        mapped = plan.mappings.get(source_id)
        return mapped.field.key if mapped is not None and mapped.field.key in form.fields else None

    when, mapped = key_of(source.when), plan.mappings.get(source.when)
    show = [k for k in (key_of(i) for i in source.show) if k is not None and k != when]
    required = [k for k in (key_of(i) for i in source.required) if k is not None and k in show]
    value: str | bool | None = source.value
    if mapped is not None and mapped.field.type == "dropdown":
        value = mapped.source.options.get(str(source.value))
    elif mapped is not None and mapped.field.type == "checkbox" and isinstance(value, str):
        value = {"true": True, "false": False}.get(value.strip().lower())  # a checkbox's state sent as text
    where = f"condition on {plan.titles.get(source.when, source.when)} in form {form_name}"
    if when is None or value is None or not show:
        plan.skipped[where] = "its fields or its value did not come over as ones customers fill in here"
        return form
    condition = FormCondition(when=when, value=value, show=list(dict.fromkeys(show)),
                              required=list(dict.fromkeys(required)))
    added = form.model_copy(update={"conditions": [*form.conditions, condition]})
    try:
        check_conditions(added, {f.key: f for f in plan.fields.fields})
    except ValueError as exc:
        plan.skipped[where] = str(exc)
        return form
    return added


def _place(plan: FieldPlan, wanted: TicketField, source_name: ImportSource) -> TicketField | None:
    """The field `wanted`'s values go to: one with its key and kind (or a dropdown offering its options), else a
    new one under its key or `<key>_<source>`."""
    existing = {f.key: f for f in plan.fields.fields}
    for key in (wanted.key, f"{wanted.key}_{source_name}"[:40]):
        there = existing.get(key)
        if there is None:
            if len(plan.fields.fields) >= MAX_FIELDS:
                plan.skipped[wanted.label] = f"the tenant has {MAX_FIELDS} fields, the most it may"
                return None
            # beside the tenant's own field of that name, the label says which one came over ("Plan (Zendesk)")
            origin = IMPORT_SOURCE_NAMES[source_name]
            label = wanted.label if key == wanted.key else f"{wanted.label} ({origin})"[:100]
            created = wanted.model_copy(update={"key": key, "label": label})
            plan.fields.fields.append(created)
            plan.created.append(key)
            return created
        if there.type == wanted.type and set(wanted.options) <= set(there.options):
            if key not in plan.matched:
                plan.matched.append(key)
            return there
    plan.skipped[wanted.label] = f"fields {wanted.key!r} and {wanted.key}_{source_name!r} here are of another kind"
    return None


def _definition(source: SourceField, source_name: ImportSource) -> TicketField:
    labels = list(source.options.values())
    dropdown = source.kind == "dropdown" and 0 < len(labels) <= MAX_OPTIONS and len(set(labels)) == len(labels) \
        and all(0 < len(label) <= 100 for label in labels)
    kind = "dropdown" if dropdown else ("text" if source.kind in ("date", "dropdown") else source.kind)
    note = {"date": " (a date there)", "dropdown": " (a dropdown there)"}.get(source.kind, "") if kind == "text" else ""
    description = (source.description.strip() or f"Imported from {IMPORT_SOURCE_NAMES[source_name]}{note}")[:500]
    return TicketField(key=field_key(source.title, source.id), label=source.title.strip()[:100] or source.id,
                       type=kind, options=labels if dropdown else [], description=description,
                       active=source.active, required_to_resolve=source.required_to_resolve,
                       customer_visible=source.customer_visible or source.customer_editable,
                       customer_editable=source.customer_editable)


def field_key(title: str, fallback: str) -> str:
    """"Order number" -> `order_number`, "Rückruf?" -> `ruckruf`; `field_<id>` for a title with no letter left."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    key = _KEY_CHARS.sub("_", ascii_title).strip("_")[:40].strip("_")
    return key or f"field_{_KEY_CHARS.sub('_', fallback.lower())}"[:40]


def field_value(mapping: FieldMapping, raw: Any) -> Any:
    """An old value as the field here takes it; None for no value; ValueError for one it cannot take."""
    if raw is None or raw == "" or raw == []:
        return None
    source, target = mapping.source, mapping.field
    if source.kind == "dropdown":
        label = source.options.get(str(raw))
        if label is None:
            raise ValueError(f"{raw!r} is no option of {source.title!r}")
        return label
    if target.type == "checkbox":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "false"):
            return str(raw).lower() == "true"
        raise ValueError(f"{raw!r} is no checkbox value")
    if target.type == "number":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and _NUMBER.match(raw.strip()):
            number = float(raw)
            return int(number) if number.is_integer() else number
        raise ValueError(f"{raw!r} is no number")
    text = str(raw).strip()
    if len(text) > MAX_TEXT_VALUE_CHARS:
        raise ValueError(f"{len(text)} characters, over {MAX_TEXT_VALUE_CHARS}")
    return text or None


def ticket_values(mappings: Mapping[str, FieldMapping], raw_values: Mapping[str, Any],
                  problems: list[str]) -> dict[str, Any]:
    """A ticket's values by the fields here, within what a ticket may hold; what cannot come over is named in
    `problems` (one line per value)."""
    values: dict[str, Any] = {}
    for source_id, raw in raw_values.items():
        mapping = mappings.get(source_id)
        if mapping is None:
            continue
        try:
            value = field_value(mapping, raw)
            mapping.field.check(value)
        except (ValueError, ValidationError, InvalidFieldValue) as exc:
            problems.append(f"{mapping.source.title}: {str(exc).splitlines()[0][:200]}")
            continue
        if value is None:
            continue
        if len(values) >= MAX_CUSTOM_FIELDS or stored_size({**values, mapping.field.key: value}) \
                > MAX_CUSTOM_FIELDS_BYTES:
            problems.append(f"{mapping.source.title}: over the {MAX_CUSTOM_FIELDS_BYTES} bytes a ticket's fields take")
            continue
        values[mapping.field.key] = value
    return values


def field_conditions(mappings: Mapping[str, FieldMapping], raw_values: Mapping[str, Any],
                     missing: list[str]) -> list[str]:
    """An old view's or trigger's conditions on custom fields (by the old field's id) as the `key:value` terms views
    and triggers here take; each that cannot come over is named in `missing`."""
    terms = []
    for source_id, raw in raw_values.items():
        mapping = mappings.get(source_id)
        try:
            if mapping is None:
                raise ValueError("the field was not brought over")
            value = field_value(mapping, raw)
            text = field_text(value) if value is not None else ""
            if not text:
                raise ValueError("no value to filter by")
            terms.append(f"{mapping.field.key}:{text}")
        except ValueError as exc:
            missing.append(f"its condition on field {source_id}: {exc}")
    if len(terms) > MAX_FIELD_FILTERS:
        missing.append(f"it asks for more than {MAX_FIELD_FILTERS} fields")
    return terms
