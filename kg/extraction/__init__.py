"""Extraction stages: NLP parsing, entity resolution, relations (no heavy imports here)."""
