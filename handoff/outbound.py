"""Requests Leadflow makes to addresses an admin typed (webhooks): only to the public
internet, unless the operator names a network of their own.

An admin's URL could otherwise make the worker post to this machine's Redis, the app's own
admin, or a cloud metadata address (server-side request forgery). So:
- when saved, the URL must be http(s), and a host written as an address — in any spelling
  the resolver accepts (``127.1``, ``2130706433``, ``0x7f.0.0.1``, ``[::ffff:127.0.0.1]``) —
  or named ``localhost`` must not be internal;
- when sent, the host is resolved and *every* address checked again (a public name can
  point inside), the connection goes to the address that was checked (no second lookup
  for the name to change in between), and redirects are never followed.

``WEBHOOK_ALLOWED_NETWORKS`` (off by default) lets an operator reach receivers inside
their own network, e.g. ``10.20.0.0/16``."""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
INTERNAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class Refused(Exception):
    """The request would reach an address it may not."""


def is_internal(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in allowed_networks()):
        return False
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or not address.is_global
    )


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False)
        for network in getattr(settings, "WEBHOOK_ALLOWED_NETWORKS", [])
    ]


def literal_address(host: str) -> Address | None:
    """The address a host written as one means, in any spelling the C resolver accepts
    (``127.1`` and ``2130706433`` are 127.0.0.1 to it), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # the legacy spellings
    except (OSError, ValueError):  # ValueError: a NUL or half a surrogate pair in the host
        return None


def check_url(url: str) -> None:
    """Refuse (ValidationError) a URL that is not http(s) or whose host is internal as
    written. Names are resolved and checked again when a request is sent."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        parts.port  # noqa: B018 — raises ValueError for a port out of range
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    if parts.scheme not in {"http", "https"}:
        raise ValidationError(_("Only http:// and https:// addresses can receive webhooks."),
                              code="scheme")  # fmt: skip
    if not host:
        raise ValidationError(_("Enter a valid URL."), code="invalid")
    address = literal_address(host)
    if (
        host in INTERNAL_NAMES
        or host.endswith(".localhost")
        or (address is not None and is_internal(address))
    ):
        raise ValidationError(
            _("This address is inside a private network; webhooks go to the internet only."),
            code="internal",
        )


def resolve_public(host: str, port: int) -> str:
    """The first address of host, once every address it resolves to has been checked."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"cannot resolve {host}: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    internal = [str(address) for address in addresses if is_internal(address)]
    if internal or not addresses:
        raise Refused(f"{host} resolves to an internal address ({', '.join(internal)})")
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, host: str, address: str, **kwargs: object) -> None:
        super().__init__(host, **kwargs)  # type: ignore[arg-type]
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address; TLS checks the certificate against the host."""

    def __init__(self, host: str, address: str, **kwargs: object) -> None:
        super().__init__(host, context=ssl.create_default_context(), **kwargs)  # type: ignore[arg-type]
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, *, headers: dict[str, str], timeout: float) -> int:
    """POST body to url if it may be reached; the receiver's status (a redirect is an
    answer like any other, never followed). Raises Refused or OSError."""
    try:
        check_url(url)
    except ValidationError as refused:
        raise Refused(f"{url}: {refused.messages[0]}") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve_public(host, port)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, address, port=port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
