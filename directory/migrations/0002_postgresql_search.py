"""PostgreSQL full-text and trigram search (no-op on SQLite).

`ess_french` is the French configuration with `unaccent` applied before stemming. The
indexes are built on the very expressions ActorQuerySet.search() uses. `unaccent` and
`pg_trgm` are trusted extensions: the database owner creates them without superuser rights.
"""

from django.db import migrations

from ess_platform.lib.migrations import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'ess_french') THEN
            CREATE TEXT SEARCH CONFIGURATION ess_french (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION ess_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    """CREATE INDEX IF NOT EXISTS actor_search_fts ON directory_actor
        USING gin (to_tsvector('ess_french'::regconfig, search_text))""",
    """CREATE INDEX IF NOT EXISTS actor_search_trgm ON directory_actor
        USING gin (search_text gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS actor_search_trgm",
    "DROP INDEX IF EXISTS actor_search_fts",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS ess_french",
]


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
