"""Several server processes behind one port, each with its own listening socket.

Uvicorn's own multi-worker mode binds one socket in the parent and shares it: whichever worker wakes
first accepts every connection waiting in the queue, so a burst of keep-alive connections (a dashboard
behind a proxy, a load test) lands mostly on one process, and that process's requests wait behind each
other while the other idles (measured: 73 of 100 connections on one of two workers, p99 2.5 times the
other's).  Here each worker listens on its own ``SO_REUSEPORT`` socket and the kernel spreads new
connections over the sockets by a hash of their addresses: even on average, but binomial (100
connections measured from 37/63 to 50/50).

:func:`run_workers` starts the processes, restarts one that dies after it started serving, and stops
them all on SIGINT or SIGTERM (uvicorn finishes the requests in flight).  Each worker builds its app with
``app_factory`` (an importable ``module:function``) and, once the app is built, moves the objects made so
far out of the garbage collector's way (``gc.freeze``), so that no collection of old objects pauses a
request.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..pipeline.lifetime import die_with_parent

log = logging.getLogger(__name__)

# A worker that exits within this many seconds of its start failed to start (bad port, bad database):
# restarting it would fail the same way, so the whole server stops instead.
STARTUP_SECONDS = 10.0
# uvicorn's exit code when a server fails to start
STARTUP_FAILURE = 3


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


def run_workers(*, app_factory: str, host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve on ``host:port`` with ``workers`` processes, one ``SO_REUSEPORT`` socket each, until interrupted.

    Raises :class:`StoreError` when a worker fails to start (the port taken, the app failing to build).
    """
    try:  # fail fast (and never join another server's group) when the port is taken
        listening_socket(host, port, reuse_port=False).close()
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port}: {exc}", hint="choose another --port") from exc
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        failed = _serve_reuse_port(stop, app_factory=app_factory, host=host, port=port, workers=workers,
                                   log_level=log_level)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed is not None:
        raise StoreError(failed, hint="see the worker's log above; check --db and --port")


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
