"""What every response of the server carries, and which ``Host`` names it answers to.

The security headers go on the app's responses (:class:`wirewatch.web.app._Guard`) and on the
answers the HTTP protocol gives before the app sees a request (:mod:`wirewatch.web.protocol`).

The allowed hosts defend against DNS rebinding: a page on another site whose name is made to
resolve to 127.0.0.1 can reach a loopback server, but its requests carry that site's name in
``Host``.  By default the server answers only to the address it is bound to and to localhost.
"""

from __future__ import annotations

import socket

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def default_allowed_hosts(bound: str) -> frozenset[str]:
    """The bound host and localhost; for a wildcard bind also this machine's own names."""
    names = set(LOCAL_NAMES)
    if bound in _WILDCARDS:
        for name in (socket.gethostname(), socket.getfqdn()):
            if name:
                names.add(name.lower())
    else:
        names.add(bound.lower().strip("[]"))
    return frozenset(names)


def host_name(header: bytes) -> str:
    """The name in a ``Host`` header, without the port and IPv6 brackets, lower-cased."""
    value = header.decode("latin-1").strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    name, sep, port = value.rpartition(":")
    return name if sep and port.isdigit() else value
