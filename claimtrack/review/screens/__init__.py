"""The review UI's screens, one per module."""
