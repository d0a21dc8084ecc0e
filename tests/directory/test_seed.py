"""The demo territory and the benchmark load (directory.seed, manage.py seed_demo)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from directory.management.commands.seed_demo import Command as DirectorySeedDemo
from directory.models import (
    Actor,
    LegalForm,
    MapCell,
    Membership,
    Network,
    SearchWord,
    Sector,
    Status,
)
from directory.seed import bench as bench_seed
from directory.seed import demo
from ess_platform.lib.geo import in_france


def _counts() -> dict:
    from django.contrib.auth import get_user_model

    return {
        "actors": Actor.objects.count(),
        "users": get_user_model().objects.count(),
        "members": Membership.objects.count(),
        "networks": Network.objects.count(),
        "cells": MapCell.objects.count(),
    }


@pytest.fixture
def seeded(db, settings):
    # The home page after login belongs to another module; sign-in is what is tested here.
    settings.LOGIN_REDIRECT_URL = "/"
    out = io.StringIO()
    call_command(DirectorySeedDemo(), stdout=out)
    assert "membre@demo.ess" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()
    return Network.objects.get(slug=demo.DEMO_NETWORK_SLUG)


def test_demo_territory_covers_every_sector_and_legal_form(seeded):
    actors = seeded.actors.all()
    assert actors.filter(status__in=[Status.PUBLISHED, Status.DRAFT, Status.PENDING]).count() >= 300
    assert 5 <= actors.exclude(status=Status.PUBLISHED).count() <= 15
    assert seeded.communes.count() == 24
    for leaf in Sector.objects.leaves():
        assert leaf.actors.filter(network=seeded).count() >= 5, leaf.slug
    for filiere in Sector.objects.filieres():
        assert actors.filter(sectors__parent=filiere).exists(), filiere.slug
    assert set(actors.values_list("legal_form", flat=True)) == set(LegalForm.values)
    assert not actors.filter(search_text="").exists()
    assert all(in_france(lat, lon) for lat, lon in actors.values_list("lat", "lon"))
    assert (
        actors.published().search("recyclerie du port").filter(name="Recyclerie du Port").exists()
    )
    # Typo tolerance (PostgreSQL) corrects words against the vocabulary of the loaded texts.
    assert SearchWord.objects.filter(word="recyclerie").exists()


def test_demo_users_have_their_roles_and_sign_in_through_allauth(seeded, client):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assert User.objects.get(email="admin@demo.ess").is_superuser
    assert seeded.animators.filter(email="animation@demo.ess").exists()
    owned = Actor.objects.get(memberships__user__email="membre@demo.ess")
    assert owned.name == "Recyclerie du Port" and owned.status == Status.PUBLISHED
    assert Actor.objects.filter(memberships__user__email="membre2@demo.ess").exists()
    assert not Membership.objects.filter(user__email="citoyen@demo.ess").exists()
    # Many structures have members, not only the demo ones.
    assert seeded.actors.filter(memberships__isnull=False).distinct().count() > 150

    # Mandatory e-mail verification: an unverified address would be sent to confirm it.
    for user in demo.DEMO_USERS:
        response = client.post(
            "/comptes/login/", {"login": user.email, "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.email
        signed_in = User.objects.get(pk=client.session["_auth_user_id"])
        assert signed_in.email == user.email
        client.logout()


def test_seed_demo_twice_changes_nothing(seeded):
    before = _counts()
    call_command(DirectorySeedDemo(), stdout=io.StringIO())
    assert _counts() == before


def test_bench_actors_are_added_once_and_mapped(seeded):
    call_command(DirectorySeedDemo(), actors=500, stdout=io.StringIO())
    bench = Network.objects.get(slug=bench_seed.BENCH_NETWORK_SLUG)
    assert bench.actors.published().count() == 500
    assert not bench.actors.filter(sectors__isnull=True).exists()
    assert (
        len({commune for commune in bench.actors.values_list("commune__department", flat=True)})
        > 20
    )

    total = MapCell.objects.filter(facet="", zoom=0).aggregate(total=Sum("count"))["total"]
    assert total == Actor.objects.published().count()

    call_command(DirectorySeedDemo(), actors=500, stdout=io.StringIO())
    assert bench.actors.count() == 500


@pytest.mark.postgres
def test_demo_search_tolerates_a_typo_after_the_bulk_load(seeded):
    found = Actor.objects.published().search("recylerie du port")
    assert found.filter(name="Recyclerie du Port").exists()


def test_demo_network_has_a_year_of_snapshots_and_some_history(seeded):
    from django.utils import timezone

    from directory import dashboard
    from directory.models import ActorChange, FreshnessSnapshot

    months = dashboard.monthly_trend(seeded)
    assert all(month.snapshot is not None for month in months)
    latest = months[-1].snapshot
    assert latest.day == timezone.localdate()
    assert latest.published == seeded.actors.published().count()
    assert latest.fresh + latest.due + latest.stale == latest.published
    # Today's figures match the actors as marked, so the chart ends where the numbers are.
    assert latest.stale == seeded.actors.published().filter(freshness="stale").count()
    assert ActorChange.objects.filter(actor__network=seeded).count() >= 5

    call_command(DirectorySeedDemo(), stdout=io.StringIO())
    assert FreshnessSnapshot.objects.filter(network=seeded).count() == 12
