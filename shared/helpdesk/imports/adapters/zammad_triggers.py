"""Zammad's triggers that act on updates as triggers here (`helpdesk.triggers`; one without `ticket.action` acts on
new tickets too, here as well); the ones that act only on creation are routing rules (`zammad_config.source_rule`).

What a Zammad trigger waits for: an article added (`article.*` conditions: its sender, whether internal), an attribute
that `has changed`, else any update at all. Its other conditions are the ticket's state, priority, group, tags,
whether someone owns it, the customer's organisation, custom attributes and the article's words (`article.body
contains`); its actions set the state, the priority, the group, tags or custom attributes, take the owner away, mail
the owner or the group's agents, give it to an agent, reply to the customer (a mail to them) or add a note, or call a
webhook (`ticket.triggered` here). Anything else (an article's type, a notification to someone else) has no
counterpart: a condition keeps the trigger out, an action is left out and named."""

from collections.abc import Set
from typing import Any

from helpdesk.imports.adapters.zammad_config import PRIORITIES, STATES, flat_conditions
from helpdesk.imports.model import SourceTrigger, acts
from helpdesk.tickets.model import Priority, Status
from helpdesk.triggers.model import CHANGE_EVENTS, MAX_TIMER_HOURS, TimerStart, TriggerTimer

# Zammad's article senders by id (ticket_article_senders): 1 Agent, 2 Customer, 3 System (its own mails).
SENDERS = {"1": "agent", "2": "customer", "3": "system"}
REPLIES = {"customer": {"customer_replied"}, "agent": {"agent_replied", "note_added"}, "system": set[str]()}
# A scheduler job's relative time condition ("updated before 3 days") and the time here a time trigger counts from
# (with what differs, if anything).
SINCE = {"ticket.created_at": ("created", None), "ticket.updated_at": ("updated", None),
         "ticket.last_contact_customer_at": ("customer_message", None),
         "ticket.last_contact_agent_at": ("team_message", None),
         "ticket.last_contact_at": ("updated", "the last change by the customer or the team (there: the last "
                                               "contact)"),
         "ticket.close_at": ("resolved", "when it was resolved (there: closed)")}
HOURS_PER = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 24 * 7, "month": 24 * 30, "year": 24 * 365}
CHANGED = {"ticket.state_id": "status_changed", "ticket.priority_id": "priority_changed",
           "ticket.group_id": "group_changed", "ticket.owner_id": "assignee_changed", "ticket.tags": "tags_changed"}


def source_trigger(t: dict[str, Any], states: dict[str, str], priorities: dict[str, str],
                   fields: Set[str] = frozenset()) -> SourceTrigger | None:
    """The trigger here for a Zammad trigger that acts on updates; None for one that acts only on creation.
    `fields`: the names of the ticket's custom attributes there."""
    condition, combined = flat_conditions(t.get("condition"))
    action = condition.pop("ticket.action", {})
    if action.get("value") == "create" and action.get("operator", "is") == "is":
        return None  # a rule for new tickets
    found = _found(list(combined))
    on = _waits_for(condition, found)
    if not action:
        on.add("ticket_created")  # it acted on new tickets there too
    for key, rule in condition.items():
        if not _state_condition(found, key, rule, states, priorities, fields):
            found["conditions_unsupported"].append(f"{key} {rule.get('operator') or ''}".strip())
    _perform(found, t.get("perform") or {}, states, priorities, fields)
    return SourceTrigger(id=f"trigger:{t['id']}", title=str(t.get("name") or t["id"]),
                         active=bool(t.get("active", True)), on=sorted(on), **found)


def source_time_trigger(job: dict[str, Any], states: dict[str, str], priorities: dict[str, str],
                        fields: Set[str] = frozenset()) -> SourceTrigger | None:
    """The time trigger here for a Zammad scheduler job whose one relative time condition ("updated before (relative)
    3 days") has a counterpart, as do its other conditions and an action; None otherwise (named with its counterpart
    instead). Here it is checked hourly, not on the job's time plan (named)."""
    condition, combined = flat_conditions(job.get("condition"))
    timed = [k for k in condition if k in SINCE and condition[k].get("operator") == "before (relative)"]
    if combined or len(timed) != 1:
        return None
    rule = condition.pop(timed[0])
    try:
        hours = max(1, round(float(str(rule.get("value"))) * HOURS_PER[str(rule.get("range") or "day")]))
    except (KeyError, ValueError):
        return None
    since, differs = SINCE[timed[0]]
    found = _found()
    for key, kept in condition.items():
        if key.startswith("article.") or key == "ticket.action" or \
                not _state_condition(found, key, kept, states, priorities, fields):
            found["conditions_unsupported"].append(key)
    _perform(found, job.get("perform") or {}, states, priorities, fields)
    if found["conditions_unsupported"] or not acts(found):
        return None
    found["actions_unsupported"][:0] = ["checked hourly here (there: on its time plan)"] + (
        [f"waits from {differs}"] if differs else [])
    return SourceTrigger(id=f"job:{job['id']}", title=str(job.get("name") or job["id"]),
                         active=bool(job.get("active", True)),
                         after=TriggerTimer(hours=min(hours, MAX_TIMER_HOURS), since=TimerStart(since)), **found)


