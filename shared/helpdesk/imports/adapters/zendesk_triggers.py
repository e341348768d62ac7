"""Zendesk's triggers that run on updates as triggers here (`helpdesk.triggers`; one without `update_type` runs on new
tickets too, here as well); the ones that run only on creation (`update_type is Create`) are routing rules
(`zendesk_config.source_rule`).

What a Zendesk trigger waits for: a comment (`comment_is_public`, `role` of whoever wrote it), a field that changed
(`changed`, or `value`: changed to), else any update. Its other conditions (`all`, and `any` when those name one
field) are the status, priority, group, tags, the channel (`via_id`), the organisation, the ticket form, custom
fields and the comment's words (`comment_includes_word`); its actions set the status, priority, group, custom fields,
add or remove tags, take the assignee away or give the ticket to an agent (or to "the current user", the one who
made the change), mail the team or call a webhook (`ticket.triggered` here); an automation's mail to the requester
is the time trigger's reply here. Anything else (who the requester is, the ticket type, the subject's words, a
notification to someone else) has no counterpart: a condition keeps the trigger out, an action is left out and named.

Zendesk's automations (hourly, on "hours since ...") are time triggers here when their one time condition has a
counterpart (since created, updated, the requester's or the assignee's last update, open, pending, on hold, solved,
assigned) and every other condition and an action does (`source_time_trigger`); the others are named with what does
their work here."""

from typing import Any

from helpdesk.imports.adapters.http import source_id
from helpdesk.imports.adapters.zendesk_config import (
    COMMENT_FIELDS,
    PRIORITIES,
    STATUSES,
    VIA_CHANNELS,
    status_set,
    zendesk_comment,
)
from helpdesk.imports.model import SourceTrigger, acts
from helpdesk.tickets.model import Priority, Status
from helpdesk.triggers.model import CHANGE_EVENTS, MAX_TIMER_HOURS, TimerStart, TriggerTimer

CHANGED = {"status": "status_changed", "priority": "priority_changed", "group_id": "group_changed",
           "assignee_id": "assignee_changed", "satisfaction_score": "customer_rated"}
# Zendesk's satisfaction values and the rating here ("offered" / "unoffered": the survey itself, no counterpart).
RATINGS = {"good": "good", "goodwithcomment": "good", "bad": "bad", "badwithcomment": "bad"}
STATE_FIELDS = {"status": "statuses", "priority": "priorities", "group_id": "group_ids"}
# An automation's "hours since ..." and the time here a time trigger counts from (with what differs, if anything).
SINCE = {"NEW": ("created", None), "updated_at": ("updated", None),
         "requester_updated_at": ("customer_message", "the requester's last message (there: any update of theirs)"),
         "assignee_updated_at": ("team_message", "the team's last reply (there: any update of the assignee's)"),
         "OPEN": ("status_changed", None), "PENDING": ("status_changed", None), "HOLD": ("status_changed", None),
         "assigned_at": ("assigned", None), "SOLVED": ("resolved", None)}
# "Hours since pending" and the like wait from when the ticket took that status: here while it still has it.
SINCE_STATUS = {"OPEN": Status.OPEN, "PENDING": Status.PENDING, "HOLD": Status.ON_HOLD}
HOURS_OPERATORS = {"is", "greater_than", "is_business_hours", "greater_than_business_hours"}


def source_trigger(t: dict[str, Any]) -> SourceTrigger | None:
    """The trigger here for a Zendesk trigger that runs on updates; None for one that runs only on creation."""
    conditions = t.get("conditions") or {}
    every, some = list(conditions.get("all") or []), list(conditions.get("any") or [])
    if {"field": "update_type", "operator": "is", "value": "Create"} in every:
        return None
    found = _found()
    unsupported: list[str] = found["conditions_unsupported"]
    on, comment, role = _every(found, every, unsupported)
    _any(found, some, unsupported)
    if role is not None:
        written = {"customer_replied"} if role == "end_user" else {"agent_replied", "note_added"}
        if comment is None and role == "agent":
            unsupported.append("role is agent (a trigger here cannot tell who made a change other than a comment)")
        comment = written if comment is None else comment & written
    if found["from_statuses"] and comment is None:
        on.add("status_changed")
    if comment is not None:
        if not comment:
            unsupported.append("the comments it waits for are none a trigger here waits for (an end user's note)")
        on |= comment
    if found["keywords"]:
        found["actions_unsupported"].append("matches the comment's whole words here (there: any text containing them)")
    _actions(found, t.get("actions") or [])
    on = on or set(CHANGE_EVENTS)
    if not any(c.get("field") == "update_type" for c in every):
        on.add("ticket_created")  # it ran on new tickets there too
    return SourceTrigger(id=str(t["id"]), title=str(t.get("title") or t["id"]), active=bool(t.get("active", True)),
                         on=sorted(on), **found)


