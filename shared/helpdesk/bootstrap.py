"""The composition root: the only place that decides which adapter serves each port.

`build(settings, **overrides)` returns a `Container` whose services are built on first use (a function
that never searches never loads the embedder). Lambda handlers call `container()`, built once per
execution environment from the environment; tests pass fakes as overrides (`build(settings,
ticket_repository=InMemoryTicketRepository())`) or install a container with `use(...)`.

Heavy modules (numpy, onnxruntime, the Anthropic SDK, opensearch-py) are imported inside the factory
that needs them, so cold starts stay small.
"""

import threading
from collections.abc import Sequence
from functools import cache, cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachetools import LRUCache, cached

from helpdesk.kernel.clock import Clock, system_clock
from helpdesk.settings import AiSection, KnowledgeSection, Settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

    from helpdesk.assistant.adapters.anthropic import ClaudeLlm
    from helpdesk.assistant.budget import TokenBudget
    from helpdesk.assistant.circuit_breaker import CircuitBreaker
    from helpdesk.assistant.evidence import EvidenceJudge
    from helpdesk.assistant.ports import BreakerStateStore, LlmPort
    from helpdesk.assistant.service import ChatAssistant
    from helpdesk.attachments.ports import AttachmentBlobs, AttachmentRecords, MalwareScanner
    from helpdesk.attachments.service import AttachmentService
    from helpdesk.audit.ports import AuditStore
    from helpdesk.audit.service import AuditLog, AuditTrail
    from helpdesk.chat.identity import IdentityKeys
    from helpdesk.chat.limits import ChatLimits
    from helpdesk.chat.ports import ChatStore, CodeMailer, IntentRagClient
    from helpdesk.chat.relay import ChatPresence, ChatRelay
    from helpdesk.chat.service import ChatService
    from helpdesk.chat.widget import WidgetLooks
    from helpdesk.clients.ports import AppClients, Audience, ClientRegistry
    from helpdesk.clients.service import ClientAdmin, ClientDirectory
    from helpdesk.directory.customer_addresses import CustomerAddressService
    from helpdesk.directory.customers import CustomerNotesService, CustomerProfileService
    from helpdesk.directory.enrolment import Enrolment
    from helpdesk.directory.model import Group, Organization, User
    from helpdesk.directory.ports import (
        CustomerAddressStore,
        CustomerNotesStore,
        CustomerProfileStore,
        DirectoryStore,
        Identities,
        QueueHandout,
    )
    from helpdesk.directory.rotation import AutoAssignment
    from helpdesk.directory.service import DirectoryService
    from helpdesk.directory.standing import StaffStanding
    from helpdesk.imports.articles import ArticleImport
    from helpdesk.imports.job_service import ImportJobs
    from helpdesk.imports.macros import MacroImport
    from helpdesk.imports.rules import RuleImport
    from helpdesk.imports.runs import Importers
    from helpdesk.imports.service import TicketImport
    from helpdesk.imports.sla import SlaImport
    from helpdesk.imports.triggers import TriggerImport
    from helpdesk.imports.views import ViewImport
    from helpdesk.inbox.ports import InboxStore
    from helpdesk.inbox.service import Inbox
    from helpdesk.intents.classifier import CatalogClassifiers
    from helpdesk.intents.model import IntentCatalog
    from helpdesk.intents.ports import IntentCatalogStore, IntentClassifier, TaxonomyStore
    from helpdesk.intents.tenant_categories import TenantCategories
    from helpdesk.kernel.principal import Principal
    from helpdesk.knowledge.images import ArticleImages
    from helpdesk.knowledge.indexing import ArticleIndexer
    from helpdesk.knowledge.links import ArticleLinks
    from helpdesk.knowledge.ports import ArticleRepository, Embedder, KnowledgeIndex
    from helpdesk.knowledge.retrieval import ArticleRetriever, HybridRetriever
    from helpdesk.knowledge.service import KnowledgeService
    from helpdesk.macros.child_replies import ChildReplies
    from helpdesk.macros.ports import MacroStore
    from helpdesk.macros.service import MacroService
    from helpdesk.mail.admin import MailAdmin
    from helpdesk.mail.feedback import DeliveryFeedback
    from helpdesk.mail.notifications import Agent, AgentNotifications
    from helpdesk.mail.outbound import MailOutbound
    from helpdesk.mail.ports import MailRecords, MailRedelivery, MailSender, RawMailStore
    from helpdesk.mail.service import MailIngest
    from helpdesk.mail.side import SideConversations
    from helpdesk.mail.spam import SpamMarking
    from helpdesk.platform.dynamo.models import Tables
    from helpdesk.privacy.card_masking import CardMasking
    from helpdesk.privacy.redactions import TicketRedactions
    from helpdesk.privacy.service import PrivacyService
    from helpdesk.reminders.service import Reminders
    from helpdesk.reports.csat import CsatLinks, CsatService
    from helpdesk.reports.ports import ChatActivity
    from helpdesk.reports.service import Reports
    from helpdesk.search.customers import CustomerList
    from helpdesk.search.export import TicketExport
    from helpdesk.search.indexing import TicketIndexer
    from helpdesk.search.ports import TicketIndex
    from helpdesk.search.service import TicketSearch
    from helpdesk.sla.admin import SlaAdmin
    from helpdesk.sla.ports import DueIndex, NotificationLedger, Notifier, SlaReader, SlaSettingsStore
    from helpdesk.sla.report import SlaReporting
    from helpdesk.sla.scan import SlaScan
    from helpdesk.sla.schedule import ScheduledRound
    from helpdesk.tickets.customer_links import CustomerLinks
    from helpdesk.tickets.fields import TicketFieldDefinitions
    from helpdesk.tickets.ports import AssignmentPolicy, OrganizationLookup, TicketFieldStore, TicketRepository
    from helpdesk.tickets.problems import ProblemIncidents
    from helpdesk.tickets.service import TicketService
    from helpdesk.tickets.viewers import TicketViewers
    from helpdesk.triage.admin import AiSettings
    from helpdesk.triage.events import TicketStreamServices
    from helpdesk.triage.knowledge_loop import KnowledgeLoop
    from helpdesk.triage.ports import TicketVectors, TriageSettingsStore, TriageStore
    from helpdesk.triage.service import Triage
    from helpdesk.triggers.ports import BusinessTime, SweepPlan, TriggerStore
    from helpdesk.triggers.service import TriggerSettings
    from helpdesk.triggers.sweep import TimeTriggerSweep
    from helpdesk.views.ports import ViewStore
    from helpdesk.views.service import ViewService
    from helpdesk.web.admin_mfa import MfaDirectory
    from helpdesk.web.cors import TenantOrigins
    from helpdesk.webhooks.ports import EventBus, HttpPoster, RetryQueue
    from helpdesk.webhooks.service import WebhookAdmin, WebhookSender


# What each capability adds to the local stack (`helpdesk serve`) and to the `helpdesk` command, in one list
# each: `module:function` taking the LocalStackContext, and `module:typer_app` with the sub-command's name.
LOCAL_EXTENSIONS: list[str] = [
    "helpdesk.sla.local:start_sla_scheduler",
    "helpdesk.mail.local:start_smtp",
    "helpdesk.knowledge.local:start_knowledge",
    "helpdesk.triage.local:start_triage",
    "helpdesk.chat.local:start_chat_relay",
    "helpdesk.directory.local:start_auto_assignment",
    "helpdesk.tickets.local:start_incident_solver",
    "helpdesk.chat.local:warm_assistant",
    "helpdesk.search.local:start_ticket_search",
    "helpdesk.webhooks.local:start_events_out",
    "helpdesk.imports.local:start_import_worker",
    "helpdesk.privacy.local:start_retention_scheduler",
    "helpdesk.directory.local:seed_demo_team",
    "helpdesk.macros.local:seed_demo_macros",  # after the team: one moves tickets to its `billing` group
    "helpdesk.local.demo:seed_demo_forms",  # after the team: its forms name groups
    "helpdesk.local.demo:seed_demo_tickets",  # last: triage routes them to the team's groups
]
CLI_COMMANDS: list[tuple[str, str]] = [
    ("sla", "helpdesk.sla.cli:sla_app"),
    ("mail", "helpdesk.mail.cli:mail_app"),
    ("kb", "helpdesk.knowledge.cli:kb_app"),
    ("intents", "helpdesk.intents.cli:intents_app"),
    ("triage", "helpdesk.triage.cli:triage_app"),
    ("chat", "helpdesk.chat.cli:chat_app"),
    ("ai", "helpdesk.evaluation.cli:ai_app"),
    ("tickets", "helpdesk.search.cli:tickets_app"),
    ("client", "helpdesk.clients.cli:client_app"),
    ("privacy", "helpdesk.privacy.cli:privacy_app"),
    ("users", "helpdesk.directory.cli:users_app"),
    ("import", "helpdesk.imports.cli:import_app"),
    ("streams", "helpdesk.platform.cli:streams_app"),
]
# Endpoints only the local stack serves beside the APIs (`path`: `module:function` taking a starlette Request):
# in AWS these are other services' (Cognito's token endpoint).
LOCAL_ENDPOINTS: dict[str, str] = {
    "/oauth2/token": "helpdesk.clients.local:token_endpoint",
}


class ConfigurationError(RuntimeError):
    """A setting that a service needs is missing or contradicts another: raised when it is built."""


