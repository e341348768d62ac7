"""Composition root: which adapter serves each port. Built once per Lambda container."""

from functools import lru_cache
from typing import TYPE_CHECKING

from helpdesk.adapters.dynamo.ticket_repository import DynamoTicketRepository
from helpdesk.services.tickets import TicketService

if TYPE_CHECKING:
    from helpdesk.adapters.mail.dynamo_records import DynamoMailRecords
    from helpdesk.adapters.sla.dynamo import DynamoSlaSettingsStore
    from helpdesk.mail.outbound import MailOutbound
    from helpdesk.mail.service import MailIngest
    from helpdesk.sla.scan import SlaScan


@lru_cache(maxsize=1)
def ticket_service() -> TicketService:
    from helpdesk.sla.hook import SlaHook
    from helpdesk.sla.report import record_finished_target

    return TicketService(DynamoTicketRepository(), hooks=[SlaHook(sla_settings_store(), record_finished_target)])


@lru_cache(maxsize=1)
def sla_settings_store() -> "DynamoSlaSettingsStore":
    from helpdesk.adapters.sla.dynamo import DynamoSlaSettingsStore

    return DynamoSlaSettingsStore()


@lru_cache(maxsize=1)
def sla_scan() -> "SlaScan":
    from helpdesk.adapters.sla.dynamo import DynamoDueIndex, DynamoNotificationLedger
    from helpdesk.adapters.sla.notifier import SnsSesNotifier
    from helpdesk.sla.scan import SlaScan

    return SlaScan(ticket_service(), sla_settings_store(), DynamoDueIndex(), DynamoNotificationLedger(),
                   SnsSesNotifier())


@lru_cache(maxsize=1)
def mail_records() -> "DynamoMailRecords":
    from helpdesk.adapters.mail.dynamo_records import DynamoMailRecords

    return DynamoMailRecords()


@lru_cache(maxsize=1)
def mail_outbound() -> "MailOutbound":
    from helpdesk.adapters.mail.ses_sender import SesMailSender
    from helpdesk.mail.config import get_mail_config
    from helpdesk.mail.outbound import MailOutbound

    return MailOutbound(ticket_service(), mail_records(), SesMailSender(), get_mail_config())


@lru_cache(maxsize=1)
def mail_ingest() -> "MailIngest":
    from helpdesk.adapters.mail.s3_store import S3MailStore
    from helpdesk.mail.config import get_mail_config
    from helpdesk.mail.service import MailIngest

    config = get_mail_config()
    return MailIngest(ticket_service(), S3MailStore(config.bucket), mail_records(), mail_outbound(), config)


def reset_wiring() -> None:
    """Forget built adapters (tests switch backends between cases)."""
    ticket_service.cache_clear()
    mail_records.cache_clear()
    mail_outbound.cache_clear()
    mail_ingest.cache_clear()
    sla_settings_store.cache_clear()
    sla_scan.cache_clear()
