"""One import's parts in their order, for `helpdesk import` and the console's import jobs alike: the tickets first
(organisations, fields and people come with them), then macros, views, SLA policies, triggers and articles, each
of which reads what the parts before it brought over."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from helpdesk.imports.jobs import ImportOptions, Part
from helpdesk.imports.model import ImportReport, ListingPosition
from helpdesk.imports.ports import HelpdeskSource
from helpdesk.kernel.principal import Principal

if TYPE_CHECKING:
    from helpdesk.imports.articles import ArticleImport
    from helpdesk.imports.catalog import SourceCatalog
    from helpdesk.imports.macros import MacroImport
    from helpdesk.imports.rules import RuleImport
    from helpdesk.imports.service import Progress, TicketImport
    from helpdesk.imports.sla import SlaImport
    from helpdesk.imports.triggers import TriggerImport
    from helpdesk.imports.views import ViewImport
    from helpdesk.knowledge.ports import KnowledgeIndex


@dataclass(frozen=True)
class Importers:
    tickets: "TicketImport"
    macros: "MacroImport"
    views: "ViewImport"
    sla: "SlaImport"
    rules: "RuleImport"
    triggers: "TriggerImport"
    # Built when an import brings articles: they need the knowledge index configured, the other parts do not.
    articles: Callable[[], "ArticleImport"]
    knowledge_index: Callable[[], "KnowledgeIndex"]

    def run_tickets(self, caller: Principal, source: HelpdeskSource, options: ImportOptions,
                    catalog: "SourceCatalog", *, progress: "Progress | None" = None,
                    stop: Callable[[], bool] | None = None, position: ListingPosition | None = None) -> ImportReport:
        since = options.since
        if since is not None and since.tzinfo is None:  # typed as UTC (the option says so), not the machine's time
            since = since.replace(tzinfo=UTC)
        return self.tickets.run(caller, source, since=since, dry_run=options.dry_run, limit=options.limit,
                                progress=progress, catalog=catalog, stop=stop, position=position)

    def run_part(self, part: Part, caller: Principal, source: HelpdeskSource, options: ImportOptions,
                 catalog: "SourceCatalog", report: ImportReport) -> None:
        """Run one part after the tickets and put what it did in `report`."""
        dry_run = options.dry_run
        if part == "macros":  # after the tickets: the custom fields they set are defined by then
            report.macros = self.macros.run(caller, source, dry_run=dry_run, catalog=catalog)
        elif part == "views":  # the organisations, fields and forms views filter by are here by then
            report.views = self.views.run(caller, source, dry_run=dry_run, catalog=catalog)
        elif part == "sla":
            report.calendars, report.sla_policies = self.sla.run(caller, source, dry_run=dry_run, catalog=catalog)
        elif part == "triggers":
            from helpdesk.imports.rules import automations_report

            report.rules = self.rules.run(caller, source, dry_run=dry_run, catalog=catalog)
            report.triggers = self.triggers.run(caller, source, dry_run=dry_run, catalog=catalog)
            report.automations = automations_report(source)
        else:
            from helpdesk.knowledge.importing import indexed_in_bulk

            with indexed_in_bulk(self.knowledge_index()):
                report.articles = self.articles().run(caller, source, publish=options.publish, dry_run=dry_run)

    def run(self, caller: Principal, source: HelpdeskSource, options: ImportOptions,
            progress: "Progress | None" = None) -> ImportReport:
        """Every part at once (the CLI: a person's terminal has no 15-minute limit)."""
        from helpdesk.imports.catalog import SourceCatalog

        catalog = SourceCatalog(source)  # people, groups, organisations and fields: read once for every part
        report = self.run_tickets(caller, source, options, catalog, progress=progress)
        for part in options.parts(source.name):
            self.run_part(part, caller, source, options, catalog, report)
        report.problems.extend(source.unreadable())  # organisations, people, macros, ... passed over: named
        return report