class Container:
    """Every service and adapter of one process, built lazily and at most once.

    An override replaces a factory's result by name (any attribute below); everything that depends on it
    is then built on the override.
    """

    def __init__(self, settings: Settings, overrides: dict[str, Any] | None = None) -> None:
        self.settings = settings
        unknown = set(overrides or {}) - {name for name in dir(type(self)) if not name.startswith("_")}
        if unknown:
            raise TypeError(f"unknown overrides: {sorted(unknown)}")
        for name, value in (overrides or {}).items():
            self.__dict__[name] = value  # cached_property reads the instance dict first

    # -- kernel and platform ---------------------------------------------------------------------

    @cached_property
    def clock(self) -> Clock:
        return system_clock

    @cached_property
    def tables(self) -> "Tables":
        from helpdesk.platform.dynamo.models import bind_tables

        t = self.settings.tables
        return bind_tables(tickets=t.tickets_table, ticket_events=t.ticket_events_table, meta=t.meta_table,
                           region=t.region)

    @cached_property
    def mfa_directory(self) -> "MfaDirectory":
        from helpdesk.web.admin_mfa import CognitoMfaDirectory

        return CognitoMfaDirectory()

    @cached_property
    def dynamodb_client(self) -> Any:
        """A low-level client for the libraries that take one (Powertools' idempotency layer)."""
        import boto3

        return boto3.client("dynamodb", region_name=self.settings.tables.region)

    def idempotency_store(self, partition: str) -> "BasePersistenceLayer":
        """Powertools' DynamoDB persistence in the Meta table: `partition` is the record's `pk` (one per caller),
        the key's hash its `sk`; DynamoDB's TTL removes it after `expires_at`."""
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

        return DynamoDBPersistenceLayer(table_name=self.settings.tables.meta_table, key_attr="pk", sort_key_attr="sk",
                                        static_pk_value=partition, expiry_attr="expires_at",
                                        boto3_client=self.dynamodb_client)

    # -- audit of administration ----------------------------------------------------------------

    @cached_property
    def audit_store(self) -> "AuditStore":
        from helpdesk.audit.adapters.dynamo import DynamoAuditStore

        return DynamoAuditStore(self.tables)

    @cached_property
    def audit_trail(self) -> "AuditTrail":
        from helpdesk.audit.service import AuditTrail

        return AuditTrail(self.audit_store, clock=self.clock)

    @cached_property
    def audit_log(self) -> "AuditLog":
        from helpdesk.audit.service import AuditLog

        return AuditLog(self.audit_store)

    # -- tickets ---------------------------------------------------------------------------------

    @cached_property
    def ticket_repository(self) -> "TicketRepository":
        from helpdesk.tickets.adapters.dynamo import DynamoTicketRepository

        return DynamoTicketRepository(self.tables, text_policy=self.card_masking)

    @cached_property
    def card_masking(self) -> "CardMasking":
        """The tenant's card masking, under every ticket and chat write (its setting read lazily, once a minute)."""
        from helpdesk.privacy.card_masking import CardMasking

        def masks(tenant_id: str) -> bool:
            from helpdesk.privacy.adapters.dynamo import DynamoPrivacyStore

            return DynamoPrivacyStore(self.tables).settings(tenant_id)[0].mask_card_numbers
        return CardMasking(masks)

    @cached_property
    def ticket_service(self) -> "TicketService":
        from helpdesk.mail.side_contacts import SideContacts
        from helpdesk.reports.metrics import ReportMetricsHook
        from helpdesk.sla.hook import SlaHook
        from helpdesk.sla.report import record_finished_target
        from helpdesk.tickets.service import TicketService
        from helpdesk.tickets.thanks import ThanksRule
        from helpdesk.triggers.hook import TriggerHook

        # Triggers first: what they change (a priority, a group) counts for the SLA and the reports in the same write.
        return TicketService(self.ticket_repository,
                             hooks=[TriggerHook(self.trigger_store, self.assignment_policy),
                                    SlaHook(self.sla_settings_store, record_finished_target), ReportMetricsHook(),
                                    SideContacts()],
                             clock=self.clock, assignments=self.assignment_policy,
                             organizations=self.organization_lookup, fields=self.ticket_field_store,
                             customers=self.customer_links,
                             thanks=ThanksRule(lambda tenant: self.triage_settings.get(tenant).keep_solved_on_thanks))

    @cached_property
    def ticket_import(self) -> "TicketImport":
        """Another helpdesk's history written as history (`helpdesk import`): no hooks, nothing reacts to it."""
        from helpdesk.imports.service import TicketImport

        return TicketImport(self.ticket_repository, self.directory, self.directory_store, self.attachment_blobs,
                            self.audit_trail, self.mail_records.remember_message_id, self.ticket_fields,
                            max_file_bytes=self.settings.attachments.max_bytes, clock=self.clock,
                            customer_notes=self.customer_notes_store, customers=self.customer_links,
                            customer_addresses=self.customer_addresses, customer_profiles=self.customer_profile_store)

    @cached_property
    def macro_import(self) -> "MacroImport":
        """Another helpdesk's macros as macros here (`helpdesk import`)."""
        from helpdesk.imports.macros import MacroImport

        return MacroImport(self.macro_service, self.directory_store, self.ticket_fields)

    @cached_property
    def rule_import(self) -> "RuleImport":
        """Another helpdesk's rules for new tickets as routing rules here (`helpdesk import`)."""
        from helpdesk.imports.rules import RuleImport

        return RuleImport(self.ai_settings, self.directory_store)

    @cached_property
    def sla_import(self) -> "SlaImport":
        """Another helpdesk's SLA policies and business hours as SLA policies and calendars here (`helpdesk import`)."""
        from helpdesk.imports.sla import SlaImport

        return SlaImport(self.sla_admin, self.directory_store)

    @cached_property
    def view_import(self) -> "ViewImport":
        """Another helpdesk's saved ticket lists as saved views here (`helpdesk import`)."""
        from helpdesk.imports.views import ViewImport

        return ViewImport(self.view_service, self.directory_store, self.ticket_fields)

    @cached_property
    def ai_settings(self) -> "AiSettings":
        """The tenant's AI settings as the AI screen (and an import's routing rules) change them."""
        from helpdesk.triage.admin import AiSettings

        return AiSettings(self.triage_settings, self.audit_trail)

    @cached_property
    def article_import(self) -> "ArticleImport":
        """Another helpdesk's help centre as articles (`helpdesk import`): drafts unless the operator publishes."""
        from helpdesk.imports.articles import ArticleImport

        return ArticleImport(self.knowledge_service, self.article_images,
                             max_picture_bytes=self.settings.knowledge.image_max_bytes)

    @cached_property
    def ticket_field_store(self) -> "TicketFieldStore":
        from helpdesk.tickets.adapters.dynamo_fields import DynamoTicketFieldStore

        return DynamoTicketFieldStore(self.tables)

    @cached_property
    def ticket_fields(self) -> "TicketFieldDefinitions":
        from helpdesk.tickets.fields import TicketFieldDefinitions

        return TicketFieldDefinitions(self.ticket_field_store, audit=self.audit_trail, group_exists=self.group_exists)

    @cached_property
    def ticket_viewers(self) -> "TicketViewers":
        from helpdesk.tickets.adapters.dynamo_viewers import DynamoViewerStore
        from helpdesk.tickets.viewers import TicketViewers

        return TicketViewers(DynamoViewerStore(self.tables), self.ticket_service, clock=self.clock)

    # -- team directory (users, groups, organisations) -------------------------------------------

    @cached_property
    def directory_store(self) -> "DirectoryStore":
        from helpdesk.directory.adapters.dynamo import DynamoDirectoryStore

        return DynamoDirectoryStore(self.tables)

    @cached_property
    def auto_assignment(self) -> "AutoAssignment":
        """Tickets waiting in a group that assigns automatically, given to its members in turn (tickets stream)."""
        from helpdesk.directory.rotation import AutoAssignment

        return AutoAssignment(self.ticket_service, self.directory_store, clock=self.clock)

    @cached_property
    def problem_incidents(self) -> "ProblemIncidents":
        """A problem ticket solved solves its incidents still unsolved (tickets stream)."""
        from helpdesk.tickets.problems import ProblemIncidents

        return ProblemIncidents(self.ticket_service, self.agent_principal)

    def group_exists(self, tenant_id: str, group_id: str) -> bool:
        """Whether the tenant's directory has the group: what routing to a group (triage, mail) checks first."""
        return self.directory_store.get_group(tenant_id, group_id) is not None

    @cached_property
    def directory_identities(self) -> "Identities":
        """Cognito users when a user pool is set (AWS); else none (the local stack's development tokens). A
        Lambda without the pool is misconfigured: it must never record people who cannot sign in."""
        pool = self.settings.directory.user_pool_id
        if pool:
            from helpdesk.directory.adapters.cognito import CognitoIdentities

            return CognitoIdentities(pool)
        if self.settings.runtime.in_lambda:
            raise ConfigurationError("the directory needs HELPDESK_DIRECTORY_USER_POOL_ID")
        from helpdesk.directory.adapters.local_idp import LocalIdentities

        return LocalIdentities()

    @cached_property
    def directory(self) -> "DirectoryService":
        from helpdesk.directory.service import DirectoryService

        return DirectoryService(self.directory_store, self.directory_identities, clock=self.clock,
                                audit=self.audit_trail, handout=self.queue_handout)

    @cached_property
    def customer_notes_store(self) -> "CustomerNotesStore":
        from helpdesk.directory.adapters.dynamo import DynamoCustomerNotes

        return DynamoCustomerNotes(self.tables)

    @cached_property
    def customer_profile_store(self) -> "CustomerProfileStore":
        from helpdesk.directory.adapters.dynamo import DynamoCustomerProfiles

        return DynamoCustomerProfiles(self.tables)

    @cached_property
    def customer_profiles(self) -> "CustomerProfileService":
        """Customers' name, phone and language; the language of the team's mails to them (`language_of`)."""
        from helpdesk.directory.customers import CustomerProfileService

        def organization_claiming(tenant_id: str, email: str) -> "Organization | None":
            # imported on a customer's own profile only: mail and the customers list read profiles without the
            # directory's models (`directory/profiles.py`)
            from helpdesk.directory.service import OrganizationByDomain

            return OrganizationByDomain(self.directory_store).claiming(tenant_id, email)

        return CustomerProfileService(self.customer_profile_store, resolve=self.customer_links.principal,
                                      organizations=organization_claiming, clock=self.clock)

    @cached_property
    def customer_address_store(self) -> "CustomerAddressStore":
        from helpdesk.directory.adapters.dynamo import DynamoCustomerAddresses

        return DynamoCustomerAddresses(self.tables)

    @cached_property
    def customer_links(self) -> "CustomerLinks":
        """The customer a ticket's address is linked to and the name their profile sets (a hook of every ticket
        service), and a signed-in customer's."""
        from helpdesk.directory.customer_addresses import CustomerByAddress
        from helpdesk.directory.customers import ProfileNames
        from helpdesk.tickets.customer_links import CustomerLinks

        return CustomerLinks(CustomerByAddress(self.customer_address_store),
                             names=ProfileNames(self.customer_profile_store),
                             recheck_s=self.settings.api.staff_recheck_s, clock=self.clock)

    @cached_property
    def customer_addresses(self) -> "CustomerAddressService":
        from helpdesk.directory.customer_addresses import CustomerAddressService

        return CustomerAddressService(self.customer_address_store, self.ticket_service, clock=self.clock)

    @cached_property
    def customer_notes(self) -> "CustomerNotesService":
        from helpdesk.directory.customers import CustomerNotesService

        return CustomerNotesService(self.customer_notes_store, clock=self.clock)

    @cached_property
    def queue_handout(self) -> "QueueHandout":
        """A group's waiting tickets handed out (automatic assignment): the auto_assign function in AWS."""
        function = self.settings.directory.auto_assign_function
        if function:
            from helpdesk.directory.adapters.handout import LambdaHandout

            return LambdaHandout(function)
        if self.settings.runtime.in_lambda:
            raise ConfigurationError("the directory needs HELPDESK_DIRECTORY_AUTO_ASSIGN_FUNCTION")
        from helpdesk.directory.adapters.handout import InProcessHandout

        return InProcessHandout(lambda: self.auto_assignment)

    @cached_property
    def enrolment(self) -> "Enrolment":
        """Staff who sign in are put in the directory (the pre token trigger in AWS, the local sign-in page)."""
        from helpdesk.directory.enrolment import Enrolment

        return Enrolment(self.directory_store, clock=self.clock, audit=self.audit_trail)

    @cached_property
    def staff_standing(self) -> "StaffStanding":
        """Who a signed-in staff member is now (role, groups, ticket access, active), whatever their token says."""
        from helpdesk.directory.standing import StaffStanding

        return StaffStanding(self.directory_store, recheck_s=self.settings.api.staff_recheck_s, clock=self.clock)

    @cached_property
    def organization_lookup(self) -> "OrganizationLookup":
        """A new ticket's organisation: the one claiming the requester's mail domain."""
        from helpdesk.directory.service import OrganizationByDomain

        return OrganizationByDomain(self.directory_store)

    @cached_property
    def assignment_policy(self) -> "AssignmentPolicy":
        from helpdesk.directory.service import AssignmentCheck

        return AssignmentCheck(self.directory_store)

    @cached_property
    def trigger_import(self) -> "TriggerImport":
        """Another helpdesk's triggers on updates as triggers here (`helpdesk import`)."""
        from helpdesk.imports.triggers import TriggerImport

        return TriggerImport(self.triggers, self.directory_store, self.ticket_fields)

    @cached_property
    def importers(self) -> "Importers":
        """Every part of an import, in order (`helpdesk import`, the console's import jobs)."""
        from helpdesk.imports.runs import Importers

        return Importers(tickets=self.ticket_import, macros=self.macro_import, views=self.view_import,
                         sla=self.sla_import, rules=self.rule_import, triggers=self.trigger_import,
                         articles=lambda: self.article_import, knowledge_index=lambda: self.knowledge_index)

    @cached_property
    def import_jobs(self) -> "ImportJobs":
        """Imports started from the console (`/imports`) and carried out by the import worker."""
        from helpdesk.imports.adapters.aws import SecretsManagerVault, SqsImportQueue
        from helpdesk.imports.adapters.dynamo_jobs import DynamoImportJobStore
        from helpdesk.imports.adapters.opening import open_source
        from helpdesk.imports.job_service import ImportJobs

        imports = self.settings.imports
        return ImportJobs(DynamoImportJobStore(self.tables), SecretsManagerVault(imports.secret_prefix),
                          SqsImportQueue(imports.queue_url),
                          partial(open_source, allow_loopback=imports.allow_loopback), self.importers,
                          allow_loopback=imports.allow_loopback, margin_s=imports.round_margin_s, clock=self.clock,
                          audit=self.audit_trail)

    @cached_property
    def trigger_store(self) -> "TriggerStore":
        from helpdesk.triggers.adapters.dynamo import DynamoTriggerStore

        return DynamoTriggerStore(self.tables)

    @cached_property
    def triggers(self) -> "TriggerSettings":
        """The tenant's triggers as the Triggers screen reads and changes them."""
        from helpdesk.triggers.service import TriggerSettings

        return TriggerSettings(self.trigger_store, self.assignment_policy, self.audit_trail,
                               self.ticket_service.check_field_values, self.ticket_service.get_by_number,
                               sweeps=self.trigger_sweep_plan, business=self.business_time, clock=self.clock)

    @cached_property
    def trigger_sweep_plan(self) -> "SweepPlan":
        from helpdesk.triggers.adapters.dynamo import DynamoSweepPlan

        return DynamoSweepPlan(self.tables)

    @cached_property
    def time_triggers(self) -> "TimeTriggerSweep":
        """The hourly sweep of the tenants' time triggers, run on the SLA scan's schedule."""
        from helpdesk.triggers.sweep import TimeTriggerSweep

        return TimeTriggerSweep(self.trigger_store, self.trigger_sweep_plan, self.ticket_service,
                                assignments=self.assignment_policy, business=self.business_time, clock=self.clock)

    @cached_property
    def business_time(self) -> "BusinessTime":
        """Business minutes added in a ticket's business hours (its SLA policy's calendar): time triggers count them."""
        from helpdesk.sla.hook import business_time

        return business_time(self.sla_settings_store)

    # -- SLA -------------------------------------------------------------------------------------

    @cached_property
    def sla_settings_store(self) -> "SlaSettingsStore":
        from helpdesk.sla.adapters.dynamo import DynamoSlaSettingsStore

        return DynamoSlaSettingsStore(self.tables, cache_seconds=self.settings.sla.settings_cache_s)

    @cached_property
    def sla_due_index(self) -> "DueIndex":
        from helpdesk.sla.adapters.dynamo import DynamoDueIndex

        return DynamoDueIndex(self.tables)

    @cached_property
    def sla_ledger(self) -> "NotificationLedger":
        from helpdesk.sla.adapters.dynamo import DynamoNotificationLedger

        return DynamoNotificationLedger(self.tables)

    @cached_property
    def sla_notifier(self) -> "Notifier":
        from helpdesk.sla.adapters.notifier import SnsSesNotifier

        sla = self.settings.sla
        return SnsSesNotifier(topic_arn=sla.topic_arn, mail_from=sla.mail_from,
                              console_url=self.settings.api.console_url)

    @cached_property
    def sla_scan(self) -> "SlaScan":
        from helpdesk.sla.scan import SlaScan

        return SlaScan(self.ticket_service, self.sla_settings_store, self.sla_due_index, self.sla_ledger,
                       self.sla_notifier, assignee_contact=self.notified_contact,
                       languages=self.customer_profiles.language_of, clock=self.clock)

    @cached_property
    def reminders(self) -> "Reminders":
        """Agents' reminders of tickets; the SLA scan's schedule sends the due ones (from the SLA mail address)."""
        from helpdesk.reminders.adapters.dynamo import DynamoReminders
        from helpdesk.reminders.adapters.ses import SesReminderMailer
        from helpdesk.reminders.service import Recipient, Reminders

        mail_from = self.settings.sla.mail_from
        mailer = SesReminderMailer(mail_from, self.settings.api.console_url) if mail_from else None

        def recipient(tenant_id: str, user_id: str) -> Recipient | None:
            found, caller = self.notified_agent(tenant_id, user_id), self.agent_principal(tenant_id, user_id)
            return Recipient(found.email, found.language, caller) if found is not None and caller is not None else None

        return Reminders(DynamoReminders(self.tables), self.ticket_service, mailer, recipient, clock=self.clock)

    @cached_property
    def scheduled_round(self) -> "ScheduledRound":
        """What the SLA scan's schedule runs: the scan, the reminders due, the time triggers' sweeps."""
        from helpdesk.sla.schedule import ScheduledRound

        return ScheduledRound(self.sla_scan, self.reminders, self.time_triggers)

    @cached_property
    def sla_admin(self) -> "SlaAdmin":
        from helpdesk.sla.admin import SlaAdmin

        return SlaAdmin(self.sla_settings_store, audit=self.audit_trail)

    @cached_property
    def sla_reporting(self) -> "SlaReporting":
        from helpdesk.sla.report import SlaReporting

        return SlaReporting(self.ticket_service, clock=self.clock)

    # -- reports and CSAT ------------------------------------------------------------------------

    @cached_property
    def chat_activity(self) -> "ChatActivity":
        from helpdesk.reports.adapters.dynamo import DynamoChatActivity

        return DynamoChatActivity(self.tables)

    @cached_property
    def reports(self) -> "Reports":
        from helpdesk.reports.service import Reports

        return Reports(self.ticket_service, self.chat_activity, clock=self.clock)

    @property
    def csat_configured(self) -> bool:
        """Whether CSAT links can be signed here (a secret, or the local stack's development secret)."""
        reports, api = self.settings.reports, self.settings.api
        return bool(reports.csat_secret or reports.csat_secret_parameter
                    or (api.auth_mode == "local" and api.local_jwt_secret is not None))

    def csat_secret(self) -> str:
        from helpdesk.platform.secrets import secret_value
        from helpdesk.reports.csat import derived_local_secret

        reports, api = self.settings.reports, self.settings.api
        secret = secret_value(reports.csat_secret, reports.csat_secret_parameter)
        if secret:
            return secret
        if api.auth_mode == "local" and api.local_jwt_secret is not None:
            return derived_local_secret(api.local_jwt_secret.get_secret_value())
        raise ConfigurationError("CSAT links need HELPDESK_REPORTS_CSAT_SECRET or "
                                 "HELPDESK_REPORTS_CSAT_SECRET_PARAMETER")

    @cached_property
    def csat_links(self) -> "CsatLinks":
        from helpdesk.reports.csat import CsatLinks

        reports = self.settings.reports
        return CsatLinks(self.csat_secret, reports.portal_url, reports.csat_link_days, clock=self.clock)

    @cached_property
    def csat_service(self) -> "CsatService":
        from helpdesk.reports.csat import CsatService

        return CsatService(self.ticket_service, self.csat_links, clock=self.clock)

    # -- mail ------------------------------------------------------------------------------------

    @cached_property
    def mail_records(self) -> "MailRecords":
        from helpdesk.mail.adapters.dynamo import DynamoMailRecords

        return DynamoMailRecords(self.tables, clock=self.clock)

    @cached_property
    def mail_sender(self) -> "MailSender":
        from helpdesk.mail.adapters.ses import SesMailSender

        return SesMailSender(configuration_set=self.settings.mail.configuration_set)

    @cached_property
    def raw_mail_store(self) -> "RawMailStore":
        from helpdesk.mail.adapters.s3 import S3MailStore

        if not self.settings.mail.bucket:
            raise ConfigurationError("mail needs HELPDESK_MAIL_BUCKET (the bucket SES writes inbound mail to)")
        return S3MailStore(self.settings.mail.bucket)

    @cached_property
    def mail_outbound(self) -> "MailOutbound":
        from helpdesk.mail.outbound import MailOutbound

        read_file = self.attachment_blobs.read if self.settings.attachments.bucket or self.settings.mail.bucket \
            else None
        csat_link = self.csat_links.link if self.csat_configured else None
        return MailOutbound(self.ticket_service, self.mail_records, self.mail_sender, self.settings.mail,
                            clock=self.clock, live=self.chat_presence, read_file=read_file,
                            agents=self.agent_signature, csat_link=csat_link,
                            languages=self.customer_profiles.language_of,
                            accent=lambda tenant: self.triage_settings.get(tenant).widget.accent_color)

    @cached_property
    def mail_feedback(self) -> "DeliveryFeedback":
        from helpdesk.directory.service import TeammateBounces
        from helpdesk.mail.feedback import DeliveryFeedback

        return DeliveryFeedback(self.ticket_service, self.mail_records, clock=self.clock, inbox=self.inbox_store,
                                teammates=TeammateBounces(self.directory_store))

    @cached_property
    def agent_notifications(self) -> "AgentNotifications":
        from helpdesk.mail.notifications import AgentNotifications

        return AgentNotifications(self.ticket_service, self.mail_records, self.mail_sender, self.settings.mail,
                                  self.notified_agent, console_url=self.settings.api.console_url,
                                  queue_watchers=self.queue_watchers, team_of=self.team_of,
                                  mentioned=self.mentioned_agents, followers=self.following_agents,
                                  inbox=self.inbox_store, clock=self.clock)

    @cached_property
    def inbox_store(self) -> "InboxStore":
        from helpdesk.inbox.adapters.dynamo import DynamoInbox

        return DynamoInbox(self.tables)

    @cached_property
    def inbox(self) -> "Inbox":
        """Agents' notifications in the console (`GET /notifications`)."""
        from helpdesk.inbox.service import Inbox

        def team_member_name(tenant_id: str, user_id: str) -> str | None:
            found = self.directory_store.get_user(tenant_id, user_id)
            return found.name if found is not None and found.is_staff else None

        return Inbox(self.inbox_store, self.ticket_repository, team_member_name, clock=self.clock)

    def notified_agent(self, tenant_id: str, user_id: str) -> "Agent | None":
        """An active agent's or admin's name, address, language and mail wishes, for the mail about their tickets."""
        from helpdesk.directory.service import active_agent

        profile = active_agent(self.directory_store, tenant_id, user_id)
        return self.notified_agent_from(profile) if profile is not None else None

    @staticmethod
    def notified_agent_from(profile: "User") -> "Agent":
        """The profile as a notification's recipient; its groups as read (`with_groups`), else none."""
        from helpdesk.mail.notifications import Agent

        return Agent(name=profile.name, email=profile.email, language=profile.language, time_zone=profile.time_zone,
                     wants_mail=profile.notify_by_mail, new_tickets=profile.notify_new_tickets, id=profile.id,
                     role=profile.role, groups=tuple(profile.groups), ticket_access=profile.ticket_access)

    def queue_watchers(self, tenant_id: str, group_id: str | None) -> "list[Agent]":
        """The active agents and admins whose queue a new ticket of `group_id` is in (`team_of`). Nobody for a group
        that hands its tickets out (`auto_assign`) while a member takes them: the one whose turn it is hears of it
        as their assignment instead."""
        from helpdesk.directory.rotation import takes_tickets

        group, profiles = self._queue_profiles(tenant_id, group_id)
        if group is not None and group.auto_assign and any(takes_tickets(p) for p in profiles):
            return []
        return [self.notified_agent_from(p) for p in profiles]

    def team_of(self, tenant_id: str, group_id: str | None) -> "list[Agent]":
        """The active agents and admins whose queue a ticket of `group_id` is in, as `notified_agent` gives them: the
        group's members; for a ticket in no group, the admins and the agents in no group (agents of groups work
        their groups' tickets)."""
        return [self.notified_agent_from(p) for p in self._queue_profiles(tenant_id, group_id)[1]]

    def _queue_profiles(self, tenant_id: str, group_id: str | None) -> "tuple[Group | None, list[User]]":
        from helpdesk.directory.service import active_agent, staff_in_no_group

        if group_id is None:
            return None, list(staff_in_no_group(self.directory_store, tenant_id))
        group = self.directory_store.get_group(tenant_id, group_id)
        return group, [p for p in (active_agent(self.directory_store, tenant_id, member)
                                   for member in (group.members if group else [])) if p is not None]

    def mentioned_agents(self, tenant_id: str, handles: Sequence[str]) -> "list[Agent]":
        """The active agents and admins a note mentions by handle (the local part of their directory address)."""
        from helpdesk.directory.service import staff_by_handle, with_groups

        found = staff_by_handle(self.directory_store, tenant_id, handles)
        if not found:
            return []
        groups = self.directory_store.list_groups(tenant_id)  # which tickets each may see
        return [self.notified_agent_from(with_groups(u, groups)) for u in found]

    def following_agents(self, tenant_id: str, user_ids: Sequence[str]) -> "list[Agent]":
        """Those of a ticket's followers who are still active agents and admins, with their groups (which tickets
        each may open)."""
        from helpdesk.directory.service import active_agent, with_groups

        found = [u for u in (active_agent(self.directory_store, tenant_id, i) for i in user_ids) if u is not None]
        if not found:
            return []
        groups = self.directory_store.list_groups(tenant_id)
        return [self.notified_agent_from(with_groups(u, groups)) for u in found]

    def notified_contact(self, tenant_id: str, user_id: str) -> "SlaReader | None":
        """The address, language and time zone of an active agent who takes mail about their tickets
        (`notify_by_mail`), else None."""
        from helpdesk.sla.ports import SlaReader

        agent = self.notified_agent(tenant_id, user_id)
        return SlaReader(agent.email, agent.language, agent.time_zone) if agent is not None and agent.wants_mail \
            else None

    def agent_signature(self, tenant_id: str, user_id: str) -> tuple[str, str | None] | None:
        """An active agent's display name and signature, for their mail replies (None: not in the directory)."""
        from helpdesk.directory.service import active_agent

        profile = active_agent(self.directory_store, tenant_id, user_id)  # no identity provider needed
        return (profile.name, profile.signature) if profile is not None else None

    @cached_property
    def mail_ingest(self) -> "MailIngest":
        from helpdesk.mail.service import MailIngest

        return MailIngest(self.ticket_service, self.raw_mail_store, self.mail_records, self.mail_outbound,
                          self.settings.mail, agent=self.agent_principal, agent_at=self.agent_at_address,
                          cards=self.card_masking)

    def agent_at_address(self, tenant_id: str, email: str) -> "Principal | None":
        """The active agent or admin whose directory address `email` is (an agent forwarding a customer's mail)."""
        user_id = self.directory_store.user_id_for_email(tenant_id, email.strip().lower())
        return self.agent_principal(tenant_id, user_id) if user_id else None

    def agent_principal(self, tenant_id: str, user_id: str) -> "Principal | None":
        """An active agent or admin of the directory as a caller, with their directory groups (what their
        ticket access is checked against): who answers by mail."""
        from helpdesk.directory.service import active_agent, as_caller, with_groups

        profile = active_agent(self.directory_store, tenant_id, user_id)
        if profile is None:
            return None
        return as_caller(with_groups(profile, self.directory_store.list_groups(tenant_id)))

    @cached_property
    def mail_admin(self) -> "MailAdmin":
        from helpdesk.mail.admin import MailAdmin

        return MailAdmin(self.mail_records, self.mail_sender, self.settings.mail, clock=self.clock,
                         audit=self.audit_trail, group_exists=self.group_exists, redelivery=self.mail_redelivery)

    @cached_property
    def mail_redelivery(self) -> "MailRedelivery":
        """A held mail an admin lets in, delivered again: by the email_ingest function in AWS."""
        function = self.settings.mail.ingest_function
        if function:
            from helpdesk.mail.adapters.redelivery import LambdaRedelivery

            return LambdaRedelivery(function)
        if self.settings.runtime.in_lambda:
            raise ConfigurationError("the mail admin API needs HELPDESK_MAIL_INGEST_FUNCTION")
        from helpdesk.mail.adapters.redelivery import InProcessRedelivery

        return InProcessRedelivery(lambda: self.mail_ingest)

    @cached_property
    def spam_marking(self) -> "SpamMarking":
        from helpdesk.directory.service import TeamAddresses
        from helpdesk.mail.spam import SpamMarking

        return SpamMarking(self.ticket_service, self.mail_records, self.audit_trail,
                           TeamAddresses(self.directory_store).is_teammate)

    @cached_property
    def side_conversations(self) -> "SideConversations":
        from helpdesk.mail.side import SideConversations

        return SideConversations(self.ticket_service, self.mail_records, self.settings.mail,
                                 self.attachment_service.post_message)

    @cached_property
    def child_replies(self) -> "ChildReplies":
        from helpdesk.macros.child_replies import ChildReplies

        return ChildReplies(self.ticket_service)

    # -- attachments -----------------------------------------------------------------------------

    @cached_property
    def attachment_records(self) -> "AttachmentRecords":
        from helpdesk.attachments.adapters.dynamo import DynamoAttachmentRecords

        return DynamoAttachmentRecords(self.tables)

    def attachment_bucket(self) -> str:
        bucket = self.settings.attachments.bucket or self.settings.mail.bucket
        if not bucket:
            raise ConfigurationError("attachments need HELPDESK_ATTACHMENTS_BUCKET or HELPDESK_MAIL_BUCKET")
        return bucket

    @cached_property
    def attachment_blobs(self) -> "AttachmentBlobs":
        from helpdesk.attachments.adapters.s3 import S3AttachmentBlobs

        return S3AttachmentBlobs(self.attachment_bucket())

    @cached_property
    def malware_scanner(self) -> "MalwareScanner":
        if self.settings.attachments.scanner == "guardduty":
            from helpdesk.attachments.adapters.scanners import GuardDutyTagScanner

            return GuardDutyTagScanner(self.attachment_bucket())
        from helpdesk.attachments.adapters.scanners import NoScanner

        return NoScanner()

    @cached_property
    def attachment_service(self) -> "AttachmentService":
        from helpdesk.attachments.service import AttachmentService

        return AttachmentService(self.ticket_service, self.attachment_records, self.attachment_blobs,
                                 self.malware_scanner, self.settings.attachments, clock=self.clock)

    # -- macros ----------------------------------------------------------------------------------

    @cached_property
    def macro_store(self) -> "MacroStore":
        from helpdesk.macros.adapters.dynamo import DynamoMacroStore

        return DynamoMacroStore(self.tables)

    @cached_property
    def macro_service(self) -> "MacroService":
        from helpdesk.macros.service import MacroService

        return MacroService(self.macro_store, self.ticket_service, clock=self.clock,
                            assignments=self.assignment_policy)

    # -- saved views -----------------------------------------------------------------------------

    @cached_property
    def view_store(self) -> "ViewStore":
        from helpdesk.views.adapters.dynamo import DynamoViewStore

        return DynamoViewStore(self.tables)

    @cached_property
    def view_service(self) -> "ViewService":
        from helpdesk.views.service import ViewService

        return ViewService(self.view_store, self.ticket_service, clock=self.clock)

    # -- knowledge -------------------------------------------------------------------------------

    @cached_property
    def embedder(self) -> "Embedder":
        return make_embedder(self.settings.knowledge)

    def index_dir(self) -> Path:
        kb, runtime = self.settings.knowledge, self.settings.runtime
        if kb.index_dir is not None:
            return kb.index_dir
        if runtime.home is not None and not runtime.in_lambda:
            return runtime.home / "knowledge-index"
        # A Lambda has no durable local folder: a function that searches needs the OpenSearch settings.
        raise ConfigurationError("knowledge index not configured: set HELPDESK_KB_INDEX=opensearch and "
                                 "HELPDESK_KB_OPENSEARCH_ENDPOINT (AWS), or HELPDESK_KB_INDEX_DIR / HELPDESK_HOME")

    @cached_property
    def knowledge_index(self) -> "KnowledgeIndex":
        kb = self.settings.knowledge
        if kb.index == "opensearch":
            from helpdesk.knowledge.adapters.opensearch_index import OpenSearchIndex

            if not kb.opensearch_endpoint:
                raise ConfigurationError("HELPDESK_KB_OPENSEARCH_ENDPOINT is required with "
                                         "HELPDESK_KB_INDEX=opensearch")
            return OpenSearchIndex.connect(kb.opensearch_endpoint, index=kb.opensearch_index,
                                           service=kb.opensearch_service, region=kb.region,
                                           dimension=self.embedder.dimension)
        from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex

        # Vectors of one model only: a different embedder gets its own folder rather than mixing spaces.
        return EmbeddedIndex(self.index_dir() / self.embedder.model_id, dimension=self.embedder.dimension)

    @cached_property
    def retriever(self) -> "HybridRetriever":
        from helpdesk.knowledge.retrieval import HybridRetriever

        return HybridRetriever(self.knowledge_index, self.embedder)

    @cached_property
    def article_indexer(self) -> "ArticleIndexer":
        from helpdesk.knowledge.indexing import ArticleIndexer

        return ArticleIndexer(self.knowledge_index, self.embedder)

    @cached_property
    def article_repository(self) -> "ArticleRepository":
        from helpdesk.knowledge.adapters.dynamo import DynamoArticleRepository

        return DynamoArticleRepository(self.tables)

    @cached_property
    def knowledge_service(self) -> "KnowledgeService":
        from helpdesk.knowledge.service import KnowledgeService

        return KnowledgeService(self.article_repository, self.article_indexer, self.search_retriever,
                                public_help_center=self.settings.knowledge.public_help_center, clock=self.clock)

    @cached_property
    def article_images(self) -> "ArticleImages":
        """Pictures in articles: records beside the articles, bytes in the attachment bucket (under kb/)."""
        from helpdesk.knowledge.adapters.dynamo_images import DynamoArticleImageRecords
        from helpdesk.knowledge.images import ArticleImages

        return ArticleImages(self.knowledge_service, DynamoArticleImageRecords(self.tables), self.attachment_blobs,
                             self.malware_scanner, max_bytes=self.settings.knowledge.image_max_bytes,
                             upload_expiry_s=self.settings.attachments.upload_expiry_s, clock=self.clock)

    # -- intents and the assistant ----------------------------------------------------------------

    @cached_property
    def intent_catalogs(self) -> "IntentCatalogStore":
        from helpdesk.intents.adapters.dynamo import DynamoIntentCatalogStore

        return DynamoIntentCatalogStore(self.tables)

    @cached_property
    def intent_classifiers(self) -> "CatalogClassifiers":
        return _catalog_classifiers(self.embedder, self.reader, self.settings.ai.intent_min_confidence)

    @cached_property
    def offline_llm(self) -> "LlmPort":
        from helpdesk.assistant.adapters.offline import OfflineLlm

        return OfflineLlm(self.embedder, self.intent_classifiers, reader=self.answer_reader)

    @cached_property
    def primary_llm(self) -> "ClaudeLlm | None":
        """The configured Claude adapter for background work (triage), or None when the offline adapter is the model."""
        return self._claude(chat=False)

    @cached_property
    def chat_llm(self) -> "ClaudeLlm | None":
        """The same model for the chat turn, on a client with the turn's tight timeout and one retry."""
        return self._claude(chat=True)

    def _claude(self, *, chat: bool) -> "ClaudeLlm | None":
        ai = self.settings.ai
        if ai.provider == "offline":
            return None
        if ai.provider == "bedrock":
            from helpdesk.assistant.adapters.bedrock import bedrock_llm

            return bedrock_llm(ai, chat=chat)
        from helpdesk.platform.secrets import secret_value

        key = secret_value(ai.anthropic_api_key, ai.anthropic_api_key_parameter)
        if not key:
            if ai.provider == "anthropic":
                raise ConfigurationError("HELPDESK_AI_PROVIDER=anthropic needs a key: HELPDESK_AI_ANTHROPIC_API_KEY, "
                                         "HELPDESK_AI_ANTHROPIC_API_KEY_PARAMETER or ANTHROPIC_API_KEY")
            return None
        from helpdesk.assistant.adapters.anthropic import anthropic_llm

        return anthropic_llm(ai, key, chat=chat)

    def configured_llm(self) -> "ClaudeLlm | None":
        """The primary model for background work (triage): a misconfigured provider is logged, not fatal."""
        try:
            return self.primary_llm
        except ConfigurationError as exc:
            from helpdesk.platform.observability import logger

            logger.warning("AI runs offline", extra={"reason": str(exc)})
            return None

    @cached_property
    def breaker_store(self) -> "BreakerStateStore | None":
        """Breaker state shared by every container (Meta table items), or None: each container for itself."""
        if not self.settings.ai.breaker_shared:
            return None
        from helpdesk.assistant.adapters.dynamo_breaker import DynamoBreakerStore

        return DynamoBreakerStore(self.tables)

    def breaker(self, name: str, call_limit_s: float) -> "CircuitBreaker":
        """A breaker around one dependency of the chat turn, its state shared through `breaker_store`."""
        from helpdesk.assistant.circuit_breaker import CircuitBreaker

        ai = self.settings.ai
        return CircuitBreaker(ai.breaker_failures, ai.breaker_reset_s, name=name, store=self.breaker_store,
                              refresh_s=ai.breaker_refresh_s, trial_s=call_limit_s + 1.0)

    @cached_property
    def answer_reader(self) -> "Embedder | None":
        """The second embedder the answerability model reads with (MiniLM beside USE), if it has one."""
        return answer_reader_for(self.embedder, self.reader)

    @cached_property
    def reader(self) -> "Embedder | None":
        """MiniLM beside another embedder, where its files are installed (`make_reader`)."""
        return make_reader(self.settings.knowledge, self.embedder.model_id)

    @cached_property
    def search_retriever(self) -> "ArticleRetriever":
        """The knowledge search's retriever (API, `helpdesk kb eval`): the hybrid, re-ranked by the reader."""
        from helpdesk.knowledge.reranking import reranked

        return reranked(self.retriever, self.reader)

    @cached_property
    def assistant(self) -> "ChatAssistant":
        from helpdesk.assistant.service import ChatAssistant, TurnLimits

        ai, kb = self.settings.ai, self.settings.knowledge
        primary = self.chat_llm
        llm_name = f"llm:{primary.name}:{primary.model_id}" if primary is not None else "llm:offline"
        index_name = f"retrieval:{kb.index}:{kb.opensearch_index if kb.index == 'opensearch' else kb.embedder}"
        return ChatAssistant(tickets=self.ticket_service, retriever=self.retriever, evidence=self.evidence,
                             catalogs=self.intent_catalogs, offline=self.offline_llm, primary=primary,
                             breaker=self.breaker(llm_name, ai.chat_call_timeout_s),
                             retrieval_breaker=self.breaker(index_name, ai.retrieval_timeout_s),
                             limits=TurnLimits(budget_s=ai.turn_budget_s, llm_call_s=ai.chat_call_timeout_s,
                                               retrieval_s=ai.retrieval_timeout_s),
                             intent_min_confidence=ai.intent_min_confidence, passages=ai.passages,
                             budget=self.token_budget,
                             link_domains=lambda tenant: self.triage_settings.get(tenant).allowed_link_domains)

    @cached_property
    def evidence(self) -> "EvidenceJudge":
        """Which retrieved passages answer a question: the chat's answers, the reply drafts and the knowledge loop's
        coverage all ask it."""
        return make_evidence(self.embedder, self.reader, self.settings.ai)

    @cached_property
    def token_budget(self) -> "TokenBudget":
        from helpdesk.assistant.adapters.dynamo_budget import DynamoTokenLedger
        from helpdesk.assistant.budget import TokenBudget
        from helpdesk.platform.observability import logger

        return TokenBudget(DynamoTokenLedger(self.tables), self.settings.ai.daily_token_budget, clock=self.clock,
                           warn=logger.warning)

    # -- chat ------------------------------------------------------------------------------------

    @cached_property
    def intent_rag(self) -> "IntentRagClient":
        chat = self.settings.chat
        if chat.intent_rag_function:
            from helpdesk.chat.adapters.intent_rag import LambdaIntentRag

            return LambdaIntentRag(chat.intent_rag_function, chat.intent_rag_timeout_s)
        from helpdesk.chat.adapters.intent_rag import InProcessIntentRag

        return InProcessIntentRag(lambda: self.assistant)

    @cached_property
    def chat_store(self) -> "ChatStore":
        from helpdesk.chat.adapters.dynamo import DynamoChatStore

        return DynamoChatStore(self.tables, message_policy=self.card_masking.chat_text)

    def chat_token_secret(self) -> str:
        from helpdesk.chat.tokens import derived_local_secret
        from helpdesk.platform.secrets import secret_value

        chat, api = self.settings.chat, self.settings.api
        secret = secret_value(chat.token_secret, chat.token_secret_parameter)
        if secret:
            return secret
        if api.auth_mode == "local" and api.local_jwt_secret is not None:
            return derived_local_secret(api.local_jwt_secret.get_secret_value())
        raise ConfigurationError("chat session tokens need HELPDESK_CHAT_TOKEN_SECRET or "
                                 "HELPDESK_CHAT_TOKEN_SECRET_PARAMETER")

    @cached_property
    def chat_service(self) -> "ChatService":
        from helpdesk.chat.service import ChatService

        attachments = self.attachment_service if self.settings.attachments.bucket or self.settings.mail.bucket \
            else None
        return ChatService(self.chat_store, self.intent_rag, self.settings.chat, self.chat_token_secret(),
                           clock=self.clock, tickets=self.ticket_service, attachments=attachments,
                           codes=self.chat_code_mailer, public_help_center=self.settings.knowledge.public_help_center)

    @cached_property
    def chat_widget_origins(self) -> "TenantOrigins":
        """Each tenant's widget origins (its AI settings), which the chat API allows in CORS."""
        from helpdesk.web.cors import TenantOrigins

        return TenantOrigins(lambda tenant: self.triage_settings.get(tenant).widget_origins)

    @cached_property
    def chat_widget_looks(self) -> "WidgetLooks":
        """Each tenant's widget look (its AI settings), which the widget reads before a conversation starts."""
        from helpdesk.chat.widget import WidgetLooks

        return WidgetLooks(lambda tenant: self.triage_settings.get(tenant).widget, self.settings.chat.allows_anonymous)

    @cached_property
    def chat_identity_keys(self) -> "IdentityKeys":
        """The keys a tenant's site signs its signed-in visitors with; the chat verifies their tokens with them."""
        from helpdesk.chat.adapters.identity_keys import DynamoIdentityKeys
        from helpdesk.chat.identity import IdentityKeys

        return IdentityKeys(DynamoIdentityKeys(self.tables), clock=self.clock, audit=self.audit_trail)

    @cached_property
    def chat_limits(self) -> "ChatLimits":
        from helpdesk.chat.adapters.limits import DynamoWindowCounter
        from helpdesk.chat.limits import ChatLimits

        return ChatLimits(DynamoWindowCounter(self.tables, clock=self.clock), self.settings.chat,
                          self.chat_token_secret(), clock=self.clock)

    @cached_property
    def chat_code_mailer(self) -> "CodeMailer":
        from helpdesk.chat.adapters.code_mail import MailedCodes

        return MailedCodes(self.mail_records, self.mail_sender, self.settings.mail, clock=self.clock)

    @cached_property
    def chat_relay(self) -> "ChatRelay":
        """Copies a chat ticket's public messages into its chat session (ticket-events stream)."""
        from helpdesk.chat.relay import ChatRelay

        return ChatRelay(self.chat_store, self.ticket_service)

    @cached_property
    def chat_presence(self) -> "ChatPresence":
        from helpdesk.chat.relay import ChatPresence

        return ChatPresence(self.chat_store, self.settings.chat, clock=self.clock)

    # -- triage ----------------------------------------------------------------------------------

    @cached_property
    def triage_settings(self) -> "TriageSettingsStore":
        from helpdesk.triage.adapters.dynamo import DynamoTriageSettingsStore

        return DynamoTriageSettingsStore(self.tables)

    @cached_property
    def ticket_vectors(self) -> "TicketVectors":
        from helpdesk.triage.adapters.dynamo import DynamoTicketVectors

        return DynamoTicketVectors(self.tables)

    @cached_property
    def triage_store(self) -> "TriageStore":
        from helpdesk.triage.adapters.dynamo import DynamoTriageStore

        return DynamoTriageStore(self.tables)

    @cached_property
    def taxonomy_store(self) -> "TaxonomyStore":
        from helpdesk.intents.adapters.dynamo import DynamoTaxonomyStore

        return DynamoTaxonomyStore(self.tables)

    @cached_property
    def tenant_categories(self) -> "TenantCategories":
        from helpdesk.intents.tenant_categories import TenantCategories

        return TenantCategories(self.taxonomy_store, self.triage_classifier, clock=self.clock,
                                audit=self.audit_trail)

    def triage_classifier(self, catalog: "IntentCatalog") -> "IntentClassifier":
        """Triage's classifier over a catalog: nearest examples (trained once per catalog), behind the
        configured LLM when there is one (the embedded classifier answers when it cannot)."""
        classifier: IntentClassifier = self.intent_classifiers.nearest(catalog)
        llm = self.configured_llm()
        if llm is None:
            return classifier
        from helpdesk.triage.llm_classifier import LlmIntentClassifier

        return LlmIntentClassifier(llm, catalog, classifier)

    @cached_property
    def article_links(self) -> "ArticleLinks":
        """Where customers read an article: drafts' footnotes, the agents' search results."""
        from helpdesk.knowledge.links import ArticleLinks

        return ArticleLinks(self.settings.reports.portal_url, self.settings.knowledge.public_help_center)

    @cached_property
    def triage(self) -> "Triage":
        from helpdesk.triage.replies import LlmReplyWriter, ReplyWriter, TemplateReplyWriter
        from helpdesk.triage.service import EMBEDDED_MODEL, Triage
        from helpdesk.triage.summaries import ThreadSummarizer

        links = self.article_links  # the cited articles' links in a draft
        replies: ReplyWriter = TemplateReplyWriter(self.embedder, links=links, clock=self.clock)
        llm = self.configured_llm()
        if llm is not None:
            replies = LlmReplyWriter(llm, replies, links=links, clock=self.clock)
        return Triage(self.ticket_service, self.triage_store, self.triage_settings, self.ticket_vectors,
                      self.embedder, self.tenant_categories, self.retriever, replies,
                      llm.model_id if llm is not None else EMBEDDED_MODEL, clock=self.clock,
                      group_exists=self.group_exists, evidence=self.evidence, passages=self.settings.ai.passages,
                      summaries=ThreadSummarizer(llm, self.token_budget),
                      # an AI draft sent with files: the attachment service is built only when files come
                      post_with_files=lambda *args, **kwargs: self.attachment_service.post_message(*args, **kwargs))

    @cached_property
    def knowledge_loop(self) -> "KnowledgeLoop":
        from helpdesk.triage.drafts import KnowledgeBaseDrafts
        from helpdesk.triage.knowledge_loop import KnowledgeLoop

        return KnowledgeLoop(self.triage, KnowledgeBaseDrafts(lambda: self.knowledge_service), self.evidence,
                             passages=self.settings.ai.passages)

    @cached_property
    def ticket_stream(self) -> "TicketStreamServices":
        from helpdesk.triage.events import TicketStreamServices

        return TicketStreamServices(triage=self.triage, knowledge_loop=self.knowledge_loop,
                                    vectors=self.ticket_vectors)

    # -- events out (bus, webhooks) ------------------------------------------------------------------

    @cached_property
    def event_bus(self) -> "EventBus":
        from helpdesk.webhooks.adapters.aws import EventBridgeBus

        if not self.settings.events.bus_name:
            raise ConfigurationError("publishing events needs HELPDESK_EVENTS_BUS_NAME")
        return EventBridgeBus(self.settings.events.bus_name)

    @cached_property
    def webhook_admin(self) -> "WebhookAdmin":
        from helpdesk.webhooks.adapters.dynamo import DynamoDeliveryLog, DynamoSubscriptionStore
        from helpdesk.webhooks.service import WebhookAdmin

        return WebhookAdmin(DynamoSubscriptionStore(self.tables), DynamoDeliveryLog(self.tables),
                            allow_loopback=self.settings.events.allow_loopback_webhooks, clock=self.clock,
                            audit=self.audit_trail)

    @cached_property
    def webhook_http(self) -> "HttpPoster":
        from helpdesk.webhooks.adapters.http import UrllibPoster

        return UrllibPoster()

    @cached_property
    def webhook_queue(self) -> "RetryQueue":
        from helpdesk.webhooks.adapters.aws import SqsRetryQueue

        events = self.settings.events
        if not events.webhook_queue_url or not events.webhook_dlq_url:
            raise ConfigurationError("the webhook sender needs HELPDESK_EVENTS_WEBHOOK_QUEUE_URL and "
                                     "HELPDESK_EVENTS_WEBHOOK_DLQ_URL")
        return SqsRetryQueue(events.webhook_queue_url, events.webhook_dlq_url)

    @cached_property
    def webhook_sender(self) -> "WebhookSender":
        from helpdesk.webhooks.adapters.dynamo import DynamoDeliveryLog, DynamoSubscriptionStore
        from helpdesk.webhooks.service import WebhookSender

        events = self.settings.events
        return WebhookSender(DynamoSubscriptionStore(self.tables), DynamoDeliveryLog(self.tables), self.webhook_http,
                             self.webhook_queue, allow_loopback=events.allow_loopback_webhooks,
                             timeout_s=events.webhook_timeout_s, clock=self.clock)

    # -- API clients (client credentials) ------------------------------------------------------------

    @cached_property
    def client_registry(self) -> "ClientRegistry":
        from helpdesk.clients.adapters.dynamo import DynamoClientRegistry

        return DynamoClientRegistry(self.tables)

    @cached_property
    def app_clients(self) -> "AppClients":
        """Cognito app clients when a user pool is set (AWS); else the local stack's, which its token endpoint
        checks. A Lambda without the pool is misconfigured: it must never make clients no token endpoint knows."""
        clients = self.settings.clients
        if clients.user_pool_id:
            from helpdesk.clients.adapters.cognito import CognitoAppClients

            return CognitoAppClients(clients.user_pool_id, clients.resource_server)
        if self.settings.runtime.in_lambda:
            raise ConfigurationError("API clients need HELPDESK_CLIENTS_USER_POOL_ID")
        from helpdesk.clients.adapters.local_idp import LocalAppClients

        return LocalAppClients(self.tables)

    @cached_property
    def client_admin(self) -> "ClientAdmin":
        from helpdesk.clients.service import ClientAdmin

        return ClientAdmin(self.client_registry, self.app_clients, audience=self.client_audience, clock=self.clock,
                           audit=self.audit_trail)

    @cached_property
    def client_audience(self) -> "Audience | None":
        """AWS: the HTTP API's JWT authorizer audience (app clients are made at run time). Locally the APIs
        check the development token's own audience: nothing to change."""
        if not self.settings.clients.user_pool_id:
            return None
        from helpdesk.clients.adapters.apigateway import ApiGatewayAudience

        return ApiGatewayAudience(self.settings.clients.user_pool_id, self.settings.tables.region)

    @cached_property
    def client_directory(self) -> "ClientDirectory":
        from helpdesk.clients.service import ClientDirectory

        return ClientDirectory(self.client_registry, resource_server=self.settings.clients.resource_server)


    # -- ticket search ---------------------------------------------------------------------------

    @cached_property
    def ticket_index(self) -> "TicketIndex":
        search, kb, runtime = self.settings.search, self.settings.knowledge, self.settings.runtime
        if search.index == "opensearch":
            from helpdesk.search.adapters.opensearch import OpenSearchTicketIndex

            endpoint = search.opensearch_endpoint or kb.opensearch_endpoint
            if not endpoint:
                raise ConfigurationError("HELPDESK_SEARCH_OPENSEARCH_ENDPOINT (or HELPDESK_KB_OPENSEARCH_ENDPOINT) "
                                         "is required with HELPDESK_SEARCH_INDEX=opensearch")
            return OpenSearchTicketIndex.connect(endpoint, index=search.opensearch_index,
                                                 service=search.opensearch_service or kb.opensearch_service,
                                                 region=kb.region)
        from helpdesk.search.adapters.embedded import EmbeddedTicketIndex

        if search.index_dir is not None:
            return EmbeddedTicketIndex(search.index_dir)
        if runtime.home is not None and not runtime.in_lambda:
            return EmbeddedTicketIndex(runtime.home / "ticket-index")
        if runtime.in_lambda:  # a Lambda has no durable folder: searching needs the OpenSearch settings
            raise ConfigurationError("ticket search not configured: set HELPDESK_SEARCH_INDEX=opensearch")
        return EmbeddedTicketIndex(None)  # tests and one-off processes: in memory

    @cached_property
    def ticket_indexer(self) -> "TicketIndexer":
        from helpdesk.search.adapters.dynamo import DynamoTicketSource
        from helpdesk.search.indexing import TicketIndexer

        return TicketIndexer(self.ticket_index, self.ticket_repository, DynamoTicketSource(self.tables))

    @cached_property
    def ticket_search(self) -> "TicketSearch":
        from helpdesk.search.service import TicketSearch

        return TicketSearch(self.ticket_index, self.ticket_repository, customers=self.customer_links)

    @cached_property
    def customer_list(self) -> "CustomerList":
        from helpdesk.search.customers import CustomerList

        return CustomerList(self.ticket_index, self.ticket_repository, names=self.customer_profiles.names)

    @cached_property
    def ticket_export(self) -> "TicketExport":
        from helpdesk.search.export import TicketExport

        files = None
        if self.settings.attachments.bucket or self.settings.mail.bucket:
            from helpdesk.search.adapters.s3_exports import S3ExportFiles

            files = S3ExportFiles(self.attachment_bucket())
        return TicketExport(self.ticket_search, files, inline_max_bytes=self.settings.search.export_inline_max_bytes,
                            link_expiry_s=self.settings.search.export_link_expiry_s, clock=self.clock)

    # -- privacy (export, erasure, retention) ----------------------------------------------------------

    @cached_property
    def privacy(self) -> "PrivacyService":
        from helpdesk.privacy.adapters.dynamo import (
            DynamoChatTranscripts,
            DynamoEventLog,
            DynamoPersonTickets,
            DynamoPrivacyStore,
            DynamoQuarantinedMail,
            TriageDerivedRecords,
        )
        from helpdesk.privacy.adapters.s3 import S3Objects
        from helpdesk.privacy.service import PrivacyService

        # In AWS the search indexer follows the tables' streams; elsewhere (local stack, tests) the index is
        # refreshed at once, so a search right after an erasure no longer finds the person.
        reindex = None if self.settings.runtime.in_lambda else self.ticket_indexer.refresh
        derived = TriageDerivedRecords(self.triage_store, self.ticket_vectors, self.article_repository)
        return PrivacyService(self.ticket_repository, DynamoPersonTickets(self.tables), DynamoEventLog(self.tables),
                              DynamoChatTranscripts(self.tables), derived, DynamoQuarantinedMail(self.tables),
                              S3Objects(self.attachment_bucket()),
                              DynamoPrivacyStore(self.tables), self.audit_trail, reindex=reindex, clock=self.clock,
                              customer_notes=self.customer_notes_store, customer_addresses=self.customer_address_store,
                              customer_profiles=self.customer_profile_store,
                              settings_saved=self.card_masking.forget)

    @cached_property
    def ticket_redactions(self) -> "TicketRedactions":
        """A text the team takes out of a ticket (a card number): on the privacy API, whose role may rewrite the log,
        the transcripts and AI's records, and delete original mails."""
        from helpdesk.privacy.adapters.dynamo import DynamoChatTranscripts, DynamoEventLog, TriageDerivedRecords
        from helpdesk.privacy.adapters.s3 import S3Objects
        from helpdesk.privacy.redactions import TicketRedactions

        reindex = None if self.settings.runtime.in_lambda else self.ticket_indexer.refresh  # as `privacy`'s
        derived = TriageDerivedRecords(self.triage_store, self.ticket_vectors, self.article_repository)
        return TicketRedactions(self.ticket_repository, DynamoEventLog(self.tables), DynamoChatTranscripts(self.tables),
                                derived, S3Objects(self.attachment_bucket()), self.audit_trail, reindex=reindex,
                                clock=self.clock)


