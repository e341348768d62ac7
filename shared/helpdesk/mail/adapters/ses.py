"""MailSender on SES (`SendRawEmail`): moto's SES in tests and the local stack."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient


class SesMailSender:
    def __init__(self, client: "SESClient | None" = None) -> None:
        import boto3

        self._ses = client or boto3.client("ses")

    def send_raw(self, source: str, destinations: list[str], raw: bytes) -> str:
        response = self._ses.send_raw_email(Source=source, Destinations=destinations, RawMessage={"Data": raw})
        return str(response["MessageId"])
