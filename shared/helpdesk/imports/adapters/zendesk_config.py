"""What a Zendesk account's team configured, in the terms of this helpdesk (`ZendeskSource` reads it): its
vocabularies (statuses, priorities, channels, field types) and its macros, triggers and views. Each reader takes one
object as the API returns it; conditions and actions with no counterpart here are named, never dropped silently.
"""

from typing import Any, Literal

from helpdesk.imports.adapters.http import source_id
from helpdesk.imports.model import SourceAutomation, SourceField, SourceMacro, SourceRule, SourceView
from helpdesk.tickets.model import Channel, Priority, Status

STATUSES = {"new": Status.NEW, "open": Status.OPEN, "pending": Status.PENDING, "hold": Status.ON_HOLD,
            "solved": Status.RESOLVED, "closed": Status.CLOSED}
PRIORITIES = {"urgent": Priority.URGENT, "high": Priority.HIGH, "normal": Priority.NORMAL, "low": Priority.LOW}
CHANNELS = {"email": Channel.EMAIL, "web": Channel.WEB, "chat": Channel.CHAT, "native_messaging": Channel.CHAT,
            "messaging": Channel.CHAT}
# Custom field types -> kinds here; multiselect, lookup and partialcreditcard have none (named, not imported).
FIELD_KINDS: dict[str, Literal["text", "number", "checkbox", "dropdown", "date"]] = {
    "text": "text", "textarea": "text", "regexp": "text", "integer": "number", "decimal": "number",
    "checkbox": "checkbox", "tagger": "dropdown", "date": "date"}
# The system fields every ticket has (mapped by the ticket import itself, or Zendesk's own).
SYSTEM_FIELDS = frozenset({"subject", "description", "status", "custom_status", "tickettype", "priority",
                           "basic_priority", "group", "assignee"})
# A trigger's `via_id` condition (how the ticket came in) -> the channel here; the other ways have none.
VIA_CHANNELS = {"0": Channel.WEB, "4": Channel.EMAIL, "5": Channel.API, "29": Channel.CHAT}
KEYWORD_CONDITIONS = frozenset({"subject_includes_word", "comment_includes_word"})
# Conditions a trigger on new tickets may have that say nothing more at creation (a new ticket is always new).
CREATION_ONLY = ({"field": "status", "operator": "is", "value": "new"},
                 {"field": "status", "operator": "less_than", "value": "solved"})
# A view's status conditions compare in this order (`less_than solved`: the unsolved ones).
STATUS_ORDER = ("new", "open", "pending", "hold", "solved", "closed")
# A view ordered by any of these is ordered by creation, as views here are.
CREATION_ORDERS = frozenset({"created", "created_at", "nice_id", "id"})
# Zendesk's ticket type has no counterpart among a ticket's own fields here: it comes over as a dropdown field
# (teams report by it), its values the ticket's `type` and a macro's `type` action.
TICKET_TYPE = SourceField(id="type", title="Type", kind="dropdown", options={
    "question": "Question", "incident": "Incident", "problem": "Problem", "task": "Task"})


COMMENT_FIELDS = frozenset({"comment_value", "comment_value_html", "comment_mode_is_public"})


def zendesk_comment(actions: list[dict[str, Any]]) -> tuple[str | None, bool]:
    """The comment a macro's, trigger's or automation's actions add (its text, the HTML one as text when there is no
    plain one) and whether it is public."""
    text, html, public = None, None, True
    for action in actions:
        field, value = str(action.get("field") or ""), action.get("value")
        if field == "comment_value":  # the text, or [channel, text]
            text = str(value[-1]) if isinstance(value, list) and value else str(value or "")
        elif field == "comment_value_html":
            html = str(value or "")
        elif field == "comment_mode_is_public":
            public = str(value).lower() != "false"
    if not text and html:
        from helpdesk.mail.html import html_to_text

        text = html_to_text(html).strip()
    return text or None, public