def _found(unsupported: list[str] | None = None) -> dict[str, Any]:
    """What a trigger or job is read into (`SourceTrigger`'s fields), with the conditions already known to have no
    counterpart."""
    return {"statuses": [], "priorities": [], "group_ids": [], "tags": [], "without_tags": [], "organization_ids": [],
            "field_values": {}, "keywords": [], "add_tags": [], "remove_tags": [],
            "conditions_unsupported": unsupported or [], "actions_unsupported": []}


def _perform(found: dict[str, Any], perform: dict[str, Any], states: dict[str, str], priorities: dict[str, str],
             fields: Set[str]) -> None:
    """A trigger's or job's `perform` into `found`: its custom attributes, then each other action."""
    for key, rule in perform.items():
        rule = rule if isinstance(rule, dict) else {"value": rule}
        if key.removeprefix("ticket.") in fields and key.startswith("ticket.") and rule.get("value") not in (None, ""):
            found.setdefault("set_field_values", {})[key.removeprefix("ticket.")] = rule["value"]
        else:
            _action(found, key, rule, states, priorities)


def _values(rule: dict[str, Any]) -> list[str]:
    raw = rule.get("value")
    return [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]


def _waits_for(condition: dict[str, dict[str, Any]], found: dict[str, Any]) -> set[str]:
    """What the trigger waits for, taking those conditions out of `condition` (an article's words go to
    `found["keywords"]`)."""
    unsupported: list[str] = found["conditions_unsupported"]
    on: set[str] = set()
    for key in [k for k in condition if k in CHANGED and condition[k].get("operator") == "has changed"]:
        on.add(CHANGED[key])
        del condition[key]
    articles = {k: condition.pop(k) for k in [k for k in condition if k.startswith("article.")]}
    if not articles:  # a trigger with neither: any update sets it off there
        return on or set(CHANGE_EVENTS)
    replies = set().union(*REPLIES.values())
    sender = articles.pop("article.sender_id", None)
    if sender is not None:
        named = {SENDERS.get(v, "") for v in _values(sender)}
        chosen = named if sender.get("operator", "is") == "is" else set(REPLIES) - named
        replies &= set().union(*(REPLIES.get(s, set()) for s in chosen))
    internal = articles.pop("article.internal", None)
    if internal is not None:
        notes = str(internal.get("value")).lower() == "true"
        replies &= {"note_added"} if notes == (internal.get("operator", "is") == "is") else {"customer_replied",
                                                                                             "agent_replied"}
    body = articles.pop("article.body", None)
    if body is not None and body.get("operator") == "contains" and _values(body):
        found["keywords"] = _values(body)
        found["actions_unsupported"].append("matches the article's whole words here (there: any text containing "
                                            "them)")
    elif body is not None:
        articles["article.body"] = body
    unsupported.extend(f"{key} {rule.get('operator') or ''}".strip() for key, rule in articles.items())
    if not replies:
        unsupported.append("the articles it waits for are none a trigger here waits for (Zammad's own mails)")
    return on | replies


def _state_condition(found: dict[str, Any], key: str, rule: dict[str, Any], states: dict[str, str],
                     priorities: dict[str, str], fields: Set[str]) -> bool:
    operator, values = str(rule.get("operator") or "is"), _values(rule)
    attribute = key.removeprefix("ticket.")
    if key == "ticket.organization_id" and operator == "is" and rule.get("pre_condition", "specific") == "specific" \
            and values:
        found["organization_ids"] = values
        return True
    if key.startswith("ticket.") and attribute in fields and operator == "is" and len(values) == 1:
        raw = rule.get("value")
        found["field_values"][attribute] = raw[0] if isinstance(raw, list) else raw
        return True
    if key == "ticket.state_id" and operator in ("is", "is not") and values:
        named = {STATES.get(states.get(v, ""), Status.OPEN) for v in values} - {None}
        found["statuses"] = sorted(named if operator == "is" else set(Status) - named)
        return bool(found["statuses"])
    if key == "ticket.priority_id" and operator == "is" and values and all(priorities.get(v) for v in values):
        found["priorities"] = [PRIORITIES.get(priorities[v].split(" ")[0], Priority.NORMAL) for v in values]
        return True
    if key == "ticket.group_id" and operator == "is" and values:
        found["group_ids"] = values
        return True
    tags = [tag.strip() for v in values for tag in v.split(",") if tag.strip()]
    one = len(tags) == 1
    if key == "ticket.tags" and tags and (operator == "contains all" or (operator == "contains one" and one)):
        found["tags"] = tags
        return True
    if key == "ticket.tags" and tags and operator in ("contains one not", "contains all not") and one:
        found["without_tags"] = tags
        return True
    if key == "ticket.owner_id" and rule.get("pre_condition") == "not_set" and operator in ("is", "is not"):
        found["assigned"] = operator == "is not"
        return True
    return False


