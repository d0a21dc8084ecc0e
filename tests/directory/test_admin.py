"""The admin of every feature: one module, as directory/admin.py is, while under 600 lines."""

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import (
    Actor,
    ActorChange,
    CorrectionReport,
    FreshnessDigest,
    FreshnessNotice,
    FreshnessSnapshot,
    MapCell,
    Sector,
    Status,
)
from directory.models.map import CLUSTER_MAX_ZOOM, cell_of
from tests.factories import ActorFactory, CorrectionReportFactory, ImportBatchFactory, sector

CHANGELIST = reverse("admin:directory_actor_changelist")


def change_url(actor: Actor) -> str:
    return reverse("admin:directory_actor_change", args=[actor.pk])


def form_data(actor: Actor, **changes) -> dict:
    """What the admin change form posts back for `actor` unchanged, plus `changes`."""
    confirmed = actor.last_confirmed_at and timezone.localtime(actor.last_confirmed_at)
    fields = [
        "name", "slug", "status", "legal_form", "siret", "short_description", "description",
        "keywords", "labels", "offer", "added_value", "website", "email", "phone", "address",
        "postcode", "lat", "lon", "intervention_radius_km", "headcount_band", "turnover_band",
        "opening_hours", "local_currencies",
    ]  # fmt: skip
    data = {field: getattr(actor, field) for field in fields}
    data |= {
        "network": actor.network_id,
        "commune": actor.commune_id,
        "sectors": [s.pk for s in actor.sectors.all()],
        "volunteers": actor.volunteers or "",
        "last_confirmed_at_0": confirmed.date().isoformat() if confirmed else "",
        "last_confirmed_at_1": confirmed.strftime("%H:%M:%S") if confirmed else "",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    return data | changes


def cell_count(lat: float, lon: float) -> int:
    x, y = cell_of(lat, lon, CLUSTER_MAX_ZOOM)
    cell = MapCell.objects.filter(zoom=CLUSTER_MAX_ZOOM, x=x, y=y).first()
    return cell.count if cell else 0


@pytest.fixture
def recyclerie(network, nantes):
    return ActorFactory(
        network=network,
        commune=nantes,
        name="Recyclerie du Port",
        keywords="réemploi",
        sectors=[sector("recyclerie")],
    )


@pytest.fixture
def creche(network, reze):
    return ActorFactory(
        network=network, commune=reze, name="Crèche des Lutins", sectors=[sector("petite-enfance")]
    )


@pytest.mark.django_db
def test_admin_finds_actors_by_search_and_filters(admin_client, recyclerie, creche):
    filiere = Sector.objects.get(slug="reemploi-recyclage")

    response = admin_client.get(
        CHANGELIST, {"q": "port", "status__exact": Status.PUBLISHED, "filiere": filiere.pk}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Recyclerie du Port" in html
    assert "Crèche des Lutins" not in html

    by_filiere = admin_client.get(CHANGELIST, {"filiere": filiere.pk}).content.decode()
    assert "Recyclerie du Port" in by_filiere
    assert "Crèche des Lutins" not in by_filiere

    by_commune = admin_client.get(CHANGELIST, {"q": "Rezé"}).content.decode()
    assert "Crèche des Lutins" in by_commune
    assert "Recyclerie du Port" not in by_commune


@pytest.mark.django_db
def test_saving_an_actor_in_the_admin_updates_search_and_map(admin_client, recyclerie, reze):
    old = (recyclerie.lat, recyclerie.lon)
    assert cell_of(*old, CLUSTER_MAX_ZOOM) != cell_of(reze.lat, reze.lon, CLUSTER_MAX_ZOOM)
    assert not Actor.objects.search("dépôt-vente").exists()

    response = admin_client.post(
        change_url(recyclerie),
        form_data(
            recyclerie,
            keywords="réemploi, dépôt-vente",
            commune=reze.pk,
            lat=reze.lat,
            lon=reze.lon,
        ),
    )

    assert response.status_code == 302
    assert list(Actor.objects.search("dépôt-vente")) == [recyclerie]
    assert list(Actor.objects.search("Rezé")) == [recyclerie]
    assert cell_count(*old) == 0
    assert cell_count(reze.lat, reze.lon) == 1


@pytest.mark.django_db
def test_publishing_in_the_admin_puts_the_actor_on_the_map(admin_client, network, nantes):
    draft = ActorFactory(
        network=network,
        commune=nantes,
        draft=True,
        last_confirmed_at=None,
        sectors=[sector("recyclerie")],
    )
    assert cell_count(draft.lat, draft.lon) == 0

    response = admin_client.post(change_url(draft), form_data(draft, status=Status.PUBLISHED))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.last_confirmed_at is not None
    assert cell_count(draft.lat, draft.lon) == 1


@pytest.mark.django_db
def test_suspending_or_deleting_in_the_admin_takes_the_actor_off_the_map(
    admin_client, recyclerie, creche
):
    admin_client.post(change_url(recyclerie), form_data(recyclerie, status=Status.SUSPENDED))
    assert cell_count(recyclerie.lat, recyclerie.lon) == 0

    response = admin_client.post(
        reverse("admin:directory_actor_delete", args=[creche.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Actor.objects.filter(pk=creche.pk).exists()
    assert cell_count(creche.lat, creche.lon) == 0


@pytest.mark.django_db
def test_coordinates_outside_france_are_refused_and_nothing_is_saved(admin_client, recyclerie):
    response = admin_client.post(
        change_url(recyclerie), form_data(recyclerie, name="Autre nom", lat=51.5, lon=-0.12)
    )

    assert response.status_code == 200
    assert "hors de France" in response.content.decode()
    recyclerie.refresh_from_db()
    assert recyclerie.name == "Recyclerie du Port"
    assert cell_count(recyclerie.lat, recyclerie.lon) == 1


@pytest.mark.django_db
def test_commune_is_picked_by_autocomplete(admin_client, recyclerie):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "directory", "model_name": "actor", "field_name": "commune", "term": "rez"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Rezé (44)"]


@pytest.mark.django_db
def test_people_who_are_not_staff_are_sent_to_the_admin_login(client, member):
    client.force_login(member)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Issue 4: history, corrections, freshness records and imports ------------------------


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_kept_in_the_actors_history(admin_client, admin_user, recyclerie):
    response = admin_client.post(
        change_url(recyclerie), form_data(recyclerie, phone="02 40 12 34 56")
    )

    assert response.status_code == 302
    change = recyclerie.changes.get(source=ActorChange.Source.EDIT)
    assert change.by == admin_user
    assert change.changes == {"phone": ["", "02 40 12 34 56"]}
    # Saving without changing anything records nothing more.
    recyclerie.refresh_from_db()
    admin_client.post(change_url(recyclerie), form_data(recyclerie))
    assert recyclerie.changes.filter(source=ActorChange.Source.EDIT).count() == 1


@pytest.mark.django_db
def test_history_and_freshness_records_are_shown_but_not_editable(
    admin_client, recyclerie, network
):
    change = ActorChange.objects.create(
        actor=recyclerie, at=timezone.now(), source=ActorChange.Source.CONFIRMATION
    )
    notice = FreshnessNotice.objects.create(actor=recyclerie, kind="reminder", period="2025-01")
    digest = FreshnessDigest.objects.create(network=network, day=timezone.localdate())
    snapshot = FreshnessSnapshot.objects.create(
        network=network, day=timezone.localdate(), published=4, stale=1
    )

    for obj in (change, notice, digest, snapshot):
        info = obj._meta.app_label, obj._meta.model_name
        changelist = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200
        page = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
        delete = reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_correction_reports_are_followed_in_the_admin_and_spam_deleted(admin_client, recyclerie):
    report = CorrectionReportFactory(actor=recyclerie, proposed_value="08 99 99 99 99")

    changelist = admin_client.get(
        reverse("admin:directory_correctionreport_changelist"), {"state__exact": "open"}
    )
    assert changelist.status_code == 200 and "Recyclerie du Port" in changelist.content.decode()
    page = admin_client.get(reverse("admin:directory_correctionreport_change", args=[report.pk]))
    assert "08 99 99 99 99" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()

    delete = reverse("admin:directory_correctionreport_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not CorrectionReport.objects.exists()


@pytest.mark.django_db
def test_import_batches_are_shown_without_their_rows(admin_client, network):
    batch = ImportBatchFactory(network=network, rows=[[2, ["ROW-MARKER-Recyclerie", "Nantes"]]])

    changelist = admin_client.get(reverse("admin:directory_importbatch_changelist"))
    page = admin_client.get(reverse("admin:directory_importbatch_change", args=[batch.pk]))

    assert changelist.status_code == 200 and "acteurs.csv" in changelist.content.decode()
    assert page.status_code == 200
    assert "acteurs.csv" in page.content.decode()
    assert "ROW-MARKER" not in page.content.decode()


@pytest.mark.django_db
def test_the_freshness_policy_of_a_network_is_set_in_the_admin(admin_client, network):
    url = reverse("admin:directory_network_change", args=[network.pk])
    assert "confirmation demandée après" in admin_client.get(url).content.decode().lower()

    response = admin_client.post(
        url,
        {
            "name": network.name,
            "slug": network.slug,
            "description": "",
            "contact_email": "",
            "communes": [c.pk for c in network.communes.all()],
            "animators": [],
            "due_after_months": 6,
            "grace_months": 2,
            "archive_after_months": "",
        },
    )

    assert response.status_code == 302
    network.refresh_from_db()
    assert (network.due_after_months, network.grace_months) == (6, 2)
    assert network.archive_after_months is None
    assert network.freshness_policy().due_after_months == 6


@pytest.mark.django_db
def test_a_new_commune_in_the_admin_moves_the_actor_to_that_communes_network(
    admin_client, recyclerie, other_network
):
    elsewhere = other_network.communes.get()
    response = admin_client.post(
        change_url(recyclerie),
        form_data(recyclerie, commune=elsewhere.pk, lat=elsewhere.lat, lon=elsewhere.lon),
    )

    assert response.status_code == 302
    recyclerie.refresh_from_db()
    assert recyclerie.network == other_network
    change = recyclerie.changes.filter(source=ActorChange.Source.EDIT).get()
    assert "network" in change.changes and "commune" in change.changes


@pytest.mark.django_db
def test_actors_are_created_on_the_site_not_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:directory_actor_add")).status_code == 403


@pytest.mark.django_db
def test_a_network_policy_out_of_order_is_refused_in_the_admin(admin_client, network):
    url = reverse("admin:directory_network_change", args=[network.pk])
    response = admin_client.post(
        url,
        {
            "name": network.name,
            "slug": network.slug,
            "description": "",
            "contact_email": "",
            "communes": [c.pk for c in network.communes.all()],
            "animators": [],
            "due_after_months": 12,
            "grace_months": 1,
            "archive_after_months": 6,
        },
    )

    assert response.status_code == 200
    assert "ne peut être proposé" in response.content.decode()
    network.refresh_from_db()
    assert network.archive_after_months is None


@pytest.mark.django_db
def test_renaming_a_sector_in_the_admin_updates_the_search(admin_client, recyclerie):
    recycling = sector("recyclerie")
    response = admin_client.post(
        reverse("admin:directory_sector_change", args=[recycling.pk]),
        {
            "name": "Ressourcerie solidaire",
            "slug": recycling.slug,
            "parent": recycling.parent_id,
            "colour": recycling.colour,
            "position": recycling.position,
            "description": getattr(recycling, "description", ""),
        },
    )

    assert response.status_code == 302
    assert list(Actor.objects.search("ressourcerie solidaire")) == [recyclerie]
