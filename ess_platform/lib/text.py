"""Text normalisation and the every-word filter, shared by search on both databases."""

import re
import unicodedata

from django.db.models import Q

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


def every_word(field: str, text: str, *, min_length: int = 1) -> Q:
    """A filter requiring every word of `text` (normalised, at least `min_length` letters)
    inside the already normalised column `field`: "reze" finds "Rezé" on both databases.

    An empty `text` gives an empty Q, which filters nothing."""
    condition = Q()
    for word in normalize(text).split():
        if len(word) >= min_length:
            condition &= Q(**{f"{field}__contains": word})
    return condition
