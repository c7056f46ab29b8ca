"""Stores: SQLite (one file, one machine) and PostgreSQL (many writers, many machines).

:func:`open_store` picks the back-end from the ``--db`` value: a ``postgresql://`` or
``postgres://`` URL opens a :class:`~wirewatch.store.postgres.PostgresStore` (needs the
``cluster`` extra), anything else is a path for :class:`~wirewatch.store.sqlite.SQLiteStore`.
Both implement the store contract, :class:`~wirewatch.store.base.Store`.
"""

from __future__ import annotations

from .base import Store

PG_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: str) -> bool:
    """Does ``db`` name a PostgreSQL database (a ``postgresql://`` URL) rather than a SQLite file?"""
    return str(db).lower().startswith(PG_SCHEMES)


def open_store(db: str, *, readonly: bool = False) -> Store:
    """Open the store ``db`` names: PostgresStore for ``postgresql://...``, SQLiteStore otherwise."""
    if is_postgres(db):
        from .postgres import PostgresStore

        return PostgresStore.open(str(db), readonly=readonly)
    from .sqlite import SQLiteStore

    return SQLiteStore.open(db, readonly=readonly)


__all__ = ["PG_SCHEMES", "Store", "is_postgres", "open_store"]
