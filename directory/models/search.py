"""The search vocabulary: the distinct words of the actors' normalised search texts.

Matching a misspelt word against every actor's text with trigrams reads most of the table;
matching it against the vocabulary (a few tens of thousands of words) takes a millisecond,
and the corrected words then use the full-text index — the approach pg_trgm's
documentation recommends. Written by directory.services.search.
"""

import snowballstemmer
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Length

from ess_platform.lib.fulltext import FullTextMatch, FullTextRank
from ess_platform.lib.text import normalize

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


_FRENCH = snowballstemmer.stemmer("french")


def stem(word: str) -> str:
    """The French stem of a normalised word: "recycleries" and "recyclerie" → "recycler"."""
    return _FRENCH.stemWord(word)


def one_edit_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one letter added, dropped or replaced, or two neighbouring
    letters swapped (the Damerau-Levenshtein distance is 1): "recylerie" ~ "recyclerie"."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


class SearchWordQuerySet(models.QuerySet):
    def alternatives(self, word: str) -> set[str]:
        """What a searched word may stand for in the actors' texts, on the embedded
        database (PostgreSQL does the same with French stemming and trigrams): the word,
        the vocabulary words sharing its stem (plurals, feminines), and, for words long
        enough, those one typo away ("recylerie", "resourcerie").

        Read from the table at each search (no cache to go stale): the words that could
        match at all, those of a neighbouring length or with the same first letters (a
        stem is almost always a prefix), a few thousand rows at most."""
        found = {word}
        if len(word) < MIN_TYPO_WORD:
            return found
        candidates = self.annotate(length=Length("word")).filter(
            Q(length__range=(len(word) - 1, len(word) + 1)) | Q(word__startswith=word[:3])
        )
        word_stem, prefix = stem(word), word[:3]
        for other in candidates.values_list("word", flat=True).iterator(chunk_size=5000):
            # Stemming costs more than comparing letters: only for the same first letters.
            if one_edit_apart(word, other) or (
                other.startswith(prefix) and stem(other) == word_stem
            ):
                found.add(other)
        return found

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


def forgiving_search(queryset, query: str, *, tie_break: str):
    """Filter a queryset whose model keeps a normalised `search_text` (and, on PostgreSQL,
    its generated `search_vector`) by every word of `query`, forgiving plurals and a typo,
    the same on both databases: actors and the catalogue's listings search this way.

    PostgreSQL: French stemming with `unaccent` on the GIN-indexed tsvector, a word absent
    from the vocabulary widened to its closest known words by trigram similarity; ranked,
    then `tie_break`. SQLite (the embedded default): every word must appear in the search
    text as itself, a word of the same French stem or a word one typo away; not ranked."""
    terms = normalize(query)
    if not terms:
        return queryset
    if queryset.db == "default" and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        tsquery = SearchWord.objects.tsquery_with_typos(terms)
        if not tsquery:
            return queryset.none()
        return (
            queryset.filter(FullTextMatch(tsquery))
            .annotate(rank=FullTextRank(tsquery))
            .order_by("-rank", tie_break)
        )
    condition = Q()
    for word in terms.split():
        any_form = Q()
        for form in sorted(SearchWord.objects.alternatives(word)):
            any_form |= Q(search_text__contains=form)
        condition &= any_form
    return queryset.filter(condition)
