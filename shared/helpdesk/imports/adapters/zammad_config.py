"""What a Zammad system's team configured, in the terms of this helpdesk (`ZammadSource` reads it): states and
priorities, text modules' HTML, macros, overviews, SLAs with their calendars, and triggers. Each reader takes one
object as the API returns it (ids of states and priorities resolved by the lists passed in); conditions and actions
with no counterpart here are named, never dropped silently.
"""

from datetime import date
from typing import Any

from helpdesk.imports.adapters.http import html_text, source_id
from helpdesk.imports.model import SourceCalendar, SourceMacro, SourceRule, SourceSlaPolicy, SourceView
from helpdesk.tickets.model import Priority, Status

# Zammad's default states; a state an admin added there is taken as open (someone still has to look at it).
STATES: dict[str, Status | None] = {
    "new": Status.NEW, "open": Status.OPEN, "pending reminder": Status.PENDING, "pending close": Status.PENDING,
    "closed": Status.CLOSED, "merged": Status.CLOSED, "removed": None}
PRIORITIES = {"1": Priority.LOW, "2": Priority.NORMAL, "3": Priority.HIGH}  # "1 low", "2 normal", "3 high"
UNASSIGNED = "1"  # Zammad's system user "-" owns every ticket nobody owns
# An overview ordered by any of these is ordered by creation, as views here are.
CREATION_ORDERS = frozenset({"created_at", "number", "id"})


