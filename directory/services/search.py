"""Writes of the search feature: the vocabulary used for typo tolerance on PostgreSQL.

Matching a misspelt word against every actor's text with trigrams reads most of the table;
matching it against the vocabulary (the distinct words of all search texts, a few tens of
thousands) takes a millisecond, and the corrected words then use the full-text index —
the approach pg_trgm's documentation recommends.
"""

from django.conf import settings
from django.db import connection
from django.utils import translation

from directory.models import Actor, SearchWord
from directory.models.search import MAX_WORD, MIN_WORD, words_of
from ess_platform.lib.text import normalize


def search_words_add(text: str) -> None:
    words = words_of(text)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in words], ignore_conflicts=True, batch_size=500
        )


def search_words_rebuild() -> None:
    """Add the words of every actor's search text (after bulk loads). Never removes: a word
    nobody uses any more only widens a typo to a term that matches nothing."""
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


def actor_search_text(actor: Actor, sector_names: list[str]) -> str:
    # In the site's language whoever saves: an English-speaking editor must not turn
    # "mutuelle" into "mutual society" in the French search.
    with translation.override(settings.LANGUAGE_CODE):
        legal_form = actor.get_legal_form_display()
    parts = [
        actor.name,
        actor.short_description,
        actor.keywords,
        actor.offer,
        actor.labels,
        actor.commune.name if actor.commune_id else "",
        legal_form,
        *sector_names,
    ]
    return normalize(" ".join(p for p in parts if p))


def actor_refresh_search(actor: Actor) -> None:
    """Recompute the normalised search text (after any change of the fields or sectors it
    covers) and add its words to the typo vocabulary."""
    sector_names = list(actor.sectors.values_list("name", flat=True))
    actor.search_text = actor_search_text(actor, sector_names)
    Actor.objects.filter(pk=actor.pk).update(search_text=actor.search_text)
    search_words_add(actor.search_text)
