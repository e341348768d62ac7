"""The one settings object, read once per process (Lambda cold start, `helpdesk serve`, a CLI command).

template.yaml sets the variables in AWS, `helpdesk serve` and the CLI set them locally. Every name of
ours starts with `HELPDESK_`, and the section a field belongs to is the next word (`HELPDESK_MAIL_BUCKET`,
`HELPDESK_AI_PROVIDER`, ...), except the api and tables fields (`HELPDESK_AUTH_MODE`,
`HELPDESK_TICKETS_TABLE`); AWS's own variables (`AWS_REGION`, `AWS_LAMBDA_FUNCTION_NAME`) and the SDK's
`ANTHROPIC_API_KEY` are read under their own names. Names without a sensible default (the tables) are
required, so a misconfigured function fails at cold start instead of talking to a wrongly named table.
Only this module (and the local edges, `local/` and `cli/`) reads the environment.
"""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSection(BaseSettings):
    """The HTTP APIs: how callers are authenticated and how large a body may be."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_", extra="ignore")

    # "apigw": the HTTP API's JWT authorizer verified the token, the app reads the claims.
    # "local": the app verifies tokens signed with the local development secret itself.
    auth_mode: Literal["apigw", "local"] = "apigw"
    local_jwt_secret: SecretStr | None = None
    jwt_issuer: str = "helpdesk-local"
    jwt_audience: str = "helpdesk"
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    # How stale a warm API container's view of a signed-in person may get (HELPDESK_STAFF_RECHECK_S): their role,
    # groups, ticket access and whether they are active are read from the team directory at most this often
    # (helpdesk.directory.standing); 0 reads them at every call.
    staff_recheck_s: float = Field(default=30.0, ge=0, le=3600)
    # How long a POST's `Idempotency-Key` answers a retry with the first response (HELPDESK_IDEMPOTENCY_TTL_S).
    idempotency_ttl_s: int = Field(default=24 * 3600, ge=60, le=7 * 24 * 3600)
    # Where the /docs pages load Swagger UI from (web/dist/swagger-ui, built from the npm swagger-ui-dist):
    # the same origin on the local stack, the web distribution in AWS; never a public CDN.
    docs_assets_url: str = "/swagger-ui"
    # Origins whose pages may call the APIs from a browser, comma-separated ("*": any); the template sets
    # its `CorsOrigin` parameter. The chat API also allows each tenant's own widget origins.
    cors_origins: str = ""
    # The agent console's address (HELPDESK_CONSOLE_URL): mails to agents (SLA warnings, notifications) link a
    # ticket as `<console_url>#/t/<id>`; None: no link.
    console_url: str | None = None

    def cors_origin_list(self) -> tuple[str, ...]:
        return tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())


class TablesSection(BaseSettings):
    """The DynamoDB tables (template.yaml owns them in AWS). Required: no silent default names."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_", extra="ignore")

    tickets_table: str = Field(min_length=3)
    ticket_events_table: str = Field(min_length=3)
    meta_table: str = Field(min_length=3)
    # The region is AWS's own variable (Lambda sets it); not ours to rename.
    region: str = Field(default="us-east-1", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION"))


class MailSection(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_MAIL_", extra="ignore")

    bucket: str = ""  # raw inbound mail and attachments; required by the functions that ingest mail
    inbound_prefix: str = "inbound/"
    # Tenant of mail sent to an address with no inbound route; empty: such mail is quarantined.
    default_tenant: str = ""
    # From address of outbound mail when the tenant set none and the ticket has no inbound address.
    support_address: str = "support@helpdesk.example"
    max_raw_bytes: int = Field(default=40 * 1024 * 1024, gt=0)
    max_attachment_bytes: int = Field(default=15 * 1024 * 1024, gt=0)
    # The SES configuration set mail about tickets is sent through: it publishes bounces and complaints to
    # EventBridge, where `mail_feedback` puts them on the ticket. Empty: sent without one (the local stack, moto).
    configuration_set: str = ""
    # The email_ingest function, invoked to deliver a held mail an admin lets in (AWS); empty: delivered in this
    # process (the local stack, tests).
    ingest_function: str = ""


class SlaSection(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_SLA_", extra="ignore")

    topic_arn: str | None = None  # SNS topic for warnings and breaches; None: no SNS notification
    mail_from: str | None = None  # sender of notification mail; None: no mail
    settings_cache_s: float = Field(default=30.0, ge=0)


def listed(tenants: str, tenant_id: str) -> bool:
    """Whether a comma-separated list of tenant ids ("*": any) holds `tenant_id`."""
    allowed = {t.strip() for t in tenants.split(",") if t.strip()}
    return "*" in allowed or tenant_id in allowed


class KnowledgeSection(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_KB_", extra="ignore")

    # Tenants whose published public articles anyone may read without signing in (the help centre's article page,
    # where the chat's citations and reply drafts' footnotes link): comma-separated ids, "*" for any (local
    # stack). In AWS the template sets it; other tenants' articles are read signed in.
    public_tenants: str = "*"

    def public_help_center(self, tenant_id: str) -> bool:
        return listed(self.public_tenants, tenant_id)

    # In-process: "use" (Universal Sentence Encoder multilingual v3 on numpy: 16 languages in one space, the
    # default) or "onnx" (English all-MiniLM-L6-v2 on onnxruntime); in AWS: "bedrock" (Titan Text Embeddings v2).
    embedder: Literal["use", "onnx", "bedrock"] = "use"
    bedrock_model_id: str = "amazon.titan-embed-text-v2:0"
    bedrock_dimension: Literal[256, 512, 1024] = 1024
    onnx_threads: int = Field(default=1, ge=1, le=16)
    onnx_model_dir: Path | None = None  # a folder with model.onnx and tokenizer.json instead of the package's
    use_model_dir: Path | None = None  # a folder with weights.npz and sp.model instead of the package's
    # "embedded": numpy + BM25 files under `index_dir`; "opensearch": AWS.
    index: Literal["embedded", "opensearch"] = "embedded"
    index_dir: Path | None = None
    opensearch_endpoint: str | None = None  # https://xxx.us-east-1.aoss.amazonaws.com
    opensearch_service: Literal["aoss", "es"] = "aoss"
    opensearch_index: str = "kb-chunks"
    region: str | None = None
    # Pictures in articles (PNG, JPEG, GIF, WebP): served through the API, whose Lambda answer is at most 6 MB and
    # carries the bytes in base64 (4/3 as large), so at most 4 MiB.
    image_max_bytes: int = Field(default=4 * 1024 * 1024, gt=0, le=4 * 1024 * 1024)


class AiSection(BaseSettings):
    """The model, its temperature and the prompts are configuration; every AI output records them."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_AI_", extra="ignore")

    # "auto": Anthropic when an API key is configured, else offline. "bedrock": Claude on Amazon Bedrock.
    provider: Literal["auto", "anthropic", "bedrock", "offline"] = "auto"
    model: str = "claude-haiku-4-5"
    bedrock_model: str = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    bedrock_region: str | None = None
    # None: the model's default (the current SDK no longer takes a temperature; older models may).
    temperature: float | None = Field(default=None, ge=0.0, le=1.0)
    max_tokens: int = Field(default=700, ge=64, le=4096)
    # Background work (triage): per-request read timeout and SDK retries; a worst case of about 23 s is fine there.
    timeout_s: float = Field(default=7.0, gt=0, le=60)
    max_retries: int = Field(default=2, ge=0, le=5)
    connect_timeout_s: float = Field(default=1.0, gt=0, le=10)
    # The chat turn (intent_rag): a model call may take `chat_call_timeout_s` (the client's timeout, one SDK
    # retry, and a hard limit in the assistant), retrieval `retrieval_timeout_s`, the turn `turn_budget_s`
    # in all, so chat intake answers within 8 s with the model or retrieval down (bench/chat_outage.py).
    chat_call_timeout_s: float = Field(default=4.0, gt=0, le=25)
    chat_max_retries: int = Field(default=1, ge=0, le=3)
    retrieval_timeout_s: float = Field(default=3.5, gt=0, le=25)
    turn_budget_s: float = Field(default=6.0, gt=0, le=25)
    # The key: set directly (local), or an SSM SecureString named here (AWS). The SDK's own
    # ANTHROPIC_API_KEY is accepted too, so a developer's usual environment works.
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("HELPDESK_AI_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"))
    anthropic_api_key_parameter: str | None = None
    # Circuit breaker: after `breaker_failures` failures in a row, use the offline adapter for
    # `breaker_reset_s` seconds before trying the model again.
    breaker_failures: int = Field(default=3, ge=1)
    breaker_reset_s: float = Field(default=60.0, gt=0)
    # Breakers share their state through the Meta table (BREAKER#<name> items): failures are counted for all
    # containers and an open breaker is open in all. Each container re-reads it at most every `breaker_refresh_s`.
    breaker_shared: bool = True
    breaker_refresh_s: float = Field(default=2.0, ge=0)
    # Tokens (input + output) the chat assistant may spend on the model per tenant and UTC day; past it the
    # tenant's chat answers offline until midnight. 0: no budget.
    daily_token_budget: int = Field(default=2_000_000, ge=0)
    # Below this intent confidence the message is out of scope for the catalog.
    intent_min_confidence: float = Field(default=0.45, ge=0, le=1)
    # A passage answers a question only if its cosine similarity to the question (as a whole or its best
    # sentence) reaches this. 0.45 for MiniLM, measured on the seed help centre (bench/intents.py).
    # None: the value measured for the embedder in use (helpdesk.knowledge.calibration).
    answer_min_relevance: float | None = Field(default=None, ge=-1, le=1)
    # Decide answer or abstain with the embedder's answerability model (helpdesk.assistant.answerability) when
    # there is one and no answer_min_relevance is set; false: the single-cosine threshold above.
    answerability_model: bool = True
    passages: int = Field(default=4, ge=1, le=10)


class ChatSection(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_CHAT_", extra="ignore")

    # Session tokens are HS256-signed with this secret: set directly (local, tests) or read from an SSM
    # SecureString by name (AWS). Locally, `helpdesk serve` derives one from the development secret.
    token_secret: SecretStr | None = None
    token_secret_parameter: str | None = None
    anonymous_ttl_hours: float = Field(default=24.0, gt=0)
    customer_ttl_hours: float = Field(default=24.0 * 7, gt=0)
    # Flood control per session: at most `rate_per_minute` messages a minute and `max_messages` in all.
    rate_per_minute: int = Field(default=20, ge=1)
    max_messages: int = Field(default=400, ge=2)
    history_turns: int = Field(default=40, ge=0, le=60)  # how much transcript the assistant gets
    # The intent_rag Lambda to invoke (AWS); unset: the assistant runs in this process (local stack).
    intent_rag_function: str | None = None
    # The assistant's turn is bounded (HELPDESK_AI_TURN_BUDGET_S, 6 s); past this the visitor gets the degraded
    # reply, so a chat turn never takes more than 8 s whatever hangs behind intent_rag.
    intent_rag_timeout_s: float = Field(default=7.5, gt=0)
    # Tenants whose public chat accepts anonymous visitors: comma-separated ids, "*" for any (local stack).
    # In AWS the template sets it, so nobody can open sessions (and tickets) in a tenant of their choosing.
    anonymous_tenants: str = "*"
    # After a hand-over, an agent's reply is also mailed when the visitor has not fetched the conversation
    # for this long (or the session ended); a visitor still polling reads it in the chat only.
    mail_after_idle_s: int = Field(default=300, ge=0)
    long_poll_max_s: float = Field(default=20.0, ge=0, le=25)  # GET .../messages?wait= caps here
    verification_code_ttl_minutes: int = Field(default=30, ge=1, le=24 * 60)

    # Abuse limits beyond one session (0 turns a limit off), counted for every container in the Meta table:
    # new sessions per client IP an hour and per tenant a minute; messages per IP and per tenant a minute.
    sessions_per_ip_per_hour: int = Field(default=30, ge=0)
    sessions_per_tenant_per_minute: int = Field(default=300, ge=0)
    turns_per_ip_per_minute: int = Field(default=60, ge=0)
    turns_per_tenant_per_minute: int = Field(default=1200, ge=0)

    def allows_anonymous(self, tenant_id: str) -> bool:
        return listed(self.anonymous_tenants, tenant_id)


class AttachmentsSection(BaseSettings):
    """Ticket attachments: uploaded by the browser straight to S3 (presigned POST), downloaded by short-lived URLs."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_ATTACHMENTS_", extra="ignore")

    bucket: str = ""  # empty: the mail bucket (mail attachments are stored there already)
    max_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    max_files: int = Field(default=10, ge=1, le=100)  # per message
    upload_expiry_s: int = Field(default=900, ge=60, le=7 * 24 * 3600)
    download_expiry_s: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    # "none": files are marked `unscanned`; "guardduty": read the tag GuardDuty Malware Protection for S3 sets.
    scanner: Literal["none", "guardduty"] = "none"


class SearchSection(BaseSettings):
    """Ticket search. In AWS its own index in the knowledge base's OpenSearch domain or collection (the
    endpoint and service default to the knowledge ones); locally the embedded index under `index_dir`."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_SEARCH_", extra="ignore")

    index: Literal["embedded", "opensearch"] = "embedded"
    index_dir: Path | None = None
    opensearch_endpoint: str | None = None  # default: HELPDESK_KB_OPENSEARCH_ENDPOINT
    opensearch_service: Literal["aoss", "es"] | None = None  # default: HELPDESK_KB_OPENSEARCH_SERVICE
    opensearch_index: str = "tickets"
    # An export larger than this goes to S3 (the mail bucket, under exports/) behind a download link: Lambda
    # answers at most 6 MB, and a CSV's quotes grow when the answer is JSON-encoded.
    export_inline_max_bytes: int = Field(default=4 * 1024 * 1024, ge=0, le=5 * 1024 * 1024)
    export_link_expiry_s: int = Field(default=900, ge=60, le=24 * 3600)
class EventsSection(BaseSettings):
    """Events out: the EventBridge bus every ticket event goes to, and the webhook sender's queues."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_EVENTS_", extra="ignore")

    bus_name: str = ""  # required by the event publisher
    webhook_queue_url: str = ""  # the sender's queue (the bus rule's target; retries are queued here too)
    webhook_dlq_url: str = ""  # deliveries whose every attempt failed
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=30)
    # Webhooks to loopback (http or https) are accepted: the local stack only, where test receivers run.
    allow_loopback_webhooks: bool = False


class ImportsSection(BaseSettings):
    """Imports started from the console: the worker's queue and where the old helpdesk's token waits meanwhile."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_IMPORTS_", extra="ignore")

    queue_url: str = ""  # required by the imports API and the import worker
    secret_prefix: str = "helpdesk/imports"  # noqa: S105 - a name: one secret per job under it (IAM is scoped to it)
    # How long before Lambda's limit a round stops taking new tickets and queues the job again.
    round_margin_s: float = Field(default=120.0, ge=5, le=600)
    # Old helpdesks on loopback (http or https) are accepted: the local stack only, where test servers run.
    allow_loopback: bool = False


class ClientsSection(BaseSettings):
    """API clients (OAuth 2.0 client credentials): Cognito app clients in AWS, the local stack's own otherwise."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_CLIENTS_", extra="ignore")

    user_pool_id: str = ""  # the pool whose app clients they are (AWS); empty: the local stack's clients
    resource_server: str = "helpdesk"  # scopes are `<resource_server>/<scope>` in tokens
    token_ttl_s: int = Field(default=3600, ge=300, le=86400)  # the local token endpoint's tokens


class DirectorySection(BaseSettings):
    """The team directory: people's accounts are Cognito users of this pool in AWS; none locally."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_DIRECTORY_", extra="ignore")

    user_pool_id: str = ""  # empty: the local stack (accounts are development tokens; users only in the table)
    # The auto_assign function, invoked to hand out a group's waiting tickets when the group can take more (AWS);
    # empty: handed out in this process (the local stack, tests).
    auto_assign_function: str = ""


class ReportsSection(BaseSettings):
    """Reports and customer satisfaction (CSAT) links."""

    model_config = SettingsConfigDict(env_prefix="HELPDESK_REPORTS_", extra="ignore")

    # CSAT links are HS256-signed with this secret: set directly (local, tests) or read from an SSM
    # SecureString by name (AWS). Locally, `helpdesk serve` derives one from the development secret.
    csat_secret: SecretStr | None = None
    csat_secret_parameter: str | None = None
    csat_link_days: int = Field(default=30, ge=1, le=365)  # how long a mailed rating link works
    # Where the customer portal is served: the rating link is `<portal_url>/csat/<token>?rating=good|bad`.
    portal_url: str = "http://localhost:8000/portal"


class RuntimeSection(BaseSettings):
    """Where this process runs: Lambda sets its function name; nothing local does."""

    model_config = SettingsConfigDict(extra="ignore")

    lambda_function_name: str | None = Field(default=None, validation_alias="AWS_LAMBDA_FUNCTION_NAME")
    # The local stack's state folder (index files, secrets); None in Lambda, which has no durable folder.
    home: Path | None = Field(default=None, validation_alias="HELPDESK_HOME")

    @property
    def in_lambda(self) -> bool:
        return bool(self.lambda_function_name)


class Settings(BaseModel):
    """Every section, each read from its own `HELPDESK_<SECTION>_` variables."""

    model_config = ConfigDict(frozen=True)

    api: ApiSection
    tables: TablesSection
    mail: MailSection
    sla: SlaSection
    knowledge: KnowledgeSection
    ai: AiSection
    chat: ChatSection
    runtime: RuntimeSection
    attachments: AttachmentsSection = Field(default_factory=AttachmentsSection)
    search: SearchSection = Field(default_factory=SearchSection)
    events: EventsSection = Field(default_factory=EventsSection)
    imports: ImportsSection = Field(default_factory=ImportsSection)
    clients: ClientsSection = Field(default_factory=ClientsSection)
    directory: DirectorySection = Field(default_factory=DirectorySection)
    reports: ReportsSection = Field(default_factory=ReportsSection)

    @classmethod
    def from_env(cls) -> "Settings":
        """Read the environment now; a required variable that is missing raises (at cold start)."""
        return cls(api=ApiSection(), tables=TablesSection(), mail=MailSection(), sla=SlaSection(),
                   knowledge=KnowledgeSection(), ai=AiSection(), chat=ChatSection(), runtime=RuntimeSection(),
                   attachments=AttachmentsSection(), search=SearchSection(), events=EventsSection(),
                   imports=ImportsSection(), clients=ClientsSection(), directory=DirectorySection(),
                   reports=ReportsSection())
