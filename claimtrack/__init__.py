"""claimtrack: a ledger of attributed claims and pending commitments in the news."""

__version__ = "0.1.0.dev0"