def make_embedder(kb: "KnowledgeSection") -> "Embedder":
    """The knowledge embedder behind a cache (a chat turn embeds its message several times otherwise).
    Also used alone by the offline evaluation commands, which need no tables."""
    from helpdesk.knowledge.embedding_cache import CachingEmbedder

    if kb.embedder == "bedrock":
        from helpdesk.knowledge.adapters.bedrock_titan import BedrockTitanEmbedder

        return CachingEmbedder(BedrockTitanEmbedder(model_id=kb.bedrock_model_id, dimension=kb.bedrock_dimension))
    return _in_process_embedder(kb.embedder, kb.onnx_threads, kb.use_model_dir if kb.embedder == "use"
                                else kb.onnx_model_dir)


@cache
def _in_process_embedder(kind: str, threads: int, model_dir: Path | None) -> "Embedder":
    """One per model for the process, cache included: its vectors depend on nothing else, so every container the
    process builds (a test's, an evaluation command's) reuses what the others embedded."""
    from helpdesk.knowledge.embedding_cache import CachingEmbedder

    if kind == "use":
        from helpdesk.knowledge.adapters.use_multilingual import UseMultilingualEmbedder

        return CachingEmbedder(UseMultilingualEmbedder(threads=threads, model_dir=model_dir))
    from helpdesk.knowledge.adapters.onnx_minilm import OnnxMiniLmEmbedder

    return CachingEmbedder(OnnxMiniLmEmbedder(threads=threads, model_dir=model_dir))


