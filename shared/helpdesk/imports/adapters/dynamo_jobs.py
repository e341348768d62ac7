"""Import jobs in the meta table: `TENANT#<t>#IMPORT` / `<job id>` (ids start with their creation time, so a query
backwards lists the newest first), the job in `data` and its version in `value`."""

from typing import TYPE_CHECKING

from pynamodb.exceptions import PutError

from helpdesk.imports.jobs import ImportJob
from helpdesk.kernel.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from pynamodb.expressions.condition import Condition

    from helpdesk.platform.dynamo.models import Tables


def _pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#IMPORT"


class DynamoImportJobStore:
    def __init__(self, tables: "Tables") -> None:
        self._meta = tables.meta

    def get(self, tenant_id: str, job_id: str) -> tuple[ImportJob, int] | None:
        try:
            item = self._meta.get(_pk(tenant_id), job_id, consistent_read=True)
        except self._meta.DoesNotExist:
            return None
        return ImportJob.model_validate(item.data), int(item.value or 1)

    def put(self, job: ImportJob, expected_version: int) -> int:
        item = self._meta(_pk(job.tenant_id), job.id, data=job.model_dump(mode="json"), value=expected_version + 1)
        condition: Condition = (self._meta.pk.does_not_exist() if expected_version == 0
                                else self._meta.value == expected_version)
        try:
            item.save(condition=condition)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentUpdate("the import changed since it was read", {"import_id": job.id}) from exc
            raise
        return expected_version + 1

    def recent(self, tenant_id: str, limit: int) -> list[ImportJob]:
        return [ImportJob.model_validate(i.data)
                for i in self._meta.query(_pk(tenant_id), scan_index_forward=False, limit=limit)]
