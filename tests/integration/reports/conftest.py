"""Reports integration fixtures: the mail world (moto SES, the email_send handler over the events stream)."""

from tests.integration.mail.conftest import mail

__all__ = ["mail"]
