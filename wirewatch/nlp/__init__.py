"""The language model: loading spaCy's pipeline (``model``) and running it only where an event can be
found (``prefilter``)."""
