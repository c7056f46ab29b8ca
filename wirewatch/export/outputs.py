"""Output files written whole or not at all.

:func:`output_file` checks the file's folder first (a missing folder is an :class:`OutputError` naming
it, before any work), writes to a temporary file beside the target and renames it into place only when
the writer finished: an interrupted or failed export or report never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ..errors import WirewatchError


class OutputError(WirewatchError, OSError):
    """An output file cannot be written where asked."""


def check_output(path: str | Path) -> Path:
    """``path`` when its folder exists and is a folder; OutputError otherwise."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: folder {folder} does not exist",
                          hint=f"create it first (mkdir -p {folder}) or pick another -o")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder", hint="give a file name with -o")
    return target


@contextlib.contextmanager
def output_file(path: str | Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only if the ``with`` block completes."""
    target = check_output(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        # mkstemp makes the file private (0600); the finished file gets the mode a plain open() would give
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
