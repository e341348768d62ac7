"""A throw-away container for the offline evaluation commands (`helpdesk chat eval`, `helpdesk ai eval`):
moto in-process for tables, sessions and tickets, an in-memory embedded index, the offline model (or, for `helpdesk
chat eval --llm anthropic`, Claude through the Anthropic API), and anonymous chat in the evaluation tenant. Nothing
touches AWS or a running local stack."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from helpdesk.bootstrap import Container
    from helpdesk.knowledge.ports import Embedder


@contextmanager
def offline_container(embedder: "Embedder", tenant: str, *, llm: Literal["offline", "anthropic"] = "offline",
                      **ai: Any) -> Iterator["Container"]:
    """`ai`: AiSection fields to override (e.g. `answer_min_relevance`). `llm` "anthropic": Claude through the
    Anthropic API answers (the key from HELPDESK_AI_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY, the model from
    HELPDESK_AI_MODEL); everything else stays offline and in-process. Not Bedrock: moto would take its calls."""
    from moto import mock_aws
    from pydantic import SecretStr

    from helpdesk.bootstrap import build
    from helpdesk.knowledge.adapters.embedded_index import EmbeddedIndex
    from helpdesk.platform.dynamo.tables import create_tables
    from helpdesk.settings import (
        AiSection,
        ApiSection,
        ChatSection,
        KnowledgeSection,
        MailSection,
        RuntimeSection,
        Settings,
        SlaSection,
        TablesSection,
    )

    saved = {name: os.environ.get(name) for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_DEFAULT_REGION")}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):  # never a running local stack or a developer's real account
        os.environ.pop(name, None)
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"  # moto's clients (SES for the chat's mail) need one
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # stdout is the command's output, not turn logs
    try:
        with mock_aws():
            settings = Settings(
                api=ApiSection(auth_mode="apigw"),
                tables=TablesSection(tickets_table="eval-tickets", ticket_events_table="eval-ticket-events",
                                     meta_table="eval-meta", region="us-east-1"),
                mail=MailSection(), sla=SlaSection(), knowledge=KnowledgeSection(index="embedded"),
                # No turn time limits: an evaluation measures answers, and a busy machine must not turn them into
                # "can't search right now".
                ai=AiSection.model_validate({"retrieval_timeout_s": 25, "turn_budget_s": 25, "chat_call_timeout_s": 25,
                                             **ai, **_provider(llm)}),
                chat=ChatSection(token_secret=SecretStr("offline-evaluation-" + "0" * 32),
                                 rate_per_minute=1_000_000, max_messages=1_000, anonymous_tenants=tenant,
                                 intent_rag_function=None),
                runtime=RuntimeSection(),
            )
            container = build(settings, embedder=embedder,
                              knowledge_index=EmbeddedIndex(None, dimension=embedder.dimension))
            create_tables(container.tables)
            yield container
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _provider(llm: Literal["offline", "anthropic"]) -> dict[str, Any]:
    """The AiSection fields of the answering model: offline, or Claude as the environment configures it (the
    settings read HELPDESK_AI_* themselves: the key, the model)."""
    if llm == "offline":
        return {"provider": "offline"}
    from helpdesk.bootstrap import ConfigurationError
    from helpdesk.settings import AiSection

    if AiSection().anthropic_api_key is None:
        raise ConfigurationError("--llm anthropic needs HELPDESK_AI_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY")
    return {"provider": "anthropic"}
