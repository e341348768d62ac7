"""The tenant's custom ticket fields: what an admin defines ("Order number" text, "Plan" a dropdown of free, pro
and enterprise, "Affected users" a number, "Needs engineering" a checkbox) and agents fill in on a ticket.

Request forms (`TicketForm`, Zendesk's ticket forms) are in the same document: what a customer picks when they
open a ticket ("Billing question", "Bug report"), each asking its own fields and opening the ticket in its group,
so a field required for one kind of request is not asked of every other.

The definitions are one versioned document per tenant (`TicketFieldStore`). A ticket's `custom_fields` stays a
free-form JSON object: integrations put keys there that no definition names, and those are kept as sent. A key a
definition names must hold a value of its type; null clears it. An inactive field is no longer offered to agents,
but its values stay on the tickets that have them and are still accepted (an integration may still send them).
"""

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from helpdesk.kernel.errors import (
    Forbidden,
    InvalidAssignment,
    InvalidFieldValue,
    InvalidInput,
    MissingRequiredFields,
    TooLarge,
)
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.text import OneLine, collapsed, is_blank, stored_size
from helpdesk.tickets.model import MAX_CUSTOM_FIELDS, MAX_CUSTOM_FIELDS_BYTES

if TYPE_CHECKING:
    from helpdesk.audit.service import AuditTrail
    from helpdesk.tickets.ports import TicketFieldStore

FieldType = Literal["text", "number", "checkbox", "dropdown"]
MAX_FIELDS = 50
MAX_FORMS = 20
MAX_CONDITIONS = 50  # per form
KEY_PATTERN = r"^[a-z0-9_]{1,40}$"  # a field's or a form's stable id
MAX_OPTIONS = 50
MAX_TEXT_VALUE_CHARS = 1_000
AUDIT_KIND = "tickets.fields"


def _repeated(keys: list[str]) -> list[str]:
    """The keys that appear more than once, sorted (each key of a list is one thing)."""
    return sorted({k for k in keys if keys.count(k) > 1})




