"""Writes of the cooperation app: <entity>_<verb> functions, keyword-only, atomic."""
