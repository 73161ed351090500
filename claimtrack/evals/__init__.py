"""Prompt and model evaluation: gold readers, scorers, runs."""
