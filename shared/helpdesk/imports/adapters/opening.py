"""The old helpdesk an import job reads, opened with the job's token."""

from helpdesk.imports.jobs import ImportJob
from helpdesk.imports.ports import OpenSource


def open_source(job: ImportJob, token: str) -> OpenSource:
    if job.source == "zendesk":
        from helpdesk.imports.adapters.zendesk import ZendeskSource

        return ZendeskSource(job.url, job.email or "", token)
    if job.source == "zammad":
        from helpdesk.imports.adapters.zammad import ZammadSource

        return ZammadSource(job.url, token)
    from helpdesk.imports.adapters.freescout import FreeScoutSource

    return FreeScoutSource(job.url, token)