def source_macro(m: dict[str, Any]) -> SourceMacro:
    """A Zendesk macro: its actions (`{field, value}` pairs) as a macro here does them; the others named."""
    text, public = zendesk_comment(m.get("actions") or [])
    found: dict[str, Any] = {"add_tags": [], "remove_tags": [], "field_values": {}, "unsupported": []}
    for action in m.get("actions") or []:
        field, value = str(action.get("field") or ""), action.get("value")
        if field in COMMENT_FIELDS:
            continue
        elif field == "status" and STATUSES.get(str(value)):
            found["status"] = STATUSES[str(value)]
        elif field == "priority" and str(value) in PRIORITIES:
            found["priority"] = PRIORITIES[str(value)]
        elif field == "group_id":
            found["group_id"] = source_id(value)
        elif field == "assignee_id" and value == "current_user":
            found["assign_to_me"] = True
        elif field in ("current_tags", "set_tags", "remove_tags"):
            tags = value if isinstance(value, list) else str(value or "").split()
            found["remove_tags" if field == "remove_tags" else "add_tags"].extend(str(t) for t in tags)
            if field == "set_tags":  # here a macro adds tags; it cannot take the others off
                found["unsupported"].append("replaced all tags there; here it adds its tags")
        elif field.startswith("custom_fields_"):
            found["field_values"][field.removeprefix("custom_fields_")] = value
        elif field == "type":
            found["field_values"][TICKET_TYPE.id] = value
        else:
            found["unsupported"].append(f"does not set {field} (nothing to set it to here)")
    restriction = m.get("restriction") or {}
    ids = restriction.get("ids") or ([restriction["id"]] if restriction.get("id") is not None else [])
    group_ids = [str(i) for i in ids] if restriction.get("type") == "Group" else []
    owner = str(ids[0]) if restriction.get("type") == "User" and ids else None
    return SourceMacro(id=str(m["id"]), title=str(m.get("title") or m["id"]),
                       description=str(m.get("description") or ""), active=bool(m.get("active", True)),
                       group_ids=group_ids, owner_id=owner, reply=text if public else None,
                       note=None if public else text, **found)


def source_rule(t: dict[str, Any]) -> SourceRule:
    """A Zendesk trigger as a routing rule here: it must run on creation (`update_type is Create`); its other
    conditions are keywords (`subject_includes_word` / `comment_includes_word`, one of them, or several under `any`),
    `via_id` (a channel) or `organization_id`; its actions a group, a priority and tags."""
    conditions = t.get("conditions") or {}
    every, some = list(conditions.get("all") or []), list(conditions.get("any") or [])
    found: dict[str, Any] = {"keywords": [], "channels": [], "organization_ids": [], "tags": [],
                             "conditions_unsupported": [], "actions_unsupported": []}
    unsupported = found["conditions_unsupported"]
    created = {"field": "update_type", "operator": "is", "value": "Create"}
    if created not in every:
        unsupported.append("it runs on changes there; rules here run on new tickets")
    keyword_sets = 0
    for c in [c for c in every if c.get("field") != "update_type" and c not in CREATION_ONLY]:
        field, operator, value = str(c.get("field")), str(c.get("operator")), str(c.get("value") or "")
        if field in KEYWORD_CONDITIONS and operator in ("includes", "is"):
            found["keywords"].extend(value.split() if operator == "includes" else [value])
            keyword_sets += 1
        elif field == "via_id" and operator == "is" and value in VIA_CHANNELS:
            found["channels"].append(VIA_CHANNELS[value])
        elif field == "organization_id" and operator == "is" and value:
            found["organization_ids"].append(value)
        else:
            unsupported.append(f"{field} {operator} {value}".strip())
    if some:
        if all(str(c.get("field")) in KEYWORD_CONDITIONS and c.get("operator") in ("includes", "is") for c in some):
            for c in some:
                value = str(c.get("value") or "")
                found["keywords"].extend(value.split() if c.get("operator") == "includes" else [value])
            keyword_sets += 1
        else:
            unsupported.append("its 'any' conditions are not all words of the subject or text")
    if keyword_sets > 1:  # words that must all appear: a rule here matches any one of its keywords
        unsupported.append("it asks for words in two places at once")
    for action in t.get("actions") or []:
        field, value = str(action.get("field") or ""), action.get("value")
        if field == "group_id":
            found["group_id"] = source_id(value)
        elif field == "priority" and str(value) in PRIORITIES:
            found["priority"] = PRIORITIES[str(value)]
        elif field in ("current_tags", "set_tags"):
            found["tags"].extend(str(v) for v in (value if isinstance(value, list) else str(value or "").split()))
        else:
            found["actions_unsupported"].append(f"its {field} action has no counterpart in a rule here")
    return SourceRule(id=str(t["id"]), title=str(t.get("title") or t["id"]), active=bool(t.get("active", True)),
                      **found)


