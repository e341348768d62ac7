"""The old helpdesk an import job reads, opened with the job's token. Every request it makes is checked as the
address the admin gave was (`kernel.public_url`): a page's next link, a file or a redirect cannot lead the worker into
its own network (the Lambda runtime API listens on loopback)."""

import functools

from helpdesk.imports.adapters.http import ATTEMPTS
from helpdesk.imports.jobs import ImportJob, ImportUrlRefused
from helpdesk.imports.ports import OpenSource
from helpdesk.kernel.public_url import check_public_url, resolve

ROUND_TIMEOUT_S = 30.0
CHECK_TIMEOUT_S = 5.0  # per request of a connection check: Zendesk's takes two, within the API's 15 s


def open_source(job: ImportJob, token: str, *, allow_loopback: bool, patient: bool = True) -> OpenSource:
    resolved = functools.lru_cache(maxsize=64)(resolve)  # a host is looked up once per round, not per request

    def url_check(url: str) -> None:
        check_public_url(url, what="an address the old helpdesk sent", refused=ImportUrlRefused,
                         allow_loopback=allow_loopback, resolver=resolved)

    attempts, timeout_s = (ATTEMPTS, ROUND_TIMEOUT_S) if patient else (1, CHECK_TIMEOUT_S)
    if job.source == "zendesk":
        from helpdesk.imports.adapters.zendesk import ZendeskSource

        return ZendeskSource(job.url, job.email or "", token, url_check=url_check, attempts=attempts,
                             timeout_s=timeout_s)
    if job.source == "zammad":
        from helpdesk.imports.adapters.zammad import ZammadSource

        return ZammadSource(job.url, token, url_check=url_check, attempts=attempts, timeout_s=timeout_s)
    from helpdesk.imports.adapters.freescout import FreeScoutSource

    return FreeScoutSource(job.url, token, url_check=url_check, attempts=attempts, timeout_s=timeout_s)
