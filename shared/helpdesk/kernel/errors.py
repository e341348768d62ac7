"""Domain errors. The web layer maps each to one HTTP status; internal callers catch them by type."""

from typing import Any


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    """Missing, or not visible to the caller: both answer the same so existence never leaks."""

    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class ConcurrentUpdate(Conflict):
    """Another writer changed the item since it was read (version condition failed)."""

    code = "concurrent_update"


class Unauthorized(DomainError):
    code = "unauthorized"


class AccountDeactivated(Unauthorized):
    """A valid token of a person an admin deactivated since (401: the pages send them to sign in, and say why)."""

    code = "account_deactivated"


class InvalidInput(DomainError):
    code = "invalid_input"


class InvalidAssignment(DomainError):
    """A ticket's group or assignee that the tenant's directory does not allow (details name the field)."""

    code = "invalid_assignment"


class InvalidFieldValue(DomainError):
    """A ticket's custom field value that is not of the type the tenant defined for its key (details name it)."""

    code = "invalid_field_value"


class MissingRequiredFields(DomainError):
    """An agent resolves or closes a ticket whose fields the tenant requires to solve it are empty (details name
    them)."""

    code = "required_fields"


class TooLarge(DomainError):
    code = "payload_too_large"


class UnsupportedType(DomainError):
    code = "unsupported_media_type"


class Gone(DomainError):
    """It existed and is over (an ended or expired chat session)."""

    code = "gone"
