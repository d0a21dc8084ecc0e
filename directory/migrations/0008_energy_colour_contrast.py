"""The "Énergie" filière's colour had 4.2:1 contrast with white text (WCAG AA asks 4.5:1)."""

from django.db import migrations

OLD, NEW = "#b26a00", "#975a00"


def darken(apps, schema_editor):
    # Only where nobody chose another colour in the admin.
    Sector = apps.get_model("directory", "Sector")
    Sector.objects.filter(slug="energie", parent=None, colour=OLD).update(colour=NEW)


def lighten(apps, schema_editor):
    Sector = apps.get_model("directory", "Sector")
    Sector.objects.filter(slug="energie", parent=None, colour=NEW).update(colour=OLD)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_freshness_corrections_imports")]

    operations = [migrations.RunPython(darken, lighten)]