class TicketField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN,
                     description="the field's stable id: its key in a ticket's `custom_fields`")
    label: OneLine = Field(min_length=1, max_length=100, description="what agents read beside the input")
    type: FieldType
    options: list[str] = Field(default_factory=list, max_length=MAX_OPTIONS,
                               description="dropdown only (1 to 50): the values it offers, in order")
    description: OneLine = Field(default="", max_length=500, description="help text shown with the input")
    active: bool = Field(default=True, description="false: no longer offered on tickets; the values tickets "
                                                   "have stay, and are still accepted")
    required_to_resolve: bool = Field(default=False, description="an agent resolves or closes a ticket only "
                                                                 "with this field filled (a checkbox: ticked)")
    customer_visible: bool = Field(default=False, description="customers see its value on their ticket (the "
                                                              "portal); other fields are the team's")
    customer_editable: bool = Field(default=False, description="customers fill it in when they open a ticket "
                                                               "(the portal's form); implies `customer_visible`")
    required_for_customers: bool = Field(default=False, description="a customer opens a ticket (the portal, "
                                                                    "`POST /tickets`) only with this field "
                                                                    "filled; needs `customer_editable`. Mail "
                                                                    "and chat open tickets without it")

    @field_validator("options")
    @classmethod
    def _options(cls, values: list[str]) -> list[str]:
        cleaned = [collapsed(v) for v in values]
        if any(not v or len(v) > 100 for v in cleaned):
            raise ValueError("options are 1 to 100 characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("options are distinct")
        return cleaned

    @model_validator(mode="after")
    def _shape(self) -> "TicketField":
        if not self.label:
            raise ValueError("a label is needed")
        if self.type == "dropdown" and not self.options:
            raise ValueError(f"dropdown {self.key!r} needs 1 to {MAX_OPTIONS} options")
        if self.type != "dropdown" and self.options:
            raise ValueError(f"only a dropdown has options ({self.key!r} is {self.type})")
        if self.required_for_customers and not self.customer_editable:
            raise ValueError(f"{self.key!r} is required for customers only if they can fill it "
                             "(customer_editable)")
        if self.customer_editable:  # what a customer typed is theirs to see again
            self.customer_visible = True
        return self

    def check(self, value: Any) -> None:
        """`InvalidFieldValue` unless `value` is one of this field's type (None, which clears it, always is)."""
        if value is None or self._fits(value):
            return
        wanted = {"text": f"text of at most {MAX_TEXT_VALUE_CHARS} characters", "number": "a number",
                  "checkbox": "true or false", "dropdown": "one of its options"}[self.type]
        details: dict[str, Any] = {"field": "custom_fields", "key": self.key, "type": self.type}
        if self.type == "dropdown":
            details["options"] = self.options
        raise InvalidFieldValue(f"custom_fields.{self.key} ({self.label}) takes {wanted}", details)

    def filled(self, value: Any) -> bool:
        """What "required" asks of a value: there, not blank; a checkbox ticked."""
        if self.type == "checkbox":
            return value is True
        return value is not None and not (isinstance(value, str) and not value.strip())

    def _fits(self, value: Any) -> bool:
        match self.type:
            case "text":
                return isinstance(value, str) and len(value) <= MAX_TEXT_VALUE_CHARS
            case "number":  # a JSON number: bool is an int to Python, and NaN or infinity is no JSON
                return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            case "checkbox":
                return isinstance(value, bool)
            case "dropdown":
                return isinstance(value, str) and value in self.options


class FormCondition(BaseModel):
    """Fields of a form asked only when another of its fields has a value (Zendesk's conditional ticket fields):
    "Device" is "Laptop" asks "Serial number", and may require it. A shown field may decide another condition in
    turn (nested), but no field shows, through others, the field that shows it."""

    model_config = ConfigDict(extra="forbid")

    when: str = Field(pattern=KEY_PATTERN, description="a dropdown or checkbox the form asks")
    value: str | bool = Field(description="one of the dropdown's options, or true / false for the checkbox")
    show: list[str] = Field(min_length=1, max_length=MAX_FIELDS,
                            description="fields of the form asked only while `when` has `value` (and is asked)")
    required: list[str] = Field(default_factory=list, max_length=MAX_FIELDS,
                                description="those of `show` that must then be filled")

    @model_validator(mode="after")
    def _shape(self) -> "FormCondition":
        repeated = _repeated(self.show)
        if repeated:
            raise ValueError(f"a condition shows each field once: {', '.join(repeated)} repeated")
        if self.when in self.show:
            raise ValueError(f"{self.when!r} cannot show itself")
        extra = [k for k in self.required if k not in self.show]
        if extra:
            raise ValueError(f"a condition requires only fields it shows: {', '.join(extra)} is not in `show`")
        return self


class TicketForm(BaseModel):
    """A kind of request a customer picks when they open a ticket: the fields it asks, the group it opens in."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=KEY_PATTERN, description="the form's stable id: what `POST /tickets` "
                                                                "names in `form` and tickets carry")
    name: OneLine = Field(min_length=1, max_length=100, description="what customers pick, e.g. \"Billing question\"")
    description: OneLine = Field(default="", max_length=500, description="help text under the name")
    fields: list[str] = Field(default_factory=list, max_length=MAX_FIELDS,
                              description="keys of fields customers fill in (`customer_editable`), in the order "
                                          "the form asks them; its `required_for_customers` ones must be filled")
    group: str | None = Field(default=None, max_length=128, description="the group its tickets open in (a group "
                                                                        "of the directory); none: triage routes")
    active: bool = Field(default=True, description="false: no longer offered; tickets opened with it keep it")
    conditions: list[FormCondition] = Field(default_factory=list, max_length=MAX_CONDITIONS,
                                            description="fields asked only after a given answer to another; a "
                                                        "field no condition shows is always asked")

    @model_validator(mode="after")
    def _shape(self) -> "TicketForm":
        if not self.name:
            raise ValueError("a name is needed")
        repeated = _repeated(self.fields)
        if repeated:
            raise ValueError(f"form {self.key!r} asks each field once: {', '.join(repeated)} repeated")
        return self


class TicketFields(BaseModel):
    """What `PUT /ticket-fields` takes: the tenant's whole list, in the order agents see the fields, and the
    request forms customers pick from."""

    model_config = ConfigDict(extra="forbid")

    fields: list[TicketField] = Field(default_factory=list, max_length=MAX_FIELDS)
    forms: list[TicketForm] = Field(default_factory=list, max_length=MAX_FORMS)

    @field_validator("fields")
    @classmethod
    def _distinct_keys(cls, fields: list[TicketField]) -> list[TicketField]:
        repeated = _repeated([f.key for f in fields])
        if repeated:
            raise ValueError(f"each key once: {', '.join(repeated)} repeated")
        return fields

    @model_validator(mode="after")
    def _forms_ask_customer_fields(self) -> "TicketFields":
        repeated = _repeated([f.key for f in self.forms])
        if repeated:
            raise ValueError(f"each form key once: {', '.join(repeated)} repeated")
        fillable = {f.key for f in self.fields if f.customer_editable}
        for form in self.forms:
            foreign = [k for k in form.fields if k not in fillable]
            if foreign:
                raise ValueError(f"form {form.key!r} asks {', '.join(foreign)}: a form asks only fields customers "
                                 "fill in (customer_editable)")
            check_conditions(form, {f.key: f for f in self.fields})
        return self

    def asked(self, form: TicketForm, values: Mapping[str, Any]) -> dict[str, bool]:
        """The fields `form` asks given the answers in `values`, in its order: each key, and whether a condition that
        holds requires it. A field no condition shows is always asked; one a condition shows is asked while that
        condition holds and its own field is asked (so a chain of conditions is followed to its end)."""
        defined = {f.key: f for f in self.fields}
        shown = {key for condition in form.conditions for key in condition.show}
        asked = {key: False for key in form.fields if key not in shown}
        grew = True
        while grew:  # conditions are acyclic (`check_conditions`): at most one pass per level of nesting
            grew = False
            for condition in form.conditions:
                if condition.when in asked and _holds(defined.get(condition.when), values.get(condition.when),
                                                      condition.value):
                    for key in condition.show:
                        grew = grew or key not in asked
                        asked[key] = asked.get(key, False) or key in condition.required
        return {key: asked[key] for key in form.fields if key in asked}

    def form(self, key: str) -> TicketForm:
        """The active form `key`; `InvalidFieldValue` (422) for an unknown or inactive one."""
        found = next((f for f in self.forms if f.key == key and f.active), None)
        if found is None:
            offered = [f.key for f in self.forms if f.active]
            raise InvalidFieldValue(f"form {key!r} is not one of the request forms offered",
                                    {"field": "form", "form": key, "forms": offered})
        return found

    def check(self, values: Mapping[str, Any]) -> None:
        """`InvalidFieldValue` for the first key of `values` a field defines whose value is not of its type."""
        defined = {f.key: f for f in self.fields}
        for key, value in values.items():
            if key in defined:
                defined[key].check(value)


    def check_from_customer(self, values: Mapping[str, Any], *, required: bool = True,
                            form: TicketForm | None = None) -> None:
        """What a customer's new ticket may carry: values of the active fields they fill in (`customer_editable`),
        each of its type, and those `required_for_customers` filled. Every other key is the team's (a "churn
        risk", an integration's CRM id), so it is refused rather than dropped: the customer learns it was not
        taken. `required`: whether the fields required of customers must be filled (not where no form asks).
        `form`: the request form they picked: only its fields, its required ones. Without one, the required
        fields are those no active form asks (a field made for one kind of request is not asked of the rest)."""
        editable = {f.key: f for f in _filled_by_customers(self.fields)}
        required_here: dict[str, bool] = {}  # the form's fields asked with these answers; True: a condition requires it
        if form is not None:
            required_here = self.asked(form, values)
            editable = {k: editable[k] for k in required_here if k in editable}
            asked_elsewhere: set[str] = set()
        else:
            asked_elsewhere = {k for f in self.forms if f.active for k in f.fields}
        foreign = sorted(key for key, value in values.items() if value is not None and key not in editable)
        if foreign:
            where = f"the form {form.name!r} asks" if form is not None else "customers fill in"
            if form is not None and foreign[0] in form.fields:
                where = f"the form {form.name!r} asks with these answers ({_asked_when(form, foreign[0])})"
            raise InvalidFieldValue(f"custom_fields.{foreign[0]} is not a field {where}",
                                    {"field": "custom_fields", "key": foreign[0], "keys": foreign})
        self.check(values)
        missing = [f for f in editable.values() if required and (f.required_for_customers or required_here.get(f.key))
                   and f.key not in asked_elsewhere and not f.filled(values.get(f.key))]
        if missing:
            raise MissingRequiredFields(f"fill in {', '.join(f.label for f in missing)} to open a ticket",
                                        {"field": "custom_fields", "keys": [f.key for f in missing],
                                         "labels": [f.label for f in missing]})

    def require_to_resolve(self, values: Mapping[str, Any]) -> None:
        """`MissingRequiredFields` naming the active fields required to solve a ticket that `values` leave empty."""
        missing = [f for f in self.fields if f.active and f.required_to_resolve and not f.filled(values.get(f.key))]
        if missing:
            raise MissingRequiredFields(f"fill in {', '.join(f.label for f in missing)} before solving the ticket",
                                        {"field": "custom_fields", "keys": [f.key for f in missing],
                                         "labels": [f.label for f in missing]})


def check_conditions(form: TicketForm, defined: Mapping[str, TicketField]) -> None:
    """`ValueError` unless each condition of `form` names a dropdown or checkbox it asks, a value that field can
    have and fields it asks, and no field shows, through others, the field that shows it."""
    for condition in form.conditions:
        _check_condition(form, condition, defined)
    shows: dict[str, set[str]] = {}
    for condition in form.conditions:
        shows.setdefault(condition.when, set()).update(condition.show)
    for start in shows:
        seen, todo = set(), list(shows[start])
        while todo:
            key = todo.pop()
            if key == start:
                raise ValueError(f"form {form.key!r}: {start!r} shows, through its conditions, itself")
            if key not in seen:
                seen.add(key)
                todo.extend(shows.get(key, ()))


def _check_condition(form: TicketForm, condition: FormCondition, defined: Mapping[str, TicketField]) -> None:
    where = f"form {form.key!r}: the condition on {condition.when!r}"
    parent = defined.get(condition.when)
    if condition.when not in form.fields or parent is None:
        raise ValueError(f"{where} names a field the form does not ask")
    if parent.type not in ("dropdown", "checkbox"):
        raise ValueError(f"{where}: a condition's field is a dropdown or a checkbox, not {parent.type}")
    if parent.type == "checkbox" and not isinstance(condition.value, bool):
        raise ValueError(f"{where}: a checkbox is true or false")
    if parent.type == "dropdown" and condition.value not in parent.options:
        raise ValueError(f"{where}: {condition.value!r} is not one of its options")
    for key in condition.show:
        if key not in form.fields:
            raise ValueError(f"{where} shows {key!r}, which the form does not ask")


def _holds(field: TicketField | None, answer: Any, value: str | bool) -> bool:
    """Whether an answer is the condition's value: an unticked checkbox (no answer) is false."""
    if field is not None and field.type == "checkbox":
        return (answer is True) is value
    return isinstance(answer, str) and answer == value


def _asked_when(form: TicketForm, key: str) -> str:
    """When the form asks `key`, in words: "asked when device is Laptop"."""
    cases = [f"{c.when} is {str(c.value).lower() if isinstance(c.value, bool) else c.value}"
             for c in form.conditions if key in c.show]
    return "asked when " + " or ".join(cases)


class TicketFieldsView(TicketFields):
    version: int = Field(default=0, description="the definitions' version (0: none saved yet), also the ETag "
                                                "that `PUT` may name in If-Match")


MAX_FIELD_FILTERS = 5
MAX_FILTER_CHARS = 1_100  # a key and a text value of the longest a field holds


def scalar_values(values: Mapping[str, Any]) -> dict[str, str | float]:
    """A ticket's custom field values that are values: text, numbers and checkboxes at the top level (an
    integration's objects and lists are nothing to filter, search, report or name in a template)."""
    return {key: value for key, value in values.items() if isinstance(value, str | int | float)}


def field_text(value: str | float) -> str:
    """A value as filters, search and reports write it: a checkbox `true`/`false`, 40 for 40.0, text stripped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 40.0 and 40 are one number
    return str(value).strip()


def field_terms(values: Mapping[str, Any]) -> list[str]:
    """A ticket's custom field values as the `key=value` terms lists, views and search filter on. One form for
    every store: DynamoDB compares types, so a typed comparison would need the definitions at every read."""
    return sorted(f"{key}={field_text(value)}" for key, value in scalar_values(values).items() if field_text(value))


def field_filter(text: str) -> str:
    """`key:value` as a caller writes it (`?field=plan:enterprise`, `?field=needs_engineering:true`) -> the term
    `field_terms` stores; `InvalidInput` for anything else."""
    key, sep, value = text.partition(":")
    key, value = key.strip(), value.strip()
    if not sep or not key or not value or len(text) > MAX_FILTER_CHARS:
        raise InvalidInput("a field filter is key:value (e.g. plan:enterprise, needs_engineering:true)",
                           {"field": "field", "value": text[:100]})
    return f"{key}={value}"


def _field_condition(text: str) -> str:
    """A `key:value` a saved view or a trigger keeps, checked as `field_filter` checks a query's (ValueError, which
    pydantic reports, instead of InvalidInput), without the spaces around its key and value."""
    try:
        field_filter(text)
    except InvalidInput as exc:
        raise ValueError(exc.message) from exc
    key, _, value = text.partition(":")
    return f"{key.strip()}:{value.strip()}"


# A condition on a custom field's value in a model (a saved view's filter, a trigger's condition).
FieldCondition = Annotated[str, AfterValidator(_field_condition)]


def merged_values(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """A ticket's custom fields with `changes` applied as a JSON merge patch: each key sent is set, null removes it,
    keys not sent stay. Bounded as the request is, since repeated changes could otherwise grow the ticket."""
    merged = {**current, **changes}
    values = {key: value for key, value in merged.items() if value is not None}
    if len(values) > MAX_CUSTOM_FIELDS or stored_size(values) > MAX_CUSTOM_FIELDS_BYTES:
        raise TooLarge(f"a ticket has at most {MAX_CUSTOM_FIELDS} custom fields taking "
                       f"{MAX_CUSTOM_FIELDS_BYTES} bytes", {"field": "custom_fields"})
    return values


class TicketFieldDefinitions:
    """Admins define the fields; agents (and API clients) read them to fill them in. Customers do neither."""

    def __init__(self, store: "TicketFieldStore", *, audit: "AuditTrail | None" = None,
                 group_exists: Callable[[str, str], bool] | None = None) -> None:
        self._store, self._audit, self._group_exists = store, audit, group_exists

    def view(self, caller: Principal) -> TicketFieldsView:
        """Agents and admins: every field. A customer: the active fields they may see (labels for their tickets)."""
        fields, version = self._store.get(caller.tenant_id)
        if not caller.is_staff:
            return TicketFieldsView(fields=_shown_to_customers(fields.fields),
                                    forms=[f for f in fields.forms if f.active], version=version)
        return TicketFieldsView(fields=fields.fields, forms=fields.forms, version=version)

    def shown_to(self, caller: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
        """A ticket's custom field values as `caller` may see them: all for the team; for a customer, those of the
        fields marked `customer_visible` (no read when the ticket has none)."""
        if caller.is_staff:
            return dict(values)
        if not values:
            return {}
        visible = {f.key for f in _shown_to_customers(self._store.get(caller.tenant_id)[0].fields)}
        return {key: value for key, value in values.items() if key in visible}

    def replace(self, caller: Principal, fields: TicketFields,
                expected_version: int | None = None) -> TicketFieldsView:
        """The whole list; with `expected_version` (the view's), only if no one saved since (409 otherwise). A
        field left out is no longer defined: its values stay on tickets as keys no definition names."""
        if caller.role != Role.ADMIN:
            raise Forbidden("only admins define the ticket fields")
        _check_readable(fields)
        if self._group_exists is not None:  # a form's tickets open in its group: one the directory has
            for position, form in enumerate(fields.forms):
                if form.group is not None and not self._group_exists(caller.tenant_id, form.group):
                    raise InvalidAssignment(f"form {form.key!r}: no group {form.group!r} in this tenant",
                                            {"field": f"forms[{position}].group", "group": form.group})
        before, stored = self._store.get(caller.tenant_id)
        version = self._store.put(caller.tenant_id, fields, expected_version)
        if self._audit:  # never saved before: created
            self._audit.record(caller, AUDIT_KIND, caller.tenant_id, before if stored else None, fields)
        return TicketFieldsView(fields=fields.fields, forms=fields.forms, version=version)


def _check_readable(fields: TicketFields) -> None:
    """Labels, options and form names of nothing visible (zero-width characters) are refused when saved: checked
    here, not on the models, which also read what earlier versions stored."""
    for position, field in enumerate(fields.fields):
        if is_blank(field.label):
            raise InvalidInput(f"field {field.key!r} needs a label agents can read",
                               {"field": f"fields[{position}].label"})
        if any(is_blank(option) for option in field.options):
            raise InvalidInput(f"field {field.key!r} has an option of nothing readable",
                               {"field": f"fields[{position}].options"})
    for position, form in enumerate(fields.forms):
        if is_blank(form.name):
            raise InvalidInput(f"form {form.key!r} needs a name customers can read",
                               {"field": f"forms[{position}].name"})


def _shown_to_customers(fields: list[TicketField]) -> list[TicketField]:
    return [f for f in fields if f.active and f.customer_visible]


def _filled_by_customers(fields: list[TicketField]) -> list[TicketField]:
    return [f for f in fields if f.active and f.customer_editable]
