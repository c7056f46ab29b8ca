"""Child processes that end with their parent.

A worker blocked reading its task pipe outlives a parent killed with SIGKILL (an OOM kill, a
supervisor restart): it holds a write end of that pipe itself, so it never sees end-of-file.
:func:`die_with_parent` asks the Linux kernel to send the calling process SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``), and exits at once when the parent is already gone.
Call it first thing in a worker process.

The kernel sends the signal when the *thread* that started the child ends, not only the process:
start such workers from a thread that lives as long as they should (the main thread, in the CLI).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int | None = None) -> bool:
    """Have the kernel SIGKILL this process when its parent dies; False where that is not available.

    ``parent_pid`` is the parent's pid as the parent knew it (default: the multiprocessing parent's):
    when ``os.getppid()`` differs the parent died before the request took effect, and this process exits.
    """
    if parent_pid is None:
        import multiprocessing

        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else None
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        ok = False
    if not ok:
        log.warning("could not ask to end with the parent process (prctl failed); a killed parent may leave "
                    "this process %d behind", os.getpid())
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)  # the parent is already gone
    return True
