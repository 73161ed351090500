"""The DuckDB store: the only package that runs SQL.

``connection`` opens the file for one unit of work and waits out other processes' locks;
``migrations`` holds the forward-only schema; one module per table family holds its queries.
"""

from claimtrack.store.connection import Store

__all__ = ["Store"]
