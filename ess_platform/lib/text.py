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


def every_word(field: str, text: str, *, min_length: int = 1, whole_words: bool = False) -> Q:
    """A filter requiring every word of `text` (normalised, at least `min_length` letters)
    inside the already normalised column `field`: "reze" finds "Rezé" on both databases.

    By default a word matches inside a longer one ("recycl" finds "recyclerie", as people
    type); with `whole_words`, only as a word of its own ("ile" is not in "automobile").
    An empty `text` gives an empty Q, which filters nothing."""
    condition = Q()
    for word in normalize(text).split():
        if len(word) >= min_length:
            condition &= (
                _whole_word(field, word) if whole_words else Q(**{f"{field}__contains": word})
            )
    return condition


def _whole_word(field: str, word: str) -> Q:
    # The column holds words separated by single spaces (normalize), so a word of its own is
    # the whole text, or at its start, end or between two spaces.
    return (
        Q(**{field: word})
        | Q(**{f"{field}__startswith": f"{word} "})
        | Q(**{f"{field}__endswith": f" {word}"})
        | Q(**{f"{field}__contains": f" {word} "})
    )
