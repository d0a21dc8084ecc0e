"""The search vocabulary: the distinct words of the actors' normalised search texts.

Matching a misspelt word against every actor's text with trigrams reads most of the table;
matching it against the vocabulary (a few tens of thousands of words) takes a millisecond,
and the corrected words then use the full-text index — the approach pg_trgm's
documentation recommends. Written by directory.services.search.
"""

from django.db import connection, models

MIN_WORD = 3
MAX_WORD = 60
# Words shorter than this are not corrected: too many near neighbours.
MIN_TYPO_WORD = 4
ALTERNATIVES = 3
# Below this, a neighbour is more often another word than the same one misspelt
# ("recylerie" → "recyclerie" 0.62, but → "recy" 0.36).
MIN_SIMILARITY = 0.45


def words_of(text: str) -> set[str]:
    """Vocabulary words of an already normalised text."""
    return {w for w in text.split() if MIN_WORD <= len(w) <= MAX_WORD}


class SearchWordQuerySet(models.QuerySet):
    def tsquery_with_typos(self, terms: str) -> str:
        """A to_tsquery expression for normalised `terms`: every word required, an unknown word
        replaced by itself or its closest vocabulary words, e.g. "(recylerie | recyclerie) & port".

        Only [a-z0-9] words reach here (ess_platform.lib.text.normalize), so the syntax is safe.
        """
        words = [w for w in terms.split() if w]
        if not words:
            return ""
        known = set(self.filter(word__in=words).values_list("word", flat=True))
        parts = []
        for word in words:
            alternatives = [word]
            if word not in known and len(word) >= MIN_TYPO_WORD:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT word FROM {SearchWord._meta.db_table} "
                        "WHERE word %% %s AND similarity(word, %s) >= %s "
                        "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                        [word, word, MIN_SIMILARITY, word, ALTERNATIVES],
                    )
                    alternatives += [row[0] for row in cursor.fetchall()]
            parts.append("(" + " | ".join(alternatives) + ")" if len(alternatives) > 1 else word)
        return " & ".join(parts)


class SearchWord(models.Model):
    word = models.CharField(max_length=60, primary_key=True)

    objects = SearchWordQuerySet.as_manager()

    def __str__(self) -> str:
        return self.word
