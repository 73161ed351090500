"""The review queue's widgets, one per module."""
