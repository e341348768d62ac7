"""A readable summary of a calendar invitation (RFC 5545 iCalendar, RFC 6047 iMIP) for the ticket text.

Only what a person reads is taken (method, summary, start, end, location, organizer) and shown as
written, without time-zone conversion, so a few lines of reading do it: a full iCalendar library would
add a dependency to every mail function for five properties. The invitation itself stays an
attachment. Bounded: at most `MAX_LINES` unfolded lines of at most `MAX_LINE_CHARS` are read.
"""

import re

MAX_LINES = 2000
MAX_LINE_CHARS = 2000
_FOLD = re.compile(r"\r?\n[ \t]")
_DATE_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})\d{0,2}(Z?))?")
_TITLES = {"REQUEST": "Calendar invitation", "CANCEL": "Calendar cancellation", "REPLY": "Calendar reply",
           "PUBLISH": "Calendar event", "COUNTER": "Calendar counter-proposal"}
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """`NAME;PARAM=x;PARAM="y:z":value` -> (NAME, params, value); the first colon outside quotes ends the
    name and parameters."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1:]
            break
    else:
        return "", {}, ""
    name, *params = head.split(";")
    parsed = {}
    for param in params:
        key, _, val = param.partition("=")
        parsed[key.strip().upper()] = val.strip().strip('"')
    return name.strip().upper(), parsed, value


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value).strip()


def _when(value: str, params: dict[str, str]) -> str:
    match = _DATE_TIME.fullmatch(value.strip())
    if match is None:
        return value.strip()
    year, month, day, hour, minute, utc = match.groups()
    text = f"{year}-{month}-{day}"
    if hour is not None:
        text += f" {hour}:{minute}"
        text += " UTC" if utc else (f" ({params['TZID']})" if params.get("TZID") else "")
    return text


def _organizer(value: str, params: dict[str, str]) -> str:
    address = value.split(":", 1)[1] if value.lower().startswith("mailto:") else value
    name = params.get("CN")
    return f"{name} <{address}>" if name else address


def calendar_summary(data: bytes) -> str | None:
    """A few lines saying what the invitation is, or None when `data` holds no event."""
    text = data[:MAX_LINES * MAX_LINE_CHARS].decode("utf-8", errors="replace")
    method, event, in_event = "", {}, False
    for line in _FOLD.sub("", text).splitlines()[:MAX_LINES]:
        name, params, value = _split(line[:MAX_LINE_CHARS])
        if name == "METHOD":
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            break
        elif in_event and name in ("SUMMARY", "LOCATION") and name not in event:
            event[name] = _unescape(value)
        elif in_event and name in ("DTSTART", "DTEND") and name not in event:
            event[name] = _when(value, params)
        elif in_event and name == "ORGANIZER" and name not in event:
            event[name] = _organizer(value, params)
    if not in_event:
        return None
    lines = [f"{_TITLES.get(method, 'Calendar event')}: {event.get('SUMMARY') or '(no title)'}"]
    if "DTSTART" in event:
        lines.append(f"When: {event['DTSTART']}" + (f" \u2013 {event['DTEND']}" if "DTEND" in event else ""))
    if event.get("LOCATION"):
        lines.append(f"Where: {event['LOCATION']}")
    if "ORGANIZER" in event:
        lines.append(f"Organizer: {event['ORGANIZER']}")
    return "\n".join(lines)