def _action(found: dict[str, Any], key: str, rule: dict[str, Any], states: dict[str, str],
            priorities: dict[str, str]) -> None:
    value = str(rule.get("value") if rule.get("value") is not None else "")
    status = STATES.get(states.get(value, "")) if key == "ticket.state_id" else None
    if status is not None and status != Status.NEW:
        found["status"] = status
    elif key == "ticket.priority_id" and priorities.get(value):
        found["priority"] = PRIORITIES.get(priorities[value].split(" ")[0], Priority.NORMAL)
    elif key == "ticket.group_id" and value:
        found["group_id"] = value
    elif key == "ticket.tags" and rule.get("operator", "add") in ("add", "remove"):
        tags = [tag.strip() for tag in value.split(",") if tag.strip()]
        found["add_tags" if rule.get("operator", "add") == "add" else "remove_tags"].extend(tags)
    elif key == "ticket.owner_id" and rule.get("pre_condition") == "current_user.id":  # whoever made the change
        found["assign_to_actor"] = True
    elif key == "ticket.owner_id" and (not value or rule.get("pre_condition") == "not_set"):
        found["unassign"] = True
    elif key == "ticket.owner_id" and rule.get("pre_condition", "specific") == "specific":
        found["assignee_id"] = value  # the agent there: the import finds them here by their address
    elif key == "article.note" and str(rule.get("body") or "").strip():
        internal = str(rule.get("internal", "true")).lower() != "false"
        found["note" if internal else "reply"] = _text(rule["body"])
    elif key == "notification.webhook":
        found["integrations"] = True
        found["actions_unsupported"].append("its webhook becomes a ticket.triggered event: subscribe the webhook to it "
                                            "here (POST /webhooks), its data.trigger.id names this trigger")
    elif key == "notification.email" and _mailed(found, rule):
        pass
    else:
        found["actions_unsupported"].append(f"its {key} action has no counterpart in a trigger here")


def _mailed(found: dict[str, Any], rule: dict[str, Any]) -> bool:
    """A mail to the ticket's customer as the trigger's reply (its body; it goes in the ticket's thread here, so its
    subject is not kept), to the owner or the group's agents as the trigger's mail to the team; False when it mailed
    neither."""
    recipient = rule.get("recipient")
    wanted = [str(r) for r in (recipient if isinstance(recipient, list) else [recipient]) if r]
    replied = "ticket_customer" in wanted and bool(str(rule.get("body") or "").strip())
    if replied:
        found["reply"] = _text(rule["body"])
        if str(rule.get("subject") or "").strip():
            found["actions_unsupported"].append("its mail to the customer is a reply in the ticket's thread here "
                                                "(its own subject is not kept)")
    others = [r for r in wanted if not (replied and r == "ticket_customer")]
    return _team_recipients(found, others) if others else replied


def _text(body: Any) -> str:
    """A Zammad text (its editor writes HTML) as plain text, its `#{...}` variables kept for the import."""
    text = str(body)
    if "<" in text and ">" in text:
        from helpdesk.mail.html import html_to_text

        text = html_to_text(text)
    return text.strip()


def _team_recipients(found: dict[str, Any], recipient: Any) -> bool:
    """A mail to the ticket's owner or its group's agents as the trigger's mail to the team (its own text is not
    kept: the team's mail names the trigger and links the ticket); mails to anyone else are named as left out."""
    wanted = [str(r) for r in (recipient if isinstance(recipient, list) else [recipient]) if r]
    team = {"ticket_owner": "assignee", "ticket_agents": "group"}
    kept = [team[r] for r in wanted if r in team]
    if not kept:
        return False
    found["notify"] = sorted(set(found.get("notify", [])) | set(kept))
    others = [r for r in wanted if r not in team]
    found["actions_unsupported"].append("its mail's own text is not kept (the team's mail names the trigger)" + (
        f"; it mailed {', '.join(others)} too, which a trigger here does not" if others else ""))
    return True

