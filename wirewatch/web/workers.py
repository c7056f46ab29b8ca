"""Several server processes behind one port, with connections spread evenly over them.

Uvicorn's own multi-worker mode binds one socket in the parent and shares it: whichever worker wakes
first accepts every connection waiting in the queue, so a burst of keep-alive connections (a dashboard
behind a proxy, a load test) lands mostly on one process, and that process's requests wait behind each
other while the other idles (measured: 73 of 100 connections on one of two workers, p99 2.5 times the
other's).  Two ways out, chosen with ``balance``:

``"reuse-port"`` (the default)
    Each worker listens on its own ``SO_REUSEPORT`` socket and the kernel spreads new connections over
    the sockets by a hash of their addresses: even on average, but binomial (100 connections measured
    from 37/63 to 50/50).
``"dispatch"``
    The parent binds the one listening socket, accepts every connection and hands it to the worker with
    the fewest open connections (ties in turn) over a Unix socket pair (``SCM_RIGHTS``); the worker
    attaches it to its uvicorn server with ``loop.connect_accepted_socket``.  Workers count the
    connections they close in a shared array, so the parent knows how many each holds.  100 keep-alive
    connections land exactly 50/50.  Not the default: on a loaded 2-core box its p99 was no better than
    ``reuse-port``'s (median of 14 runs 167 ms against 121 ms of 13, server CPU per request 0.34 against
    0.31 ms) although the worker's reads and writes per request are the same; the even split did not
    remove the tail, which there comes from CPU contention.

:func:`run_workers` starts the processes, restarts one that dies after it started serving, and stops
them all on SIGINT or SIGTERM (uvicorn finishes the requests in flight).  Each worker builds its app with
``app_factory`` (an importable ``module:function``) and, once the app is built, moves the objects made so
far out of the garbage collector's way (``gc.freeze``), so that no collection of old objects pauses a
request.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
import logging
import multiprocessing
import os
import selectors
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import StoreError
from ..pipeline.lifetime import die_with_parent

log = logging.getLogger(__name__)

BALANCES = ("dispatch", "reuse-port")
# A worker that exits within this many seconds of its start failed to start (bad port, bad database):
# restarting it would fail the same way, so the whole server stops instead.  (A dispatched worker says
# when it serves: one that dies before saying so failed to start, however long it took.)
STARTUP_SECONDS = 10.0
# uvicorn's exit code when a server fails to start
STARTUP_FAILURE = 3
READY = b"r"  # what a dispatched worker sends the parent once it serves


def reuse_port_supported(port: int) -> bool:
    """True when this platform can give each worker its own socket on ``port`` (not port 0, which would
    give each worker a different random port)."""
    return port != 0 and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int, *, reuse_port: bool, backlog: int = 2048) -> socket.socket:
    """A bound, listening TCP socket on ``host:port`` (``SO_REUSEPORT`` set when ``reuse_port``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # as uvicorn chooses for --host
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _uvicorn_config(app_factory: str, log_level: str) -> Any:
    """The worker's uvicorn config with its app built and frozen out of the garbage collector's way."""
    import uvicorn

    from .protocol import BoundedHttpToolsProtocol

    config = uvicorn.Config(app_factory, factory=True, log_level=log_level, access_log=False,
                            http=BoundedHttpToolsProtocol)
    config.load()  # builds the app (uvicorn would do this in run(); done here to freeze what it made)
    gc.collect()
    gc.freeze()  # the app, its caches' skeletons and the imported modules are never scanned again
    return config


def _reuse_port_worker_main(app_factory: str, host: str, port: int, log_level: str) -> None:
    """One worker process: its own socket, its own app, uvicorn on the event loop."""
    import sys

    die_with_parent()

    import uvicorn

    try:
        sock = listening_socket(host, port, reuse_port=True)
    except OSError as exc:
        logging.getLogger(__name__).error("worker cannot listen on %s:%d: %s", host, port, exc)
        sys.exit(STARTUP_FAILURE)
    uvicorn.Server(_uvicorn_config(app_factory, log_level)).run(sockets=[sock])


# ---- dispatch: the parent accepts, the worker with the fewest open connections serves ----

def check_uvicorn() -> None:
    """Raise :class:`StoreError` unless the installed uvicorn has what dispatching relies on: a server with
    ``server_state``, ``lifespan`` and ``startup(sockets=...)``, and an HTTP protocol built from
    ``config``, ``server_state`` and ``app_state`` (what ``uvicorn.Server.startup`` passes in 0.54)."""
    import uvicorn
    from uvicorn.server import ServerState

    from .protocol import BoundedHttpToolsProtocol

    params = inspect.signature(BoundedHttpToolsProtocol.__init__).parameters
    startup = inspect.signature(uvicorn.Server.startup).parameters
    missing = [name for name in ("config", "server_state", "app_state") if name not in params]
    missing += [] if "sockets" in startup else ["Server.startup(sockets)"]
    missing += [] if hasattr(ServerState(), "connections") else ["ServerState.connections"]
    if missing:
        raise StoreError(f"uvicorn {uvicorn.__version__} differs from what worker dispatch relies on"
                         f" (missing {', '.join(missing)})", hint="use --balance reuse-port or pin uvicorn 0.54")


def _counting_protocol(cls: type, on_close: Callable[[], None]) -> type:
    """``cls`` with ``on_close()`` called once its connection is lost."""

    def connection_lost(self: Any, exc: Exception | None) -> None:
        try:
            cls.connection_lost(self, exc)
        finally:
            on_close()

    return type(f"Counting{cls.__name__}", (cls,), {"connection_lost": connection_lost})


def _dispatched_server(config: Any, channel: socket.socket, closed: Any, slot: int) -> Any:
    """A uvicorn server without a listening socket of its own, serving the sockets the parent sends
    over ``channel`` and counting in ``closed[slot]`` the connections it has closed."""
    import uvicorn

    class DispatchedServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])  # (an empty list: no listening socket, no "running on" line)
            if not self.started:
                return

            def closed_one() -> None:
                closed[slot] += 1

            protocol = _counting_protocol(self.config.http_protocol_class, closed_one)
            self._factory = functools.partial(protocol, config=self.config, server_state=self.server_state,
                                              app_state=self.lifespan.state)
            self._attaching: set[asyncio.Task[Any]] = set()
            loop = asyncio.get_running_loop()
            channel.setblocking(False)
            loop.add_reader(channel.fileno(), self._receive, loop)
            channel.send(READY)

        def _receive(self, loop: asyncio.AbstractEventLoop) -> None:
            while True:
                try:
                    message, fds, flags, _ = socket.recv_fds(channel, 16, 64)
                except BlockingIOError:
                    return
                except OSError:
                    message, fds, flags = b"", [], 0
                if not message:  # the parent has gone (or closed the channel): stop
                    loop.remove_reader(channel.fileno())
                    self.should_exit = True
                    return
                if not fds or flags & getattr(socket, "MSG_CTRUNC", 0):  # (out of file descriptors)
                    log.warning("a connection handed over was lost on the way (flags %#x)", flags)
                    closed[slot] += 1
                for fd in fds:
                    self._attach(loop, socket.socket(fileno=fd))

        def _attach(self, loop: asyncio.AbstractEventLoop, sock: socket.socket) -> None:
            if self.should_exit:
                sock.close()
                closed[slot] += 1
                return
            task = loop.create_task(loop.connect_accepted_socket(self._factory, sock))
            self._attaching.add(task)

            def done(t: asyncio.Task[Any]) -> None:
                self._attaching.discard(t)
                if t.cancelled() or t.exception() is not None:
                    log.warning("could not attach a connection: %r", None if t.cancelled() else t.exception())
                    sock.close()
                    closed[slot] += 1  # (no protocol was made, or it never saw its connection)

            task.add_done_callback(done)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            try:
                asyncio.get_running_loop().remove_reader(channel.fileno())
            except (ValueError, OSError):
                pass
            channel.close()  # sockets still on their way are closed with it
            await super().shutdown(sockets=None)

    return DispatchedServer(config)


