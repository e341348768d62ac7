"""Field validators shared by the request models of every API."""

from collections.abc import Callable

from pydantic_core import PydanticCustomError


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
        if not tag.strip() or len(tag) > 64:
            raise PydanticCustomError("tag", "tags are 1 to 64 characters")
    return tags
