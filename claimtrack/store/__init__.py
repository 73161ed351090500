"""The DuckDB store: the only package that runs SQL.

``connection`` opens the file for one unit of work and waits out other processes' locks;
``migrations`` holds the forward-only schema; one module per table family holds its queries
(``articles``, ``items``, ``trackings``, ``proposals``, ``decisions``, ``review``, ...).

Storage only: rows in, rows out. The store imports nothing from the packages above it
(extraction, tracking, services, review, cli, evals, sources, ingest); what a row means and what
a decision does are decided there. The :data:`Transaction` that ``Store.read()`` and
``Store.write()`` yield is passed to store functions and nothing else.
"""

from datetime import UTC, datetime

from claimtrack.store.connection import Store, Transaction

__all__ = ["Store", "Transaction", "utc_now"]


def utc_now() -> datetime:
    """Now, as the store records times: UTC, without a zone (DuckDB ``TIMESTAMP``)."""
    return datetime.now(UTC).replace(tzinfo=None)
