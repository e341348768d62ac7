"""URLs this helpdesk calls on a tenant's word (webhooks, the helpdesk an import reads from): https to a public
address only, so an admin's URL can never make a function reach into the network it runs in."""

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from helpdesk.kernel.errors import InvalidInput

Resolver = Callable[[str], list[str]]


def resolve(host: str) -> list[str]:
    """Every address `host` resolves to (an IP literal is itself); [] when it does not resolve."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError):
        return []


def check_public_url(url: str, *, what: str, refused: type[InvalidInput], allow_loopback: bool,
                     resolver: Resolver = resolve) -> None:
    """Raise `refused` unless `url` is https to a public address. The local stack (`allow_loopback`) also takes http
    and https to loopback, where the tests' servers run. Private, link-local (the instance metadata service),
    multicast and reserved addresses are refused always. `what` names the URL in the messages ("a webhook URL")."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise refused(f"{what} is https://host/path")
    if parts.username or parts.password:
        raise refused(f"{what} carries no credentials")
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(host)]
    if not addresses:
        raise refused(f"the host {host!r} does not resolve")
    loopback = all(a.is_loopback for a in addresses)
    if loopback and allow_loopback:
        return
    if parts.scheme != "https":
        raise refused(f"{what} must use https")
    private = [str(a) for a in addresses if a.is_loopback or not a.is_global]
    if private:
        raise refused(f"the host {host!r} is a private or reserved address ({', '.join(private)})")