def _dispatch_worker_main(app_factory: str, channel: socket.socket, closed: Any, slot: int, log_level: str) -> None:
    """One dispatched worker process: its own app, serving the connections the parent sends it."""
    die_with_parent()
    check_uvicorn()
    config = _uvicorn_config(app_factory, log_level)
    _dispatched_server(config, channel, closed, slot).run()


@dataclass(slots=True)
class _Worker:
    """The parent's view of one dispatched worker."""

    slot: int
    process: Any
    channel: socket.socket  # the parent's end of the socket pair
    started: float
    ready: bool = False  # it said it serves and has not gone since
    served: bool = False  # it said it serves, at some point
    sent: int = 0  # connections handed over (the worker counts those it closed in the shared array)


class _Dispatcher:
    """The parent: accepts on ``listener`` and hands each connection to the ready worker with the fewest
    open connections (ties in turn); restarts workers that die once ready."""

    def __init__(self, listener: socket.socket, *, app_factory: str, workers: int, log_level: str) -> None:
        self.listener = listener
        self.app_factory = app_factory
        self.log_level = log_level
        self.context = multiprocessing.get_context("spawn")
        self.closed = self.context.RawArray("q", workers)  # per slot: connections its worker has closed
        self.selector = selectors.DefaultSelector()
        self.accepting = False
        self.turn = 0
        self.workers = [self._start(slot) for slot in range(workers)]

    def _start(self, slot: int) -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.closed[slot] = 0
        process = self.context.Process(target=_dispatch_worker_main, daemon=False,
                                       args=(self.app_factory, theirs, self.closed, slot, self.log_level))
        process.start()
        theirs.close()
        ours.setblocking(False)
        worker = _Worker(slot, process, ours, time.monotonic())
        self.selector.register(ours, selectors.EVENT_READ, worker)
        return worker

    def _drop(self, worker: _Worker) -> None:
        worker.ready = False
        try:
            self.selector.unregister(worker.channel)
        except (KeyError, ValueError):
            pass
        worker.channel.close()

    def _listen(self, on: bool) -> None:
        if on and not self.accepting:
            self.selector.register(self.listener, selectors.EVENT_READ, None)
        elif not on and self.accepting:
            self.selector.unregister(self.listener)
        self.accepting = on

    def poll(self, timeout: float) -> None:
        """Accept and hand over what arrives within ``timeout`` seconds; note workers ready or gone."""
        for key, _ in self.selector.select(timeout):
            if key.data is None:
                self._accept()
                continue
            worker: _Worker = key.data
            try:
                message = worker.channel.recv(16)
            except BlockingIOError:
                continue
            except OSError:
                message = b""
            if message == READY:
                worker.ready = worker.served = True
                log.debug("worker %d ready", worker.process.pid)
            elif not message:  # the worker has gone; the monitor restarts it
                self._drop(worker)
        self._listen(any(w.ready for w in self.workers))

    def _accept(self) -> None:
        for _ in range(256):  # (then let the selector look at the workers again)
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, a connection reset while queued, ...
                log.warning("accept failed: %s", exc)
                return
            with conn:
                if conn.family in (socket.AF_INET, socket.AF_INET6):
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._hand_over(conn)

    def _hand_over(self, conn: socket.socket) -> None:
        n = len(self.workers)
        self.turn = (self.turn + 1) % n
        order = sorted((w for w in self.workers if w.ready),
                       key=lambda w: (w.sent - self.closed[w.slot], (w.slot - self.turn) % n))
        for worker in order:
            try:
                socket.send_fds(worker.channel, [b"c"], [conn.fileno()])
            except BlockingIOError:  # its queue is full: the next one
                continue
            except OSError:  # it has gone
                self._drop(worker)
                continue
            worker.sent += 1
            return
        log.warning("no worker could take a connection; closed it")

    def failed_worker(self) -> str | None:
        """Restart each worker that died after it was ready; a message when one died before."""
        for i, worker in enumerate(self.workers):
            if worker.process.is_alive():
                continue
            if not worker.served and worker.channel.fileno() != -1:
                self.poll(0)  # (the READY it sent before dying may still be unread)
            self._drop(worker)
            code = worker.process.exitcode
            if not worker.served:  # it never served: restarting it would fail the same way
                return f"worker {worker.process.pid} exited with code {code} while starting"
            log.warning("worker %d exited with code %s; starting another", worker.process.pid, code)
            self.workers[i] = self._start(worker.slot)
        return None

    def stop(self) -> None:
        """Stop accepting, then stop the workers (each finishes its requests in flight)."""
        self._listen(False)
        self.listener.close()
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=30)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            self._drop(worker)
        self.selector.close()


