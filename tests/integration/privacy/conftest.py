"""Privacy runs over what mail ingest stores (the mail world: bucket, SES, email_ingest on moto)."""

from tests.integration.mail.conftest import mail  # noqa: F401
