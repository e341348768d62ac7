"""Mail that must never open a ticket or get an answer: auto-replies, bounces, bulk and list mail.

Two autoresponders answering each other forever is the classic helpdesk failure; RFC 3834 says
how to recognise automatic mail, and mail clients add a few headers of their own.
"""

from helpdesk.mail.model import ParsedMessage

_DAEMONS = ("mailer-daemon@", "postmaster@")
# Addresses nobody reads: mail from one is a machine's, unless it was sent for a person (`relayed_for`).
NO_REPLY = ("noreply@", "no-reply@", "donotreply@", "do-not-reply@")


def machine_address(email: str) -> bool:
    """An address only machines write from and nobody reads (a bounce daemon's, a no-reply one)."""
    return email.lower().startswith((*_DAEMONS, *NO_REPLY))


def automatic_reason(parsed: ParsedMessage, relayed: bool = False, team_list: bool = False) -> str | None:
    """Why this mail is automatic (and must not create tickets nor replies), or None for a person's mail.
    `relayed`: the mail names a person to answer in Reply-To (`mail/relayed.py`), as a website's contact form sent
    from its no-reply address does; the headers that mark automatic mail still count. `team_list`: the mail came
    through the team's own group (a Google Group as the support address, passing its mail on to us), so its list
    headers say how it travelled, not that nobody wrote it."""
    h = parsed.headers
    auto_submitted = h.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"auto-submitted: {auto_submitted[:40]}"
    if "x-autoreply" in h or "x-autorespond" in h:
        return "autoreply header"
    if h.get("x-auto-response-suppress", "").strip().lower() in ("all", "oof", "autoreply"):
        return "auto-response-suppress"
    mass_or_bounce = _mass_or_bounce(parsed, team_list)
    if mass_or_bounce is not None:
        return mass_or_bounce
    sender = parsed.from_.email.lower() if parsed.from_ else ""
    if sender.startswith(_DAEMONS) or (sender.startswith(NO_REPLY) and not relayed):
        return f"automatic sender {sender.split('@')[0]}"
    return None


def _mass_or_bounce(parsed: ParsedMessage, team_list: bool) -> str | None:
    """Why this mail is bulk or list mail or a bounce, or None. `team_list`: see `automatic_reason`."""
    h = parsed.headers
    precedence = h.get("precedence", "").strip().lower()
    if precedence in ("junk", "auto_reply") or (precedence in ("bulk", "list") and not team_list):
        return f"precedence: {precedence}"
    if ("list-id" in h or "list-unsubscribe" in h) and not team_list:
        return "mailing list"
    if "x-failed-recipients" in h or "report-type=delivery-status" in h.get("content-type", "").lower():
        return "bounce"
    if h.get("return-path", "").strip() in ("<>", "") and "return-path" in h:
        return "null return path (bounce)"
    return None


def system_generated(parsed: ParsedMessage, team_list: bool = False) -> bool:
    """Mail a system sent on its own (RFC 3834's `auto-generated`, parameters allowed: an alert, an order notice), and
    nothing else automatic about it: not bulk or list mail, not a bounce. A team may want tickets of it
    (`MailSettings.system_mail`); an auto-reply, a bounce or a newsletter never. A no-reply sender is no objection:
    alerts come from one."""
    if not parsed.headers.get("auto-submitted", "").strip().lower().startswith("auto-generated"):
        return False
    sender = parsed.from_.email.lower() if parsed.from_ else ""
    return _mass_or_bounce(parsed, team_list) is None and not sender.startswith(_DAEMONS)