def run_workers(*, app_factory: str, host: str, port: int, workers: int, log_level: str = "info",
                balance: str = "reuse-port") -> None:
    """Serve on ``host:port`` with ``workers`` processes until interrupted, connections spread over them
    as ``balance`` says (``"dispatch"`` or ``"reuse-port"``, see the module's documentation).

    Raises :class:`StoreError` when a worker fails to start (the port taken, the app failing to build) or,
    for ``"dispatch"``, when the installed uvicorn is not one it works with.
    """
    if balance not in BALANCES:
        raise ValueError(f"balance must be one of {BALANCES}, not {balance!r}")
    if balance == "dispatch":
        check_uvicorn()
    try:  # fail fast (and never join another server's group) when the port is taken
        listener = listening_socket(host, port, reuse_port=False)
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port}: {exc}", hint="choose another --port") from exc
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if balance == "dispatch":
            listener.setblocking(False)
            failed = _serve_dispatched(listener, stop, app_factory=app_factory, workers=workers,
                                       log_level=log_level)
        else:
            listener.close()
            failed = _serve_reuse_port(stop, app_factory=app_factory, host=host, port=port, workers=workers,
                                       log_level=log_level)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed is not None:
        raise StoreError(failed, hint="see the worker's log above; check --db and --port")


