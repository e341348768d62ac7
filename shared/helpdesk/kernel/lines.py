"""The lines of a data file an evaluation reads (JSONL rows, qrels), numbered for the errors that name them."""

from collections.abc import Iterator
from pathlib import Path


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, UTF-8 with or without a byte order mark (Windows tools write one); a line
    that is not UTF-8 is a ValueError naming the file and the line, not a decoding error naming neither."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{path}:{number}: not UTF-8 (byte {raw[exc.start]:#04x} at column "
                                 f"{exc.start + 1})") from None
            yield number, text
