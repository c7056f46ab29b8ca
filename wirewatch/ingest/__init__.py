"""Reading inputs, splitting wire dumps into reports, dating them."""

from .published import infer_published
from .readers import InputFailure, read_inputs
from .wire import parse_dateline, split_articles

__all__ = ["InputFailure", "infer_published", "parse_dateline", "read_inputs", "split_articles"]
