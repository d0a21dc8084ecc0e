"""Search helpers: the vocabulary used for typo tolerance on PostgreSQL.

Matching a misspelt word against every actor's text with trigrams reads most of the table;
matching it against the vocabulary (the distinct words of all search texts, a few tens of
thousands) takes a millisecond, and the corrected words then use the full-text index —
the approach pg_trgm's documentation recommends.
"""

from django.db import connection

from directory.models import SearchWord

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


def search_words_add(text: str) -> None:
    words = words_of(text)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in words], ignore_conflicts=True, batch_size=500
        )


def search_words_rebuild() -> None:
    """Add the words of every actor's search text (after bulk loads). Never removes: a word
    nobody uses any more only widens a typo to a term that matches nothing."""
    from directory.models import Actor

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {SearchWord._meta.db_table} (word)
                SELECT DISTINCT w
                FROM {Actor._meta.db_table}, unnest(string_to_array(search_text, ' ')) AS w
                WHERE length(w) BETWEEN %s AND %s
                ON CONFLICT DO NOTHING
                """,
                [MIN_WORD, MAX_WORD],
            )
        return
    words: set[str] = set()
    for text in Actor.objects.values_list("search_text", flat=True).iterator(chunk_size=2000):
        words |= words_of(text)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in words], ignore_conflicts=True, batch_size=1000
    )


def tsquery_with_typos(terms: str) -> str:
    """A to_tsquery expression for normalised `terms`: every word required, an unknown word
    replaced by itself or its closest vocabulary words, e.g. "(recylerie | recyclerie) & port".

    Only [a-z0-9] words reach here (directory.text.normalize), so the syntax is safe.
    """
    words = [w for w in terms.split() if w]
    if not words:
        return ""
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
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