def _found() -> dict[str, Any]:
    """What a trigger or automation is read into (`SourceTrigger`'s fields), empty."""
    return {"statuses": [], "from_statuses": [], "priorities": [], "group_ids": [], "tags": [], "without_tags": [],
            "channels": [], "organization_ids": [], "field_values": {}, "form_ids": [], "keywords": [], "ratings": [],
            "add_tags": [], "remove_tags": [], "conditions_unsupported": [], "actions_unsupported": []}


def _every(found: dict[str, Any], every: list[dict[str, Any]],
           unsupported: list[str]) -> tuple[set[str], set[str] | None, str | None]:
    """The `all` conditions: what changed, the comment's kind and its writer's role, and the ticket's state."""
    on: set[str] = set()
    comment: set[str] | None = None
    role: str | None = None
    for c in every:
        field, operator, value = str(c.get("field")), str(c.get("operator")), str(c.get("value") or "")
        if field == "update_type" and value == "Change":
            continue
        if field in CHANGED and operator in ("changed", "value"):
            on.add(CHANGED[field])
            if operator == "value" and not (_rating(found, value) if field == "satisfaction_score"
                                            else _state(found, field, "is", [value])):
                unsupported.append(f"{field} changed to {value}")
        elif field == "status" and operator == "value_previous" and value in STATUSES:
            found["from_statuses"] = [STATUSES[value]]  # what it waits for: a comment, else the status's change
        elif field in STATE_FIELDS and operator in ("is", "is_not", "less_than", "greater_than"):
            if not _state(found, field, operator, [value]):
                unsupported.append(f"{field} {operator} {value}")
        elif field == "comment_is_public" and value in ("true", "false"):
            comment = {"customer_replied", "agent_replied"} if value == "true" else {"note_added"}
        elif field == "comment_is_public" and value == "not_relevant":
            continue
        elif field == "role" and operator == "is" and value in ("end_user", "agent"):
            role = value
        elif field == "current_tags" and operator == "includes" and len(value.split()) == 1:
            found["tags"].extend(value.split())
        elif field == "current_tags" and operator == "not_includes" and value.split():
            found["without_tags"].extend(value.split())
        elif not _ticket_condition(found, field, operator, c.get("value")):
            unsupported.append(f"{field} {operator} {value}".strip())
    return on, comment, role


def _ticket_condition(found: dict[str, Any], field: str, operator: str, raw: Any) -> bool:
    """The comment's words, the channel, the organisation or a custom field into `found`; False for anything else."""
    value = str(raw or "")
    if field == "comment_includes_word" and operator in ("includes", "is") and value.strip() and \
            not found["keywords"]:  # a second set would be words that must all appear: none here
        found["keywords"] = value.split() if operator == "includes" else [value.strip()]
    elif field == "via_id" and operator == "is" and value in VIA_CHANNELS:
        found["channels"].append(VIA_CHANNELS[value])
    elif field == "organization_id" and operator == "is" and value:
        found["organization_ids"].append(value)
    elif field.startswith("custom_fields_") and operator == "is" and value:
        found["field_values"][field.removeprefix("custom_fields_")] = raw
    elif field == "ticket_form_id" and operator == "is" and value:
        found["form_ids"].append(value)
    elif field == "satisfaction_score" and operator == "is":
        return _rating(found, value)
    else:
        return False
    return True


def _rating(found: dict[str, Any], value: str) -> bool:
    """Zendesk's satisfaction value as the rating condition; False for the survey's own states."""
    rating = RATINGS.get(value)
    if rating is None:
        return False
    found["ratings"] = [rating]
    if value.endswith("withcomment"):
        found["actions_unsupported"].append(f"matches every {rating} rating here (there: only one with a comment)")
    return True


def _state(found: dict[str, Any], field: str, operator: str, values: list[str]) -> bool:
    """Status, priority or group conditions as the trigger's lists; False for a value with no counterpart. A status
    compares in Zendesk's order too ("less than solved": the unsolved ones)."""
    if operator in ("less_than", "greater_than"):
        if field != "status" or len(values) != 1:
            return False
        operator, values = "is", sorted(status_set(operator, values[0]) or ())
    if field == "group_id":
        if operator != "is" or not all(values):
            return False
        found["group_ids"] = [*found["group_ids"], *values]
        return True
    names: dict[str, Any] = STATUSES if field == "status" else PRIORITIES
    if not all(v in names for v in values):
        return False
    chosen = {names[v] for v in values}
    if operator == "is_not":
        chosen = (set(Status) if field == "status" else set(Priority)) - chosen
    key = STATE_FIELDS[field]
    found[key] = sorted(set(found[key]) & chosen) if found[key] else sorted(chosen)
    return bool(found[key])


def _any(found: dict[str, Any], some: list[dict[str, Any]], unsupported: list[str]) -> None:
    """`any` conditions: one field's values (status is open or pending), else no counterpart."""
    if not some:
        return
    fields = {str(c.get("field")) for c in some}
    field = next(iter(fields))
    if len(fields) != 1 or field not in STATE_FIELDS or any(c.get("operator") != "is" for c in some) or \
            not _state(found, field, "is", [str(c.get("value") or "") for c in some]):
        unsupported.append("its 'any' conditions are not one status, priority or group among several")


