"""Text normalisation shared by search on both databases."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation.

    « Épicerie  solidaire ! » → « epicerie solidaire ».

    The same function builds the stored search column and normalises queries, so the
    embedded SQLite search is accent- and case-insensitive like PostgreSQL's `unaccent`.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    return _NON_WORD.sub(" ", ascii_text).strip()