# Keyed on the embedders' identities: the classifiers hold both, so neither id is reused while its entry lives.
@cached(LRUCache(maxsize=8), key=lambda embedder, reader, min_confidence: (id(embedder), id(reader), min_confidence),
        lock=threading.Lock())
def _catalog_classifiers(embedder: "Embedder", reader: "Embedder | None", min_confidence: float
                         ) -> "CatalogClassifiers":
    """The trained classifiers, one set for the containers of a process on the same embedders (the in-process ones
    are one per model, `_in_process_embedder`): what a catalog trains to depends on nothing else, and each test's
    container training the chat's catalog again was a sixth of the chat tests' time. Lambda and the local stack run
    one container per process, so nothing changes there. Bounded: tests build containers on embedders of their own."""
    from helpdesk.intents.classifier import CatalogClassifiers
    from helpdesk.intents.embedding import intent_embedder

    return CatalogClassifiers(embedder, min_confidence=min_confidence,
                              intent_embedder=intent_embedder(embedder, reader))


def make_intent_embedder(kb: "KnowledgeSection") -> "Embedder":
    """The intent classifier's embedder as the container builds it, for the offline evaluation commands."""
    from helpdesk.intents.embedding import intent_embedder

    embedder = make_embedder(kb)
    return intent_embedder(embedder, make_reader(kb, embedder.model_id))


