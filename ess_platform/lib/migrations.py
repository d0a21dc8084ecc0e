"""Helpers for migrations that hold PostgreSQL-only SQL (the embedded default is SQLite)."""

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Run these statements on PostgreSQL, and nothing on other databases."""

    def runner(statements: list[str]):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return run

    return migrations.RunPython(runner(forward), runner(backward))
