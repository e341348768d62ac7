"""Every report as CSV (`?format=csv` or `Accept: text/csv`): one header row, one line per row of the report.

Nested figures are flattened into `parent_child` columns (`first_response_median_minutes`), so a spreadsheet
gets one number per cell. Cells that start like a formula are prefixed with `'` (CSV injection: a group or
comment typed by someone could otherwise run in the reader's spreadsheet).
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from helpdesk.reports.model import AiReport, OverviewReport, TimeReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = " ".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """Rows (nested dicts allowed) as CSV; the header is every column in first-seen order."""
    flat = [flatten(row) for row in rows]
    header: list[str] = []
    for row in flat:
        header += [k for k in row if k not in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in flat:
        writer.writerow([_cell(row.get(k)) for k in header])
    return out.getvalue()


def overview_csv(report: OverviewReport) -> str:
    """One line for the totals, then one per group, agent, category, organisation, request form, tag, period and, when
    asked, value of a custom field (`breakdown` says which: `field:plan`)."""
    common = {"from": report.since, "to": report.until}
    rows: list[dict[str, Any]] = [{**common, "breakdown": "total", "key": "", **report.totals.model_dump()}]
    for name, breakdown in (("group", report.by_group), ("agent", report.by_agent),
                            ("category", report.by_category), ("organization", report.by_organization),
                            ("form", report.by_form), ("tag", report.by_tag),
                            (report.period.value, report.by_period),
                            (f"field:{report.field}", report.by_field or [])):
        rows += [{**common, "breakdown": name, **row.model_dump()} for row in breakdown]
    return to_csv(_keyed_first(rows))


def _keyed_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"from": r["from"], "to": r["to"], "breakdown": r["breakdown"], "key": r["key"],
             **{k: v for k, v in r.items() if k not in ("from", "to", "breakdown", "key")}} for r in rows]


def ai_csv(report: AiReport) -> str:
    """One line per figure: `section`, `name`, `measure`, `value` (the report's parts have different shapes)."""
    rows: list[dict[str, Any]] = []
    for measure, value in report.chat.model_dump().items():
        rows.append({"section": "chat", "name": "", "measure": measure, "value": value})
    rows += [{"section": "chat", "name": "", "measure": measure, "value": value}
             for measure, value in (("rated_articles", report.rated_articles_count),
                                    ("rated_articles_truncated", report.rated_articles_truncated))]
    for article in report.rated_articles:  # the report's bounded list, worst first
        for measure, value in article.model_dump(exclude={"article_id"}).items():
            rows.append({"section": "rated_article", "name": article.article_id, "measure": measure, "value": value})
    for decisions in report.triage:
        for measure, value in decisions.model_dump(exclude={"field"}).items():
            rows.append({"section": "triage", "name": decisions.field, "measure": measure, "value": value})
    for measure, value in report.drafts.model_dump().items():
        rows.append({"section": "drafts", "name": "", "measure": measure, "value": value})
    for page in report.handover_pages:  # the bounded list, most first
        rows.append({"section": "handover_page", "name": page.url, "measure": "handed_over", "value": page.handed_over})
    rows.append({"section": "thanks", "name": "", "measure": "kept_solved", "value": report.thanks_kept_solved})
    common = {"from": report.since, "to": report.until}
    return to_csv({**common, **row} for row in rows)


def rows_csv(items: Iterable[BaseModel], **common: Any) -> str:
    """A list report (the SLA report's targets): one line per item, `common` columns first."""
    return to_csv({**common, **item.model_dump(mode="json")} for item in items)


def time_csv(report: TimeReport) -> str:
    """The timesheet's lines, one per time entry (`at`, `agent`, `ticket`, `ticket_id`, `organization_id`,
    `group`, `minutes`): what a spreadsheet sums per customer or per person. An empty range has the header only."""
    columns = ("at", "agent", "ticket", "ticket_id", "organization_id", "group", "minutes")
    rows = [{k: line.model_dump()[k] for k in columns} for line in report.lines]
    return to_csv(rows) if rows else ",".join(columns) + "\r\n"