def _actions(found: dict[str, Any], actions: list[dict[str, Any]], timed: bool = False) -> None:
    """The actions into `found`: the comment a public reply or a note (in Zendesk's placeholders: the import makes
    them this helpdesk's), each other one by itself. `timed`: an automation's (its mail to the requester is a reply)."""
    text, public = zendesk_comment(actions)
    if text:
        found["reply" if public else "note"] = text
    for action in actions:
        field = str(action.get("field") or "")
        if field not in COMMENT_FIELDS:
            _action(found, field, action.get("value"), timed)


def _action(found: dict[str, Any], field: str, value: Any, timed: bool = False) -> None:
    text = str(value) if value is not None else ""
    if field == "status" and text in STATUSES and STATUSES[text] != Status.NEW:
        found["status"] = STATUSES[text]
    elif field == "priority" and text in PRIORITIES:
        found["priority"] = PRIORITIES[text]
    elif field == "group_id" and text:
        found["group_id"] = source_id(value)
    elif field in ("current_tags", "remove_tags"):
        tags = [str(v) for v in (value if isinstance(value, list) else text.split())]
        found["add_tags" if field == "current_tags" else "remove_tags"].extend(tags)
    elif field == "assignee_id" and text == "":
        found["unassign"] = True
    elif field == "assignee_id" and text == "current_user":  # whoever made the change
        found["assign_to_actor"] = True
    elif field == "assignee_id" and text:
        found["assignee_id"] = source_id(value)
    elif field.startswith("custom_fields_") and value not in (None, ""):
        found.setdefault("set_field_values", {})[field.removeprefix("custom_fields_")] = value
    elif field in ("notification_webhook", "notification_target"):
        found["integrations"] = True
        found["actions_unsupported"].append(f"its {field} becomes a ticket.triggered event: subscribe the webhook to "
                                            "it here (POST /webhooks), its data.trigger.id names this trigger")
    elif timed and field == "notification_user" and isinstance(value, list) and len(value) == 3 and \
            str(value[0]) == "requester_id" and str(value[2]).strip() and not found.get("reply"):
        # An automation's mail to the requester ("still there?"): here the trigger's reply, which reaches them by mail
        # in the ticket's thread. A trigger's is not: those mail the requester the change's comment or the solution,
        # which the helpdesk mails itself here (a reply would say it twice).
        found["reply"] = str(value[2]).strip()
        found["actions_unsupported"].append("its mail to the requester is a reply in the ticket's thread here (the "
                                            "mail's own subject is not kept)")
    elif field in ("notification_user", "notification_group") and isinstance(value, list) and value and \
            str(value[0]) in ("assignee_id", "group_id"):
        found["notify"] = sorted({*found.get("notify", []), "assignee" if value[0] == "assignee_id" else "group"})
        found["actions_unsupported"].append(f"its {field}'s own text is not kept (the team's mail names the trigger)")
    else:
        found["actions_unsupported"].append(f"its {field} action has no counterpart in a trigger here")


def source_time_trigger(a: dict[str, Any]) -> SourceTrigger | None:
    """The time trigger here for a Zendesk automation: None when its time condition has no counterpart (hours since
    closed, or since a status the ticket no longer has; "less than"), when another condition has none, or when it
    does nothing a trigger does here: those are named with their counterpart instead."""
    conditions = a.get("conditions") or {}
    every, some = list(conditions.get("all") or []), list(conditions.get("any") or [])
    timed = [c for c in every if str(c.get("field")) in SINCE and str(c.get("operator")) in HOURS_OPERATORS]
    if len(timed) != 1:
        return None
    field, operator = str(timed[0].get("field")), str(timed[0].get("operator"))
    try:
        hours = max(1, int(float(str(timed[0].get("value")))))
    except ValueError:
        return None
    since, differs = SINCE[field]
    found = _found()
    unsupported: list[str] = found["conditions_unsupported"]
    on, comment, _ = _every(found, [c for c in every if c is not timed[0]], unsupported)
    _any(found, some, unsupported)
    if on or comment is not None or found["keywords"] or found["from_statuses"]:
        unsupported.append("it asks what a change did (there is no change when time passes)")
    status = SINCE_STATUS.get(field)
    if status is not None:
        if found["statuses"] and status not in found["statuses"]:
            unsupported.append(f"hours since {status.value} on tickets that are {status.value} no longer")
        found["statuses"] = [status]
    if differs:
        found["actions_unsupported"].append(f"waits from {differs}")
    _actions(found, a.get("actions") or [], timed=True)
    if unsupported or not acts(found):
        return None
    return SourceTrigger(id=f"automation-{a['id']}", title=str(a.get("title") or a["id"]),
                         active=bool(a.get("active", True)),
                         after=TriggerTimer(hours=min(hours, MAX_TIMER_HOURS), since=TimerStart(since),
                                            business_hours=operator.endswith("business_hours")), **found)
