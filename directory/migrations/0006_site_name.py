"""Name the site: allauth's e-mails say "example.com" otherwise. The domain follows
SITE_URL at migration time; the admin can change both later."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Plateforme ESS"}
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_search_vocabulary"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
