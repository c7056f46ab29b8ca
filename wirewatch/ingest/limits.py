"""A time budget for parsing one untrusted input.

:func:`time_budget` arms ``SIGALRM`` (a real-time interval timer) around a parse and turns its
expiry into :class:`InputTimeout`, which the reader reports as that input's failure.  Signals
reach only the main thread, so elsewhere (a server thread, a worker thread) and while another
timer is armed the budget is not enforced there; the size and element limits of each reader
still bound the work.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class InputTimeout(TimeoutError):
    """Parsing one input took longer than its budget."""


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[bool]:
    """Raise :class:`InputTimeout` inside the block once ``seconds`` have passed; yields whether it is armed."""
    armed = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
             and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not armed:
        yield False
        return

    def expire(signum: int, frame: object) -> None:  # noqa: ARG001
        raise InputTimeout(f"parsing took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
