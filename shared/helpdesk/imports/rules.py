"""The old helpdesk's rules for new tickets (Zendesk's triggers on ticket creation) as routing rules here
(`TriageSettings.routing_rules`, the AI screen's rules): keywords, channels and the requester's organisation (by its
mail domains) pick the tickets; a group, a priority and tags are set.

A rule is brought over only when every condition it has there has a counterpart here: left out, a condition would
make it route tickets it never routed. Actions without a counterpart (notify someone, set the assignee or status)
are left out and named. Here the first matching rule sets the group and the priority and tags add up, where every
Zendesk trigger ran in turn and a later one could change what an earlier set: the rules keep their order. A rerun
adds only the rules not there yet (equal ones are skipped).
"""

from helpdesk.directory.ports import DirectoryStore
from helpdesk.imports.catalog import SourceCatalog
from helpdesk.imports.counterparts import matched_groups
from helpdesk.imports.model import ItemImportReport, SourceRule
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.principal import Principal
from helpdesk.kernel.text import MAX_TAG_CHARS, normalise_tags
from helpdesk.triage.admin import AiSettings
from helpdesk.triage.settings import (
    MAX_ROUTING_RULES,
    MAX_RULE_DOMAINS,
    MAX_RULE_KEYWORDS,
    MAX_RULE_TAGS,
    RoutingRule,
)


class RuleImport:
    def __init__(self, ai_settings: AiSettings, directory_store: DirectoryStore) -> None:
        self._ai_settings, self._store = ai_settings, directory_store

    def run(self, caller: Principal, source: HelpdeskSource, *, dry_run: bool = False,
            catalog: SourceCatalog | None = None) -> ItemImportReport:
        """`catalog`: the source's lists as the ticket import read them."""
        catalog = catalog or SourceCatalog(source)
        report = ItemImportReport()
        settings, version = self._ai_settings.get(caller)
        groups = matched_groups(self._store, caller.tenant_id, catalog.groups)
        domains = {o.id: o.domains for o in catalog.organizations}
        rules = list(settings.routing_rules)
        for old in source.routing_rules():
            changed = list(old.actions_unsupported)
            rule, why_not = _rule(old, groups, domains, changed)
            if rule is None:
                report.skipped[old.title] = why_not
                continue
            if rule in rules:
                report.already_imported += 1
                continue
            if len(rules) >= MAX_ROUTING_RULES:
                report.skipped[old.title] = f"the tenant has {MAX_ROUTING_RULES} routing rules, the most it may"
                continue
            rules.append(rule)
            report.created += 1
            if changed:
                report.changed[old.title] = changed
        if report.created and not dry_run:  # one audited save, as an admin's on the AI screen
            self._ai_settings.change(caller, settings.model_copy(update={"routing_rules": rules}), version)
        return report


def _rule(old: SourceRule, groups: dict[str, str], domains: dict[str, list[str]],
          changed: list[str]) -> tuple[RoutingRule | None, str]:
    """The routing rule for `old`, or None and why not."""
    if old.conditions_unsupported:
        return None, "a condition has no counterpart here: " + "; ".join(old.conditions_unsupported)
    if not old.active:
        return None, "it was inactive there"
    requester_domains = [d for org in old.organization_ids for d in domains.get(org, [])]
    if old.organization_ids and not requester_domains:
        return None, "its organisation has no mail domain to recognise its people by here"
    group = groups.get(old.group_id or "")
    if old.group_id and group is None:
        changed.append("does not set the group (no such group in the directory)")
    tags = [t for t in normalise_tags(old.tags) if len(t) <= MAX_TAG_CHARS]
    if len(tags) > MAX_RULE_TAGS:
        changed.append(f"adds only its first {MAX_RULE_TAGS} tags")
    if not (old.keywords or old.channels or requester_domains):
        return None, "it has no condition here (a rule here routes only the tickets a condition picks)"
    if group is None and old.priority is None and not tags:
        return None, "it sets nothing a rule sets here (" + ("; ".join(changed) or "no group, priority or tag") + ")"
    try:
        return RoutingRule(group=group, priority=old.priority, keywords=old.keywords[:MAX_RULE_KEYWORDS],
                           channels=old.channels, requester_domains=requester_domains[:MAX_RULE_DOMAINS],
                           tags=tags[:MAX_RULE_TAGS]), ""
    except ValueError as exc:  # a keyword longer than a rule holds, say
        return None, str(exc).splitlines()[-1][:300]


def automations_report(source: HelpdeskSource) -> ItemImportReport:
    """The old helpdesk's time-based rules no time trigger can do (those come over with the triggers,
    `imports.triggers`): each is named with what does its work here, so an admin sets that up by hand."""
    report = ItemImportReport()
    for old in source.automations():
        if old.trigger is not None:
            continue
        report.skipped[old.title] = old.counterpart if old.active else f"it was inactive there ({old.counterpart})"
    return report

