"""Cooperation between actors: admission, offers and needs, matching, conversations."""
