"""Tracking: judge later articles against earlier items and propose status changes."""
