"""Mentions to events: near-duplicate articles and stories (``dedup``, ``stories``), linking and
clustering mentions into events (``core``, ``bounds``), one figure from many claims (``reconcile``),
and merging again only what new mentions change (``refresh``)."""
