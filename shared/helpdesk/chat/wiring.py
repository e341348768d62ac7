"""Chat intake's adapters, built once per Lambda container. Nothing here imports the LLM SDK."""

from functools import lru_cache

from helpdesk.chat.config import chat_settings
from helpdesk.chat.intent_rag_client import InProcessIntentRag, IntentRagClient, LambdaIntentRag
from helpdesk.chat.service import ChatService
from helpdesk.chat.tokens import token_secret


@lru_cache(maxsize=1)
def intent_rag_client() -> IntentRagClient:
    settings = chat_settings()
    if settings.intent_rag_function:
        return LambdaIntentRag(settings.intent_rag_function, settings.intent_rag_timeout_s)
    return InProcessIntentRag()


@lru_cache(maxsize=1)
def chat_service() -> ChatService:
    from helpdesk.chat.dynamo import DynamoChatStore

    settings = chat_settings()
    return ChatService(DynamoChatStore(), intent_rag_client(), settings, token_secret(settings))


def reset_chat_wiring() -> None:
    chat_settings.cache_clear()
    intent_rag_client.cache_clear()
    chat_service.cache_clear()