def answer_reader_for(embedder: "Embedder", reader: "Embedder | None") -> "Embedder | None":
    """The second embedder the embedder's answerability model reads with (MiniLM beside USE), if it has one and it
    is installed (`reader`, from `make_reader`)."""
    from helpdesk.assistant.answerability import model_for
    from helpdesk.knowledge.adapters.onnx_minilm import MODEL_ID

    model = model_for(embedder.model_id)
    if model is None or model.reader is None:
        return None
    if model.reader == embedder.model_id:
        return embedder
    return reader if model.reader == MODEL_ID else None  # not installed: the cosine threshold decides


def make_evidence(embedder: "Embedder", reader: "Embedder | None", ai: AiSection) -> "EvidenceJudge":
    """The answer-or-abstain decision for `embedder`: its answerability model (read with `reader` where the model
    has one) unless a fixed answer threshold is configured, the model is turned off or its reader is not installed;
    then the configured or calibrated single-cosine threshold. Sections are chosen where the model reads with the
    reader (as measured). The container's (`Container.evidence`) and the evaluation commands' (`helpdesk ai eval`)."""
    from helpdesk.assistant.answerability import SectionChooser, model_for
    from helpdesk.assistant.evidence import EvidenceJudge
    from helpdesk.knowledge.calibration import calibration_for

    answer_reader = answer_reader_for(embedder, reader)
    model = model_for(embedder.model_id) if ai.answer_min_relevance is None and ai.answerability_model else None
    if model is not None and model.reader is not None and answer_reader is None:
        model = None  # its second embedder is not installed here: the single-cosine threshold decides
    threshold = ai.answer_min_relevance
    reads = model is not None and model.reader is not None
    return EvidenceJudge(embedder, model=model, reader=answer_reader,
                         min_relevance=threshold if threshold is not None
                         else calibration_for(embedder.model_id).answer_min_relevance,
                         sections=SectionChooser(embedder, answer_reader) if reads and answer_reader is not None
                         else None)