def flat_conditions(raw: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Zammad's conditions by attribute, in either of its shapes: a dict by attribute name (its stock objects, older
    versions) or `{"operator": "AND", "conditions": [{"name", "operator", "value"}, ...]}` (the expert editor). Only
    conditions that must all hold flatten: OR, NOT or a nested group is named as having no counterpart."""
    if not isinstance(raw, dict):
        return {}, []
    if isinstance(raw.get("conditions"), list):
        combined = str(raw.get("operator") or "AND").upper()
        if combined != "AND":
            return {}, [f"conditions combined with {combined}"]
        flat: dict[str, dict[str, Any]] = {}
        for c in raw["conditions"]:
            if not isinstance(c, dict) or "name" not in c:
                return {}, ["a nested group of conditions"]
            if str(c["name"]) in flat:
                return {}, [f"two conditions on {c['name']}"]
            flat[str(c["name"])] = {k: v for k, v in c.items() if k != "name"}
        return flat, []
    return {str(k): v if isinstance(v, dict) else {"value": v} for k, v in raw.items()}, []


def source_macro(m: dict[str, Any], states: dict[str, str], priorities: dict[str, str],
                 fields: set[str]) -> SourceMacro:
    """A Zammad macro: its `perform` rules (`{"ticket.state_id": {"value": 4}, "article.note": {...}}`) as a macro
    here does them; the others named."""
    found: dict[str, Any] = {"add_tags": [], "remove_tags": [], "field_values": {}, "unsupported": []}
    for key, rule in (m.get("perform") or {}).items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        value = rule.get("value")
        attribute = str(key).removeprefix("ticket.")
        if key == "ticket.state_id" and STATES.get(states.get(str(value), "")):
            found["status"] = STATES[states[str(value)]]
        elif key == "ticket.priority_id" and priorities.get(str(value)):
            found["priority"] = PRIORITIES.get(priorities[str(value)].split(" ")[0], Priority.NORMAL)
        elif key == "ticket.group_id" and value not in (None, ""):
            found["group_id"] = str(value)
        elif key == "ticket.owner_id" and rule.get("pre_condition") == "current_user.id":
            found["assign_to_me"] = True
        elif key == "ticket.tags":
            tags = [t.strip() for t in str(value or "").split(",") if t.strip()]
            found["remove_tags" if rule.get("operator") == "remove" else "add_tags"].extend(tags)
        elif key == "article.note":
            body = html_text(rule.get("body"))
            if str(rule.get("internal", "true")).lower() == "false":  # a note the customer sees there, not mailed
                found["reply"] = body
                found["unsupported"].append("a public note there (not mailed); here a reply, mailed to the customer")
            else:
                found["note"] = body
        elif key.startswith("ticket.") and attribute in fields:
            found["field_values"][attribute] = value
        else:
            found["unsupported"].append(f"does not set {key} (nothing to set it to here)")
    return SourceMacro(id=f"macro:{m['id']}", title=str(m.get("name") or m["id"]), description=html_text(m.get("note")),
                       active=bool(m.get("active", True)), group_ids=[str(g) for g in m.get("group_ids") or []],
                       **found)


def source_view(o: dict[str, Any], states: dict[str, str], priorities: dict[str, str], fields: set[str]) -> SourceView:
    """A Zammad overview as a saved view here: its `condition` (`{"ticket.state_id": {"operator": "is", "value":
    ["1", "2"]}, "ticket.owner_id": {"operator": "is", "pre_condition": "current_user.id"}}`) and its order; the
    conditions with no counterpart named."""
    found: dict[str, Any] = {"field_values": {}, "conditions_unsupported": []}
    unsupported: list[str] = found["conditions_unsupported"]
    condition, combined = flat_conditions(o.get("condition"))
    unsupported.extend(combined)
    for key, rule in condition.items():
        if not _overview_filter(found, str(key), rule, states, priorities, fields):
            unsupported.append(f"{key} {rule.get('operator') or ''} {rule.get('pre_condition') or ''}".strip())
    order = o.get("order") or {}
    by = str(order.get("by") or "")
    users = [str(u) for u in o.get("user_ids") or []]
    return SourceView(id=f"overview:{o['id']}", title=str(o.get("name") or o["id"]),
                      active=bool(o.get("active", True)), owner_id=users[0] if len(users) == 1 else None,
                      oldest_first=by in CREATION_ORDERS and str(order.get("direction")).upper() == "ASC",
                      order_unsupported=by if by and by not in CREATION_ORDERS else None, **found)


def _overview_filter(found: dict[str, Any], key: str, rule: dict[str, Any], states: dict[str, str],
                     priorities: dict[str, str], fields: set[str]) -> bool:
    """One overview condition into `found` (SourceView's fields); False for one with no counterpart."""
    operator, pre = str(rule.get("operator") or "is"), str(rule.get("pre_condition") or "specific")
    raw = rule.get("value")
    values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
    attribute = key.removeprefix("ticket.")
    if key == "ticket.state_id" and operator in ("is", "is not"):
        named = {STATES.get(states.get(v, "")) for v in values} - {None}
        known = {s for s in STATES.values() if s is not None}
        chosen = named if operator == "is" else known - named
        found["statuses"] = [s for s in Status if s in chosen]
        return bool(chosen)
    if key == "ticket.tags" and operator in ("contains one", "contains all"):
        tags = [t.strip() for v in values for t in v.split(",") if t.strip()]
        if len(tags) != 1:
            return False
        found["tag"] = tags[0]
        return True
    if operator != "is":
        return False
    if key == "ticket.owner_id":
        if pre == "current_user.id":
            found["assignee"] = "me"
        elif pre == "not_set" or values == [UNASSIGNED]:
            found["unassigned"] = True
        elif pre == "specific" and len(values) == 1:
            found["assignee"] = values[0]
        else:
            return False
    elif key == "ticket.group_id" and len(values) == 1:
        found["group_id"] = values[0]
    elif key == "ticket.priority_id" and len(values) == 1 and priorities.get(values[0]):
        found["priority"] = PRIORITIES.get(priorities[values[0]].split(" ")[0], Priority.NORMAL)
    elif key == "ticket.organization_id" and pre == "specific" and len(values) == 1:
        found["organization_id"] = values[0]
    elif key.startswith("ticket.") and attribute in fields and len(values) == 1:
        found["field_values"][attribute] = raw[0] if isinstance(raw, list) else raw
    else:
        return False
    return True


def source_sla_policy(sla: dict[str, Any], priorities: dict[str, str]) -> SourceSlaPolicy:
    """A Zammad SLA: one set of minutes (first response, response, solution) for the tickets its `condition` picks,
    counted on its calendar."""
    found: dict[str, Any] = {"priorities": [], "group_ids": [], "tags": [], "conditions_unsupported": []}
    condition, combined = flat_conditions(sla.get("condition"))
    found["conditions_unsupported"].extend(combined)
    for key, rule in condition.items():
        raw = rule.get("value")
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
        operator = str(rule.get("operator") or "is")
        if key == "ticket.priority_id" and operator == "is" and all(priorities.get(v) for v in values) and values:
            found["priorities"] = [PRIORITIES.get(priorities[v].split(" ")[0], Priority.NORMAL) for v in values]
        elif key == "ticket.group_id" and operator == "is" and values:
            found["group_ids"] = values
        elif key == "ticket.tags" and operator == "contains one" and values:
            found["tags"] = [t.strip() for v in values for t in v.split(",") if t.strip()]
        else:
            found["conditions_unsupported"].append(f"{key} {operator}".strip())
    minutes = {kind: int(sla[name]) for name, kind in (("first_response_time", "first_response"),
                                                       ("response_time", "next_response"),
                                                       ("solution_time", "resolution"))
               if isinstance(sla.get(name), int | float) and sla[name] > 0}
    notes = ["its update time target has no counterpart here"] if sla.get("update_time") else []
    every = found["priorities"] or list(Priority)
    return SourceSlaPolicy(id=f"sla:{sla['id']}", title=str(sla.get("name") or sla["id"]),
                           calendar_id=source_id(sla.get("calendar_id")),
                           targets={p: dict(minutes) for p in every} if minutes else {}, targets_unsupported=notes,
                           **found)


def source_calendar(c: dict[str, Any]) -> SourceCalendar:
    """A Zammad calendar: an IANA time zone, `business_hours` per weekday (`active`, `timeframes`) and
    `public_holidays` by date."""
    hours = {day: [(str(a), str(b)) for a, b in (spec.get("timeframes") or [])]
             for day, spec in (c.get("business_hours") or {}).items() if isinstance(spec, dict) and spec.get("active")}
    holidays = [date.fromisoformat(day) for day, spec in (c.get("public_holidays") or {}).items()
                if not isinstance(spec, dict) or spec.get("active", True)]
    return SourceCalendar(id=str(c["id"]), name=str(c.get("name") or c["id"]), timezone=str(c.get("timezone") or "UTC"),
                          hours=hours, holidays=holidays)


def source_rule(t: dict[str, Any], states: dict[str, str], priorities: dict[str, str]) -> SourceRule:
    """A Zammad trigger as a routing rule here: it must act on creation (`ticket.action is create`); its other
    conditions are words of the title, subject or text (`contains`) and the customer's organisation; its actions a
    group, a priority and tags."""
    found: dict[str, Any] = {"keywords": [], "organization_ids": [], "tags": [], "conditions_unsupported": [],
                             "actions_unsupported": []}
    unsupported: list[str] = found["conditions_unsupported"]
    condition, combined = flat_conditions(t.get("condition"))
    unsupported.extend(combined)
    if (condition.get("ticket.action") or {}).get("value") != "create" or \
            (condition.get("ticket.action") or {}).get("operator", "is") != "is":
        unsupported.append("it runs on changes there; rules here run on new tickets")
    words = 0
    for key, rule in condition.items():
        operator, raw = str(rule.get("operator") or "is"), rule.get("value")
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
        if key == "ticket.action":
            continue
        if key in ("ticket.title", "article.subject", "article.body") and operator == "contains" and values:
            found["keywords"].extend(values)
            words += 1
        elif key == "ticket.organization_id" and operator == "is" and values:
            found["organization_ids"].extend(values)
        elif key == "ticket.state_id" and operator in ("is", "is not") and \
                ("new" in {states.get(v) for v in values}) == (operator == "is"):
            continue  # a new ticket is new: says nothing more on creation
        else:
            unsupported.append(f"{key} {operator}".strip())
    if words > 1:  # words that must all appear: a rule here matches any one of its keywords
        unsupported.append("it asks for words in two places at once")
    if found["keywords"]:
        found["actions_unsupported"].append("matches whole words here (there: any text containing them)")
    for key, rule in (t.get("perform") or {}).items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        value = rule.get("value")
        if key == "ticket.group_id" and value not in (None, ""):
            found["group_id"] = str(value)
        elif key == "ticket.priority_id" and priorities.get(str(value)):
            found["priority"] = PRIORITIES.get(priorities[str(value)].split(" ")[0], Priority.NORMAL)
        elif key == "ticket.tags" and rule.get("operator", "add") == "add":
            found["tags"].extend(tag.strip() for tag in str(value or "").split(",") if tag.strip())
        else:
            found["actions_unsupported"].append(f"its {key} action has no counterpart in a rule here")
    return SourceRule(id=f"trigger:{t['id']}", title=str(t.get("name") or t["id"]), active=bool(t.get("active", True)),
                      **found)
