"""Secrets: given directly (local stack, tests) or read from an SSM SecureString by name (AWS)."""

from pydantic import SecretStr


def secret_value(direct: SecretStr | None, parameter: str | None, max_age_s: int = 300) -> str | None:
    """The secret's value, or None when neither is configured. SSM values are cached `max_age_s` seconds."""
    if direct is not None:
        return direct.get_secret_value() or None
    if parameter:
        from aws_lambda_powertools.utilities import parameters

        value = parameters.get_parameter(parameter, decrypt=True, max_age=max_age_s)
        return str(value) if value else None
    return None