def source_view(v: dict[str, Any]) -> SourceView:
    """A Zendesk view as a saved view here: its conditions (`all`, and `any` when those are all statuses) and its
    order; the conditions with no counterpart named."""
    conditions = v.get("conditions") or {}
    every, some = list(conditions.get("all") or []), list(conditions.get("any") or [])
    found: dict[str, Any] = {"field_values": {}, "conditions_unsupported": []}
    unsupported: list[str] = found["conditions_unsupported"]
    statuses = set(STATUS_ORDER)
    for c in every:
        field, operator, value = str(c.get("field")), str(c.get("operator")), c.get("value")
        text = "" if value is None else str(value)
        if field == "status" and status_set(operator, text) is not None:
            statuses &= status_set(operator, text) or set()
        elif operator != "is" or not _view_filter(found, field, text, value):
            unsupported.append(f"{field} {operator} {text}".strip())
    if some:
        sets = [status_set(str(c.get("operator")), str(c.get("value") or "")) if c.get("field") == "status"
                else None for c in some]
        if all(s is not None for s in sets):
            statuses &= set().union(*(s for s in sets if s is not None))
        else:
            unsupported.append("its 'any' conditions are not all about the status")
    if not statuses:
        unsupported.append("no status meets its status conditions")
    execution = v.get("execution") or {}
    sort_by = str(execution.get("sort_by") or "")
    restriction = v.get("restriction") or {}
    ids = restriction.get("ids") or ([restriction["id"]] if restriction.get("id") is not None else [])
    return SourceView(
        id=str(v["id"]), title=str(v.get("title") or v["id"]), active=bool(v.get("active", True)),
        group_ids=[str(i) for i in ids] if restriction.get("type") == "Group" else [],
        owner_id=str(ids[0]) if restriction.get("type") == "User" and ids else None,
        statuses=[] if statuses == set(STATUS_ORDER) else [STATUSES[s] for s in STATUS_ORDER if s in statuses],
        oldest_first=sort_by in CREATION_ORDERS and str(execution.get("sort_order")) == "asc",
        order_unsupported=sort_by if sort_by and sort_by not in CREATION_ORDERS else None, **found)


def _view_filter(found: dict[str, Any], field: str, text: str, value: Any) -> bool:
    """A view's `field is value` condition into `found` (SourceView's fields); False for one with no counterpart."""
    if field == "assignee_id":
        if text == "current_user":
            found["assignee"] = "me"
        elif text == "":
            found["unassigned"] = True
        else:
            found["assignee"] = text
    elif field == "group_id" and text == "current_groups":
        found["my_groups"] = True
    elif field == "group_id" and text:
        found["group_id"] = text
    elif field == "priority" and text in PRIORITIES:
        found["priority"] = PRIORITIES[text]
    elif field == "current_tags" and len(text.split()) == 1:
        found["tag"] = text.strip()
    elif field == "organization_id" and text:
        found["organization_id"] = text
    elif field == "ticket_form_id" and text:
        found["form_id"] = text
    elif field == "via_id" and text in VIA_CHANNELS:
        found["channel"] = VIA_CHANNELS[text]
    elif field in ("type", "ticket_type_id") and text in TICKET_TYPE.options:
        found["field_values"][TICKET_TYPE.id] = text
    elif field.startswith("custom_fields_") and text:
        found["field_values"][field.removeprefix("custom_fields_")] = value
    else:
        return False
    return True


def status_set(operator: str, value: str) -> set[str] | None:
    """The statuses a status condition lets through; None for one this cannot read."""
    if value not in STATUS_ORDER:
        return None
    at = STATUS_ORDER.index(value)
    chosen = {"is": STATUS_ORDER[at:at + 1], "is_not": STATUS_ORDER[:at] + STATUS_ORDER[at + 1:],
              "less_than": STATUS_ORDER[:at], "greater_than": STATUS_ORDER[at + 1:]}.get(operator)
    return set(chosen) if chosen is not None else None


def source_automation(a: dict[str, Any]) -> SourceAutomation:
    """A Zendesk automation (hourly, on conditions such as "hours since solved"), named with what does its work here:
    Zendesk's default ones close solved tickets, remind on pending ones and ask for a rating."""
    conditions = [*((a.get("conditions") or {}).get("all") or []), *((a.get("conditions") or {}).get("any") or [])]
    actions = {str(x.get("field")): x.get("value") for x in a.get("actions") or []}
    hours = {str(c.get("field")): c.get("value") for c in conditions
             if str(c.get("operator")) in ("is", "greater_than", "greater_than_business_hours")}

    def days(field: str) -> str:
        try:
            count = max(1, round(float(hours[field]) / 24))
        except (TypeError, ValueError):
            return "some days"
        return "a day" if count == 1 else f"{count} days"

    if actions.get("status") == "closed" and "SOLVED" in hours:
        counterpart = (f"it closed solved tickets after {days('SOLVED')}: here an SLA policy's auto_close_days does "
                       "(the SLA screen)")
    elif "PENDING" in hours and ("notification_user" in actions or "status" in actions):
        counterpart = (f"it acted on tickets pending for {days('PENDING')}: here an SLA policy's pending_reminder_days "
                       "and pending_resolve_days remind the customer and resolve (the SLA screen)")
    elif "satisfaction_score" in actions:
        counterpart = "it asked for a rating: here the rating mail goes when a ticket is solved"
    else:
        counterpart = ("rules on time have no counterpart here (an SLA policy's warnings, reminders and auto-close "
                       "are the time-based work this helpdesk does)")
    return SourceAutomation(id=str(a["id"]), title=str(a.get("title") or a["id"]), active=bool(a.get("active", True)),
                            counterpart=counterpart)
