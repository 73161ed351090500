"""Extraction: claims and commitments found in articles, grounded in their text."""
