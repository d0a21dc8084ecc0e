"""Faster PostgreSQL search (no-op on SQLite for the SQL part).

- `search_vector`: a stored tsvector generated from `search_text`, GIN-indexed, so ranking
  reads it instead of recomputing to_tsvector for every match. It is a PostgreSQL-only
  column the Django model does not declare: the database keeps it current.
- The vocabulary table with a trigram index serves typo tolerance; the trigram index on
  the whole search text (migration 0002), which made typo search read most of the table,
  and the expression index replaced by the column are dropped.
"""

from django.db import migrations, models

from ess_platform.lib.migrations import postgresql_only

FORWARD = [
    """ALTER TABLE directory_actor ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('ess_french'::regconfig, search_text)) STORED""",
    "CREATE INDEX IF NOT EXISTS actor_search_vector ON directory_actor USING gin (search_vector)",
    "DROP INDEX IF EXISTS actor_search_fts",
    "DROP INDEX IF EXISTS actor_search_trgm",
    """CREATE INDEX IF NOT EXISTS searchword_trgm ON directory_searchword
        USING gin (word gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS searchword_trgm",
    """CREATE INDEX IF NOT EXISTS actor_search_trgm ON directory_actor
        USING gin (search_text gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS actor_search_fts ON directory_actor
        USING gin (to_tsvector('ess_french'::regconfig, search_text))""",
    "DROP INDEX IF EXISTS actor_search_vector",
    "ALTER TABLE directory_actor DROP COLUMN IF EXISTS search_vector",
]


def fill_vocabulary(apps, schema_editor):
    from directory.models.search import MAX_WORD, MIN_WORD

    Actor = apps.get_model("directory", "Actor")
    SearchWord = apps.get_model("directory", "SearchWord")
    words = set()
    for text in Actor.objects.values_list("search_text", flat=True).iterator(chunk_size=2000):
        words |= {w for w in text.split() if MIN_WORD <= len(w) <= MAX_WORD}
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in words], ignore_conflicts=True, batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_field_validators")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=60, primary_key=True, serialize=False))],
        ),
        postgresql_only(FORWARD, BACKWARD),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
