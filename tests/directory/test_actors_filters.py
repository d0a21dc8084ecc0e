"""ActorFilterSet: the filters shared by the public list, the map and the API."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.http import QueryDict
from django.utils import timezone

from directory.filters import ActorFilterSet
from directory.models import Actor, Freshness, LegalForm
from tests.directory.helpers import KM_IN_DEGREES_LAT, NANTES
from tests.factories import ActorFactory, CommuneFactory, NetworkFactory, sector


def run(query: str):
    filterset = ActorFilterSet(QueryDict(query), queryset=Actor.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset


def names(query: str) -> list[str]:
    return [actor.name for actor in run(query).qs]


def errors(query: str) -> dict:
    filterset = ActorFilterSet(QueryDict(query), queryset=Actor.objects.published())
    assert not filterset.is_valid()
    return {field: list(messages) for field, messages in filterset.errors.items()}


def north_of_nantes(km: float, **kwargs):
    return ActorFactory(lat=NANTES[0] + km * KM_IN_DEGREES_LAT, lon=NANTES[1], **kwargs)


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("epicerie", "Épicerie solidaire de Rezé"),
            ("ÉPICERIE", "Épicerie solidaire de Rezé"),
            ("RECYCLERIE", "Recyclerie du Port"),
            ("recyclerie", "Recyclerie du Port"),
        ],
    )
    def test_ignores_accents_and_case(self, actor, other_member, query, expected):
        assert names(f"q={query}") == [expected]

    def test_finds_words_of_the_sector_and_the_commune(self, network, reze):
        ActorFactory(name="Le Chaudron", commune=reze, sectors=[sector("restauration")])
        ActorFactory(name="La Boussole")

        assert names("q=traiteur") == ["Le Chaudron"]
        assert names("q=reze") == ["Le Chaudron"]

    def test_empty_query_keeps_everything(self, actor, other_member):
        assert len(names("q=")) == 2


@pytest.mark.postgres
def test_search_inside_a_subquery_reads_the_subquery_rows(actor, other_member):
    # The map and exports select `pk__in=<filtered>.values("pk")`. The search once named
    # the actors table outright, which inside the subquery meant the outer row: a correlated
    # subquery run once per actor, minutes long at 200,000 actors.
    matching = Actor.objects.filter(pk__in=run("q=recyclerie").qs.values("pk"))

    assert list(matching) == [actor]
    sql = str(matching.query)
    assert '"directory_actor"."search_text"' not in sql[sql.index("IN (SELECT") :]


class TestSector:
    def test_a_sector_keeps_its_actors(self, db):
        ActorFactory(name="Ressourcerie", sectors=[sector("recyclerie")])
        ActorFactory(name="Repair café", sectors=[sector("reparation")])

        assert names("sector=recyclerie") == ["Ressourcerie"]

    def test_a_filiere_stands_for_all_its_sectors(self, db):
        ActorFactory(name="Ressourcerie", sectors=[sector("recyclerie")])
        ActorFactory(name="Repair café", sectors=[sector("reparation")])
        ActorFactory(name="AMAP", sectors=[sector("circuits-courts")])

        assert names("sector=reemploi-recyclage") == ["Repair café", "Ressourcerie"]

    def test_several_sectors_add_up_without_duplicates(self, db):
        ActorFactory(name="Ressourcerie", sectors=[sector("recyclerie"), sector("reparation")])
        ActorFactory(name="AMAP", sectors=[sector("circuits-courts")])
        ActorFactory(name="Crèche", sectors=[sector("petite-enfance")])

        assert names("sector=recyclerie&sector=reparation&sector=circuits-courts") == [
            "AMAP",
            "Ressourcerie",
        ]

    def test_empty_choice_means_every_sector(self, actor, other_member):
        # The list's <select> sends "sector=" for "Tous les secteurs".
        assert len(names("sector=&legal_form=")) == 2

    def test_a_number_too_large_for_the_database_is_an_unknown_sector(self, client, actor):
        # Sectors are chosen by slug (text): a number beyond 64 bits never reaches the
        # database as an integer, on the list page as on the API.
        huge = "9" * 30

        assert errors(f"sector={huge}") == {
            "sector": [f"Sélectionnez un choix valide. {huge} n’en fait pas partie."]
        }
        page = client.get(f"/?sector={huge}")
        assert page.status_code == 200
        assert "n’en fait pas partie" in page.content.decode()
        api = client.get(f"/api/v1/actors/?sector={huge}")
        assert api.status_code == 400
        assert "sector" in api.json()


def test_legal_form_is_repeatable(db):
    ActorFactory(name="Scop", legal_form=LegalForm.SCOP)
    ActorFactory(name="Scic", legal_form=LegalForm.SCIC)
    ActorFactory(name="Asso", legal_form=LegalForm.ASSOCIATION)

    assert names("legal_form=scop") == ["Scop"]
    assert names("legal_form=scop&legal_form=scic") == ["Scic", "Scop"]


def test_commune_by_insee_code(actor, other_member):
    assert names("commune=44143") == ["Épicerie solidaire de Rezé"]


class TestNear:
    def test_keeps_actors_within_the_radius_nearest_first(self, db):
        north_of_nantes(5, name="À cinq kilomètres")
        north_of_nantes(1, name="À un kilomètre")
        north_of_nantes(30, name="À trente kilomètres")

        assert names(f"near={NANTES[0]},{NANTES[1]}&radius_km=10") == [
            "À un kilomètre",
            "À cinq kilomètres",
        ]

    def test_a_wider_radius_reaches_further(self, db):
        north_of_nantes(5, name="À cinq kilomètres")
        north_of_nantes(30, name="À trente kilomètres")

        assert names(f"near={NANTES[0]},{NANTES[1]}&radius_km=40") == [
            "À cinq kilomètres",
            "À trente kilomètres",
        ]

    def test_default_radius_is_ten_kilometres(self, db):
        north_of_nantes(9, name="À neuf kilomètres")
        north_of_nantes(11, name="À onze kilomètres")

        assert names(f"near={NANTES[0]},{NANTES[1]}") == ["À neuf kilomètres"]

    def test_measures_real_distance_not_the_box_corner(self, db):
        # 8 km east and 8 km north is 11.3 km away: inside the 10 km square, outside the circle.
        lat = NANTES[0] + 8 * KM_IN_DEGREES_LAT
        lon = NANTES[1] + 8 / (111.2 * 0.679)  # cos(47.2°) ≈ 0.679
        ActorFactory(name="Dans le coin", lat=lat, lon=lon)

        assert names(f"near={NANTES[0]},{NANTES[1]}&radius_km=10") == []


def test_bbox_keeps_actors_inside(db):
    north_of_nantes(5, name="Dedans")
    north_of_nantes(30, name="Dehors")
    lyon = CommuneFactory(insee="69123", name="Lyon", lat=45.7677, lon=4.8354)
    ActorFactory(name="Lyon", commune=lyon)

    assert names("bbox=-1.7,47.1,-1.4,47.3") == ["Dedans"]


def test_freshness(db):
    now = timezone.now()
    ActorFactory(name="À jour", last_confirmed_at=now - timedelta(days=30))
    ActorFactory(name="À confirmer", last_confirmed_at=now - relativedelta(months=12, days=10))
    ActorFactory(name="Obsolète", last_confirmed_at=now - relativedelta(months=14))
    ActorFactory(name="Jamais confirmé", last_confirmed_at=None)

    assert names("freshness=fresh") == ["À jour"]
    assert names("freshness=due") == ["À confirmer"]
    assert names("freshness=stale") == ["Jamais confirmé", "Obsolète"]


def test_freshness_is_the_state_marked_under_each_network_s_policy(db):
    """The filter reads the stored state (set by the daily pass with each network's policy,
    and by confirmations), not a date compared with one global delay."""
    patient = NetworkFactory(due_after_months=24, grace_months=3)
    fourteen_months_ago = timezone.now() - relativedelta(months=14)
    state = patient.freshness_policy().thresholds().freshness_of(fourteen_months_ago)
    ActorFactory(
        name="Réseau patient",
        network=patient,
        last_confirmed_at=fourteen_months_ago,
        freshness=state,
    )
    ActorFactory(name="Réseau par défaut", last_confirmed_at=fourteen_months_ago)

    assert state == Freshness.FRESH
    assert names("freshness=fresh") == ["Réseau patient"]
    assert names("freshness=stale") == ["Réseau par défaut"]


def test_filters_combine(db):
    ActorFactory(name="Scop du réemploi", legal_form=LegalForm.SCOP, sectors=[sector("textile")])
    ActorFactory(name="Asso du réemploi", sectors=[sector("textile")])
    ActorFactory(name="Scop du vélo", legal_form=LegalForm.SCOP, sectors=[sector("velo")])

    assert names("sector=reemploi-recyclage&legal_form=scop") == ["Scop du réemploi"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("near=abc", "near", "Format attendu"),
        ("near=47.2", "near", "Format attendu"),
        ("near=nan,-1.5", "near", "Format attendu"),
        ("near=47.2,inf", "near", "Format attendu"),
        ("near=0,0", "near", "hors de France"),
        ("bbox=1,2", "bbox", "Format attendu"),
        ("bbox=3,45,1,46", "bbox", "Format attendu"),
        ("bbox=-1,nan,1,46", "bbox", "Format attendu"),
        ("radius_km=-5", "radius_km", "supérieure ou égale"),
        ("radius_km=5000", "radius_km", "inférieure ou égale"),
        ("radius_km=NaN", "radius_km", "Saisissez un nombre"),
        ("sector=nope", "sector", "choix valide"),
        ("legal_form=xyz", "legal_form", "choix valide"),
        ("freshness=old", "freshness", "choix valide"),
        ("commune=99999", "commune", "choix valide"),
        ("q=a%00b", "q", "caractère nul"),
    ],
)
def test_invalid_values_are_refused_with_a_french_message(db, query, field, message):
    found = errors(query)
    assert list(found) == [field]
    assert message in found[field][0]


def test_has_filters_ignores_the_box_and_the_radius_alone(db):
    assert not run("bbox=-1.7,47.1,-1.4,47.3&radius_km=20").has_filters
    assert run("sector=recyclerie").has_filters
    assert run("near=47.2,-1.55").has_filters
    assert not run("sector=").has_filters
