"""Field validators shared by the request models of every API."""

from collections.abc import Callable

from pydantic_core import PydanticCustomError

from helpdesk.kernel.text import MAX_TAG_CHARS, normalise_tag


def bounded_text(max_bytes: int) -> Callable[[str], str]:
    """Non-blank text of at most `max_bytes` UTF-8 bytes; too big answers 413, not 422."""

    def check(value: str) -> str:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise PydanticCustomError("payload_too_large", "text is {size} bytes; the limit is {limit}",
                                      {"size": size, "limit": max_bytes})
        if not value.strip():
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
