"""Field validators shared by the request models of every API."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, AwareDatetime
from pydantic_core import PydanticCustomError

from helpdesk.kernel.errors import InvalidInput
from helpdesk.kernel.text import MAX_TAG_CHARS, is_blank, is_email_address, normalise_tag, stored_size
from helpdesk.tickets.fields import MAX_FIELD_FILTERS, field_filter


def bounded_text(max_bytes: int) -> Callable[[str], str]:
    """Non-blank text taking at most `max_bytes` once stored (`stored_size`: the UTF-8 size for plain
    text, more for other scripts and control characters); too big answers 413, not 422."""

    def check(value: str) -> str:
        size = stored_size(value)
        if size > max_bytes:
            raise PydanticCustomError("payload_too_large",
                                      "text takes {size} bytes once stored; the limit is {limit}",
                                      {"size": size, "limit": max_bytes})
        if is_blank(value):
            raise PydanticCustomError("blank", "text must not be blank")
        return value

    return check


def tag_list(tags: list[str] | None) -> list[str] | None:
    if tags is None:
        return None
    for tag in tags:
        if not normalise_tag(tag) or len(tag) > MAX_TAG_CHARS:
            raise PydanticCustomError("tag", f"tags are 1 to {MAX_TAG_CHARS} characters")
    return tags


def email_list(addresses: list[str]) -> list[str]:
    """Plain addresses (`local@domain.tld`, no display names), each at most 254 characters."""
    for address in addresses:
        if not is_email_address(address.strip()):
            raise PydanticCustomError("email", "'{address}' is not an e-mail address", {"address": address[:254]})
    return [a.strip().lower() for a in addresses]


def field_filter_list(values: list[str] | None) -> list[str]:
    """`?field=key:value` (repeatable, all must match) as the terms a ticket list or search filters on."""
    values = values or []
    if len(values) > MAX_FIELD_FILTERS:
        raise PydanticCustomError("too_long", "at most {limit} field filters", {"limit": MAX_FIELD_FILTERS})
    try:
        return [field_filter(value) for value in values]
    except InvalidInput as exc:
        raise PydanticCustomError("field_filter", exc.message) from exc


FieldFilters = Annotated[list[str] | None, Query(
    description="custom field values, `key:value` each (e.g. `plan:enterprise`, `needs_engineering:true`; "
                "repeat for more, all must match; staff only)"), AfterValidator(field_filter_list)]


EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)


def plausible_instant(value: datetime) -> datetime:
    """An instant a helpdesk can hold: from 1970 up to the year 9000. Python's datetime stops at the years 1 and 9999,
    so the services' arithmetic near them (a range's default start 30 days before its end, a day in the tenant's
    zone) would fail: 400 here rather than a 500 there."""
    try:
        inside = EARLIEST_INSTANT <= value.astimezone(UTC) < LATEST_INSTANT
    except OverflowError:  # the offset alone carries it past year 1 or 9999
        inside = False
    if not inside:
        raise PydanticCustomError("datetime_range", "dates from 1970 up to the year 9000 only")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(plausible_instant)]
