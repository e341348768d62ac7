"""The import worker's queue (SQS) and the tokens' vault (Secrets Manager, one secret per job:
`<prefix>/<tenant>/<job id>`, deleted without a recovery window when the job ends)."""

import contextlib
import json
from typing import Any

import boto3


class SecretsManagerVault:
    def __init__(self, prefix: str, client: Any = None) -> None:
        self._prefix = prefix.rstrip("/")
        self._secrets = client or boto3.client("secretsmanager")

    def _name(self, tenant_id: str, job_id: str) -> str:
        return f"{self._prefix}/{tenant_id}/{job_id}"

    def keep(self, tenant_id: str, job_id: str, token: str) -> None:
        self._secrets.create_secret(Name=self._name(tenant_id, job_id), SecretString=token,
                                    Description="A helpdesk import's sign-in token; deleted when the import ends")

    def read(self, tenant_id: str, job_id: str) -> str | None:
        try:
            answer = self._secrets.get_secret_value(SecretId=self._name(tenant_id, job_id))
        except self._secrets.exceptions.ResourceNotFoundException:
            return None
        except self._secrets.exceptions.InvalidRequestException:  # scheduled for deletion
            return None
        return str(answer["SecretString"])

    def forget(self, tenant_id: str, job_id: str) -> None:
        with contextlib.suppress(self._secrets.exceptions.ResourceNotFoundException):
            self._secrets.delete_secret(SecretId=self._name(tenant_id, job_id), ForceDeleteWithoutRecovery=True)


class SqsImportQueue:
    def __init__(self, queue_url: str, client: Any = None) -> None:
        self._url = queue_url
        self._sqs = client or boto3.client("sqs")

    def send(self, tenant_id: str, job_id: str) -> None:
        self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps({"tenant_id": tenant_id,
                                                                          "import_id": job_id}))
