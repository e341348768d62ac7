"""Which way a held mail an admin lets in is delivered: email_ingest's asynchronous invoke in a Lambda (the mail admin
API reads no raw mail and writes no ticket), this process locally; a Lambda without the function's name does not
start rather than fail at the admin's click."""

import pytest


def test_a_lambda_delivers_held_mail_through_email_ingest_and_refuses_to_start_without_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk.bootstrap import ConfigurationError, build
    from helpdesk.mail.adapters.redelivery import InProcessRedelivery, LambdaRedelivery
    from helpdesk.settings import Settings

    monkeypatch.delenv("HELPDESK_MAIL_INGEST_FUNCTION", raising=False)
    assert isinstance(build(Settings.from_env()).mail_redelivery, InProcessRedelivery)  # the local stack, tests
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "mail-admin")
    with pytest.raises(ConfigurationError, match="INGEST_FUNCTION"):
        _ = build(Settings.from_env()).mail_redelivery
    monkeypatch.setenv("HELPDESK_MAIL_INGEST_FUNCTION", "helpdesk-EmailIngestFunction")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert isinstance(build(Settings.from_env()).mail_redelivery, LambdaRedelivery)
