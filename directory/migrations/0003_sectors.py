"""Seed the sector taxonomy (filière → sectors). Animators edit it in the admin later."""

from django.db import migrations

from directory.sectors_seed import SECTOR_TREE


def seed(apps, schema_editor):
    Sector = apps.get_model("directory", "Sector")
    for position, (slug, name, colour, icon, children) in enumerate(SECTOR_TREE):
        filiere, _ = Sector.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "colour": colour,
                "icon": icon,
                "position": position,
                "parent": None,
            },
        )
        for child_position, (child_slug, child_name) in enumerate(children):
            Sector.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "colour": colour,
                    "icon": icon,
                    "position": child_position,
                    "parent": filiere,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_postgresql_search")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
