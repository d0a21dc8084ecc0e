"""Writes of the tenders app: <entity>_<verb> functions, keyword-only, atomic."""
