"""The old helpdesk's macros brought over: each becomes a macro here (`macros`), its canned reply's placeholders
translated to this helpdesk's, its actions to the ones macros have here; what it did there that it cannot do here is
named in the report (`changed`), never silently dropped.

A macro restricted to groups there is a group macro here when the directory has its (first) group, else the tenant's;
one an agent kept for themselves is that agent's, when the directory knows their address. Its id here comes from its
id there, so a rerun skips the ones it made (and leaves edits made here since alone).
"""

import re
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import directory_user_id, matched_groups
from helpdesk.imports.fields import FieldMapping, field_value, plan_fields
from helpdesk.imports.model import ItemImportReport, SourceMacro
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.errors import DomainError
from helpdesk.kernel.principal import Principal, Role
from helpdesk.kernel.sharing import Scope
from helpdesk.kernel.text import MAX_TAG_CHARS, normalise_tags
from helpdesk.macros.model import MAX_MACRO_TAGS, MacroActions, MacroDraft
from helpdesk.macros.rendering import check_template
from helpdesk.macros.service import MacroService
from helpdesk.tickets.fields import TicketFieldDefinitions, TicketFields

# Zendesk's placeholders (Liquid) -> this helpdesk's (`macros.service.placeholders`).
ZENDESK_PLACEHOLDERS = {
    "ticket.id": "ticket.number", "ticket.title": "ticket.subject", "ticket.status": "ticket.status",
    "ticket.priority": "ticket.priority", "ticket.group.name": "ticket.group", "ticket.tags": "ticket.tags",
    "ticket.via": "ticket.channel", "ticket.created_at": "ticket.created_at",
    "ticket.requester.name": "requester.name", "ticket.requester.first_name": "requester.first_name",
    "ticket.requester.last_name": "requester.last_name", "ticket.requester.email": "requester.email",
    "current_user.name": "agent.name", "current_user.first_name": "agent.first_name",
    "current_user.email": "agent.email"}
# Zammad's variables (`#{...}`, text modules) -> this helpdesk's; `user` is the agent writing.
ZAMMAD_PLACEHOLDERS = {
    "ticket.number": "ticket.number", "ticket.title": "ticket.subject", "ticket.state.name": "ticket.status",
    "ticket.priority.name": "ticket.priority", "ticket.group.name": "ticket.group",
    "ticket.created_at": "ticket.created_at", "ticket.customer.firstname": "requester.first_name",
    "ticket.customer.lastname": "requester.last_name", "ticket.customer.fullname": "requester.name",
    "ticket.customer.email": "requester.email", "user.firstname": "agent.first_name", "user.fullname": "agent.name",
    "user.email": "agent.email"}
_ZENDESK_TOKEN = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.DOTALL)
_ZENDESK_NAME = re.compile(r"^\{\{\s*([\w.]+)\s*(\|[^}]*)?\}\}$")
_ZENDESK_FIELD = re.compile(r"^ticket\.ticket_field_(?:option_title_)?(\d+)$")
_ZAMMAD_TOKEN = re.compile(r"(#\{[^{}]*\})")
_ZAMMAD_NAME = re.compile(r"^#\{\s*([\w.]+)\s*\}$")
_OPENERS = ("{{", "{%", "{#")

Translator = Callable[[str, Mapping[str, str]], tuple[str, list[str]]]


def imported_macro_id(tenant_id: str, source: str, source_id: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"helpdesk-import-macro:{tenant_id}:{source}:{source_id}").hex


def zendesk_template(text: str, fields: Mapping[str, str]) -> tuple[str, list[str]]:
    """A Zendesk macro text (Liquid placeholders) as a template here, and the placeholders or tags kept as written
    (shown to the customer as they are until someone edits the macro). `fields`: old field id -> key here."""
    def placeholder(token: str) -> str | None:
        match = _ZENDESK_NAME.match(token)
        name = match.group(1) if match else ""
        field = _ZENDESK_FIELD.match(name)
        if field:
            return "ticket.fields." + fields[field.group(1)] if field.group(1) in fields else None
        return ZENDESK_PLACEHOLDERS.get(name)

    return _translated(text, _ZENDESK_TOKEN, placeholder)


def zammad_template(text: str, fields: Mapping[str, str]) -> tuple[str, list[str]]:
    """A Zammad text module (`#{ticket.customer.firstname}` variables) as a template here; a custom attribute
    (`#{ticket.<name>}`) is its field here. `fields`: attribute name -> key here."""
    def placeholder(token: str) -> str | None:
        match = _ZAMMAD_NAME.match(token)
        name = match.group(1) if match else ""
        attribute = name.removeprefix("ticket.")
        if name.startswith("ticket.") and attribute in fields:
            return "ticket.fields." + fields[attribute]
        return ZAMMAD_PLACEHOLDERS.get(name)

    return _translated(text, _ZAMMAD_TOKEN, placeholder)


