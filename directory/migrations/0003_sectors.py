"""Seed the sector taxonomy (filière → sectors). Animators edit it in the admin later."""

from django.db import migrations

from directory.seed.sectors import seed_sectors


def seed(apps, schema_editor):
    seed_sectors(apps.get_model("directory", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_postgresql_search")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
