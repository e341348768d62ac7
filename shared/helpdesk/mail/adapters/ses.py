"""MailSender on SES (`SendRawEmail`): moto's SES in tests and the local stack."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient


class SesMailSender:
    """`configuration_set`: SES's configuration set whose event destination publishes bounces and complaints
    (`helpdesk.mail.feedback`); a message's tags are sent only with it, since only its events carry them back."""

    def __init__(self, client: "SESClient | None" = None, configuration_set: str = "") -> None:
        import boto3

        self._ses = client or boto3.client("ses")
        self._configuration_set = configuration_set

    def send_raw(self, source: str, destinations: list[str], raw: bytes,
                 tags: Mapping[str, str] | None = None) -> str:
        extra: dict[str, Any] = {}
        if self._configuration_set:
            extra["ConfigurationSetName"] = self._configuration_set
            if tags:
                extra["Tags"] = [{"Name": name, "Value": value} for name, value in tags.items()]
        response = self._ses.send_raw_email(Source=source, Destinations=destinations, RawMessage={"Data": raw},
                                            **extra)
        return str(response["MessageId"])
