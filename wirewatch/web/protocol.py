"""Uvicorn's httptools protocol with each response's head and body sent in one write.

Uvicorn writes a response's status line and headers as soon as the app sends ``http.response.start``
and the body when it sends ``http.response.body``: two writes, so two TCP segments and, for a client
waiting on the socket, two wake-ups per response.  :class:`CoalescingHttpToolsProtocol` holds the head
back until the first body write (or, should the body not follow within the same turn of the event loop,
until the next turn) and sends both together.  Bytes and their order on the wire are unchanged.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _HeadHoldingTransport:
    """A transport proxy that holds a written response head (``HTTP/1.1 ...\\r\\n\\r\\n``) until the next
    write or the next turn of the loop, whichever comes first.  Everything else goes straight through."""

    __slots__ = ("_transport", "_loop", "_held")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + bytes(data))
        elif data[:5] == b"HTTP/" and data[-4:] == b"\r\n\r\n":
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # get_extra_info, is_closing, pause_reading, ...
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` writing each response's head together with its body
    (pass as ``http=`` to ``uvicorn.Config`` or ``uvicorn.run``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_HeadHoldingTransport(transport, self.loop))  # type: ignore[arg-type]