def _translated(text: str, tokens: re.Pattern[str], placeholder: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """`text` split at `tokens`: each token with a counterpart (`placeholder`) becomes ours, the others are kept as
    written; plain text that would read as a template here ("{{", "{%", "{#") is kept as written too."""
    parts: list[str] = []
    kept: list[str] = []
    for index, piece in enumerate(tokens.split(text)):
        if not piece:
            continue
        if index % 2:  # a token (split keeps them at odd positions)
            target = placeholder(piece)
            if target is not None:
                parts.append("{{ " + target + " }}")
                continue
            kept.append(piece)
        parts.append(_literal(piece) if any(o in piece for o in _OPENERS) else piece)
    template = "".join(parts)
    try:
        check_template(template, "template")
    except DomainError:  # something the translation did not foresee: the whole text as written
        return _literal(text), [text[:80]]
    return template, kept


def _literal(text: str) -> str:
    """`text` shown as written by the template ("{{ x }}" stays "{{ x }}"): a string constant, which no text can
    end early (a `{% raw %}` block ends at any "{% endraw %}" the text holds)."""
    return "{{ '" + text.replace("\\", "\\\\").replace("'", "\\'") + "' }}"


TRANSLATORS: dict[str, Translator] = {"zendesk": zendesk_template, "zammad": zammad_template}


def template_of(text: str | None, translate: Translator | None, keys: Mapping[str, str],
                changed: list[str]) -> str | None:
    """An old helpdesk's text (a macro's or a trigger's reply or note) as a template here: its placeholders this
    helpdesk's (`keys`: old field id -> key here), those without one kept as written and named in `changed`; the
    text as written when the source has no placeholders known here."""
    if not text:
        return None
    if translate is None:
        return _literal(text)
    template, kept = translate(text, keys)
    changed.extend(f"placeholder kept as written: {piece}" for piece in kept)
    return template


class MacroImport:
    def __init__(self, macros: MacroService, directory_store: DirectoryStore,
                 field_definitions: TicketFieldDefinitions) -> None:
        self._macros, self._store, self._field_definitions = macros, directory_store, field_definitions

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> ItemImportReport:
        """Every macro of `source` not imported before; run after the tickets, so the custom fields the macros set
        exist here (their values are read as the fields here take them). `catalog`: the source's lists as the
        ticket import read them."""
        catalog = catalog or SourceCatalog(source)
        report = ItemImportReport()
        translate = TRANSLATORS.get(source.name)
        current = self._field_definitions.view(caller)
        fields = plan_fields(TicketFields(fields=current.fields, forms=current.forms), catalog.ticket_fields,
                             source.name).mappings
        keys = {source_id: mapping.field.key for source_id, mapping in fields.items()}
        groups = matched_groups(self._store, caller.tenant_id, catalog.groups)
        people = catalog.people
        for old in source.macros():
            macro_id = imported_macro_id(caller.tenant_id, source.name, old.id)
            if self._macros.store.get(caller.tenant_id, macro_id) is not None:
                report.already_imported += 1
                continue
            owner = people.get(old.owner_id or "")
            owner_id = directory_user_id(self._store, caller.tenant_id, owner, staff_only=True)
            if old.owner_id and owner_id is None:
                report.skipped[old.title] = "the agent it belonged to is not in the directory"
                continue
            changed = list(old.unsupported)
            try:
                draft = self._draft(old, groups, fields, keys, owner_id, translate, changed)
            except ValueError as exc:  # more than a macro here holds (a reply over 16 KB, say)
                report.skipped[old.title] = str(exc).splitlines()[0][:300]
                continue
            if draft is None:
                report.skipped[old.title] = "it does nothing here (" + "; ".join(changed) + ")" if changed \
                    else "it does nothing"
                continue
            who = Principal(user_id=owner_id, tenant_id=caller.tenant_id, role=Role.AGENT) if owner_id else caller
            report.record(old.title, None if dry_run else partial(self._macros.create, who, draft, macro_id=macro_id),
                          changed)
        return report

    @staticmethod
    def _draft(old: SourceMacro, groups: Mapping[str, str], fields: Mapping[str, FieldMapping],
               keys: Mapping[str, str], owner_id: str | None, translate: Translator | None,
               changed: list[str]) -> MacroDraft | None:
        """`keys`: old field id -> key here (what placeholders of fields become)."""

        def text(value: str | None) -> str | None:
            return template_of(value, translate, keys, changed)

        values: dict[str, Any] = {}
        for source_id, raw in old.field_values.items():
            mapping = fields.get(source_id)
            try:
                if mapping is None:
                    raise ValueError("the field was not brought over")
                values[mapping.field.key] = field_value(mapping, raw)
            except ValueError as exc:
                changed.append(f"does not set field {source_id}: {exc}")
        group = groups.get(old.group_id or "")
        if old.group_id and group is None:
            changed.append("does not move the ticket to a group (no such group in the directory)")
        scope_group = next((groups[g] for g in old.group_ids if g in groups), None)
        if old.group_ids and scope_group is None:
            changed.append("shared with the whole team (its group is not in the directory)")
        if not old.active:
            changed.append("was inactive there")
        actions = MacroActions(reply=text(old.reply), note=text(old.note), status=old.status, priority=old.priority,
                               group=group, assign_to_me=old.assign_to_me,
                               add_tags=_tags(old.add_tags, changed), remove_tags=_tags(old.remove_tags, changed),
                               custom_fields=values)
        if actions.empty:
            return None
        scope = Scope.PERSONAL if owner_id else Scope.GROUP if scope_group else Scope.TENANT
        return MacroDraft(name=old.title[:200], description=old.description[:2000], scope=scope,
                          group=scope_group if scope == Scope.GROUP else None, actions=actions)




def _tags(tags: list[str], changed: list[str]) -> list[str]:
    """Tags as macros here take them (`MAX_MACRO_TAGS`, each at most `MAX_TAG_CHARS`); the others named."""
    normalised = normalise_tags(tags)
    kept = [t for t in normalised if len(t) <= MAX_TAG_CHARS][:MAX_MACRO_TAGS]
    dropped = [t for t in normalised if t not in kept]
    if dropped:
        changed.append(f"tags not kept: {', '.join(dropped)[:200]}")
    return kept
