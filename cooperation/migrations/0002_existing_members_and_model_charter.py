"""Existing published actors are admitted members, with no application; every existing
network gets the six default colleges and version 1 of the model charter, so that
applications can start at once (the animators edit the charter afterwards)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from cooperation.seed.charter import MODEL_COLLEGES, MODEL_CRITERIA, MODEL_INTRODUCTION

    Actor = apps.get_model("directory", "Actor")
    Network = apps.get_model("directory", "Network")
    Admission = apps.get_model("cooperation", "Admission")
    College = apps.get_model("cooperation", "College")
    CharterVersion = apps.get_model("cooperation", "CharterVersion")
    Criterion = apps.get_model("cooperation", "Criterion")

    now = timezone.now()
    published = Actor.objects.filter(status="published").values_list("pk", "last_confirmed_at")
    Admission.objects.bulk_create(
        [Admission(actor_id=pk, admitted_at=confirmed or now) for pk, confirmed in published],
        batch_size=1000,
    )
    for network in Network.objects.all():
        College.objects.bulk_create(
            College(network=network, name=name, stakeholder=stakeholder, position=i)
            for i, (name, stakeholder) in enumerate(MODEL_COLLEGES)
        )
        version = CharterVersion.objects.create(
            network=network, number=1, introduction=MODEL_INTRODUCTION
        )
        Criterion.objects.bulk_create(
            Criterion(version=version, kind=kind, title=title, description=text, position=i)
            for i, (kind, title, text) in enumerate(MODEL_CRITERIA)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0001_admission"),
        ("directory", "0011_map_cell_facets"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
