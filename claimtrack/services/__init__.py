"""Use cases the CLI and the review queue call; they compose store calls inside one transaction."""
