"""The contract's event record, one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..models import Event


def dumps(event: Event) -> str:
    return json.dumps(event.to_record(), ensure_ascii=False, sort_keys=False)


def write(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for ev in events:
        out.write(dumps(ev) + "\n")
        n += 1
    return n
