"""Uvicorn's httptools protocol with limits on request heads (uvicorn's has none).

What a client may make the server hold before the app sees a request is bounded: a request head
(request line and headers) longer than :data:`MAX_HEAD_BYTES` or with more than :data:`MAX_HEADERS`
headers is answered ``431`` and the connection closed; a head not complete :data:`HEAD_TIMEOUT` seconds
after the connection opened (or after the previous response) is answered ``408`` and closed.  These
answers, and uvicorn's own ``400`` for a malformed request, carry the same security headers as every
response of the app.  Responses are written as uvicorn writes them.
"""

from __future__ import annotations

import asyncio

from .security import SECURITY_HEADERS

MAX_HEAD_BYTES = 16_384  # request line and headers of one request (what h11, uvicorn's other parser, allows)
MAX_HEADERS = 100  # header lines of one request
HEAD_TIMEOUT = 10.0  # seconds from a connection's start (or its previous response) to a complete head

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` with bounded request heads (pass as ``http=`` to ``uvicorn.Config`` or
    ``uvicorn.run``)."""

    max_head_bytes = MAX_HEAD_BYTES
    max_headers = MAX_HEADERS
    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_bytes = 0
        self._tail = b""  # the last bytes of the head so far (its end may straddle two reads)
        self._head_count = 0
        self._in_head = True  # between a response (or the connection's start) and the next complete head
        self._refused = False
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            room = self.max_head_bytes - self._head_bytes
            if len(data) > room and b"\r\n\r\n" not in self._tail + data[:max(room, 0) + 4]:
                self._refuse(431, f"request head longer than {self.max_head_bytes} bytes")
                return
            self._head_bytes += len(data)
            self._tail = data[-3:]
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_count = 0
        if not self._in_head:  # a pipelined request: its head is counted from here
            self._in_head, self._head_bytes, self._tail = True, 0, b""
            self._arm_head_timer()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_count += 1
        if self._head_count > self.max_headers:
            self._refuse(431, f"more than {self.max_headers} request headers")
            raise _Refused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._refused and not self.transport.is_closing():
            self._in_head, self._head_bytes, self._tail = True, 0, b""
            self._arm_head_timer()

    def send_400_response(self, msg: str) -> None:
        if self._refused:  # our own refusal, already answered
            return
        self._refuse(400, msg)

    # -- refusals ----------------------------------------------------------

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            if self._head_bytes:
                self._refuse(408, f"request head not complete within {self.head_timeout:g} s")
            else:  # an idle connection: nothing to answer
                self._refused = True
                self.transport.close()

    def _refuse(self, status: int, message: str) -> None:
        """Answer ``status`` with a plain-text ``message`` and the security headers, then close."""
        self._refused = True
        self._disarm_head_timer()
        reason = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}[status]
        body = message.encode("ascii", "replace")
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        for name, value in SECURITY_HEADERS:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                    b"connection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a refused request."""
