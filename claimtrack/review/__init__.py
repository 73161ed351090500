"""The review queue: a keyboard-driven terminal UI (Textual) over the proposals.

The only package that imports ``textual``. ``data`` does the database work (through
:mod:`claimtrack.store`, in short transactions, called from worker threads); ``passages`` cuts the
paragraph around a quote; ``app`` holds the application, ``screens`` and ``widgets`` one class per
file, and ``review.tcss`` the styles.
"""