def make_reader(kb: "KnowledgeSection", embedder_id: str) -> "Embedder | None":
    """MiniLM as a second reader beside another embedder (the answerability model's reader, the knowledge
    search's re-ranker), where its files are installed: the AWS functions ship without them. None when the
    embedder is MiniLM itself."""
    from helpdesk.knowledge.adapters.onnx_minilm import MODEL_ID, ModelFilesMissing, default_model_files

    if embedder_id == MODEL_ID:
        return None
    try:
        files = default_model_files(kb.onnx_model_dir)
    except ModelFilesMissing:
        return None
    if not all(f.is_file() for f in files):  # an override folder without the model
        return None
    return make_embedder(KnowledgeSection(embedder="onnx", onnx_threads=kb.onnx_threads,
                                          onnx_model_dir=kb.onnx_model_dir))


def build(settings: Settings | None = None, **overrides: Any) -> Container:
    """A container on `settings` (default: the environment), with `overrides` replacing built parts."""
    return Container(settings if settings is not None else Settings.from_env(), overrides)


_current: Container | None = None


def container() -> Container:
    """The process's container, built from the environment on first use (a Lambda's cold start)."""
    global _current
    if _current is None:
        _current = build()
    return _current


def use(new: Container | None) -> Container | None:
    """Install `new` as the process's container (tests, the local stack); None: rebuild on next use.
    Returns the container that was installed before."""
    global _current
    previous, _current = _current, new
    return previous

