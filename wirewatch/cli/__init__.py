"""The command line (``wirewatch``): thin click commands over the library; the only place that prints."""

from .main import main

__all__ = ["main"]
