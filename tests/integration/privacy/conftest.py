"""Privacy runs over what mail ingest and chat store: the mail world (bucket, SES, email_ingest on moto) and the
chat world (chat_intake with the offline assistant)."""

from tests.integration.chat.conftest import chat, chat_env, kb_dir  # noqa: F401
from tests.integration.mail.conftest import mail  # noqa: F401