def _serve_dispatched(listener: socket.socket, stop: threading.Event, *, app_factory: str, workers: int,
                      log_level: str) -> str | None:
    dispatcher = _Dispatcher(listener, app_factory=app_factory, workers=workers, log_level=log_level)
    host, port = listener.getsockname()[:2]
    log.info("serving on %s:%d with %d worker processes (connections handed to the least busy)", host, port,
             workers)
    failed: str | None = None
    try:
        checked = time.monotonic()
        while not stop.is_set():
            dispatcher.poll(0.2)
            if time.monotonic() - checked >= 0.2 and not stop.is_set():  # (a Ctrl-C reaches the workers too)
                checked = time.monotonic()
                failed = dispatcher.failed_worker()
                if failed is not None:
                    break
    finally:
        dispatcher.stop()
    return failed


def _serve_reuse_port(stop: threading.Event, *, app_factory: str, host: str, port: int, workers: int,
                      log_level: str) -> str | None:
    context = multiprocessing.get_context("spawn")

    def start() -> tuple[Any, float]:
        process = context.Process(target=_reuse_port_worker_main, args=(app_factory, host, port, log_level),
                                  daemon=False)
        process.start()
        return process, time.monotonic()

    processes = [start() for _ in range(workers)]
    log.info("serving on %s:%d with %d worker processes (one socket each)", host, port, workers)
    failed: str | None = None
    try:
        while not stop.wait(0.5):
            for i, (process, started) in enumerate(processes):
                if process.is_alive() or stop.is_set():  # (a Ctrl-C reaches the workers too)
                    continue
                if process.exitcode == STARTUP_FAILURE or time.monotonic() - started < STARTUP_SECONDS:
                    failed = f"worker {process.pid} exited with code {process.exitcode} while starting"
                    stop.set()
                    break
                log.warning("worker %d exited with code %s; starting another", process.pid, process.exitcode)
                processes[i] = start()
    finally:
        for process, _ in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process, _ in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
    return failed


def socket_owners(server_pid: int, port: int, client_ports: list[int]) -> list[int | None]:
    """For each loopback client connection to ``port`` (given by the client's local port), the pid of the
    process, ``server_pid`` or one of its descendants, holding the accepted socket; None when not found
    (and everywhere off Linux).  A diagnostic: how connections spread over the workers."""
    inodes: dict[int, int] = {}  # client port -> inode of the server-side socket
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], int(fields[9])
            if int(local.rsplit(":", 1)[1], 16) == port and inode:
                inodes[int(remote.rsplit(":", 1)[1], 16)] = inode
    owner: dict[int, int] = {}  # socket inode -> pid
    for pid in descendants(server_pid):
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                owner[int(target[8:-1])] = pid
    return [owner.get(inodes.get(p, -1)) for p in client_ports]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc; just ``[pid]`` elsewhere)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = entry.read_text()
        except OSError:
            continue
        parents[int(entry.parent.name)] = int(raw[raw.rindex(")") + 2:].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += [c for c, parent in parents.items() if parent == p]
    return out
