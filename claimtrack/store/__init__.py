"""The DuckDB store: the only package that runs SQL.

``connection`` opens the file for one unit of work and waits out other processes' locks;
``migrations`` holds the forward-only schema; one module per table family holds its queries.
"""

from datetime import UTC, datetime

from claimtrack.store.connection import Store

__all__ = ["Store", "utc_now"]


def utc_now() -> datetime:
    """Now, as the store records times: UTC, without a zone (DuckDB ``TIMESTAMP``)."""
    return datetime.now(UTC).replace(tzinfo=None)
