"""The public REST API under /api/v1/ (DESIGN.md §6): a contract other platforms rely on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.api import views
from directory.models import LegalForm, Status
from directory.models.map import CLUSTER_MAX_ZOOM
from tests.factories import ActorFactory, CommuneFactory, sector

NANTES = (47.2184, -1.5536)
KM_IN_DEGREES_LAT = 1 / 111.2
AROUND_NANTES = "-2.0,47.0,-1.0,47.6"
FRANCE = "-5.5,41.2,9.7,51.2"


def get(client, name: str, query: str = "", **kwargs):
    return client.get(f"{reverse(name, kwargs=kwargs or None)}?{query}")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def lyon(db):
    return CommuneFactory(insee="69123", name="Lyon", department="69", lat=45.7677, lon=4.8354)


class TestActorList:
    def test_item_shape(self, client, network, nantes):
        ActorFactory(
            network=network,
            commune=nantes,
            name="Recyclerie du Port",
            slug="recyclerie-du-port",
            legal_form=LegalForm.SCIC,
            short_description="Collecte, tri et revente d'objets.",
            sectors=[sector("recyclerie")],
        )

        response = get(client, "api-actor-list")

        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert body["next"] is None
        assert body["previous"] is None
        (item,) = body["results"]
        assert set(item) == {
            "slug",
            "name",
            "url",
            "legal_form",
            "legal_form_label",
            "sectors",
            "commune",
            "lat",
            "lon",
            "last_confirmed_at",
            "freshness",
            "short_description",
        }
        assert item["slug"] == "recyclerie-du-port"
        assert item["url"] == "http://testserver/acteurs/recyclerie-du-port/"
        assert item["legal_form"] == "scic"
        assert item["legal_form_label"] == "SCIC"
        assert item["sectors"] == [
            {
                "slug": "recyclerie",
                "name": "Recyclerie et ressourcerie",
                "filiere": "reemploi-recyclage",
                "colour": sector("reemploi-recyclage").colour,
            }
        ]
        assert item["commune"] == {"insee": "44109", "name": "Nantes"}
        assert (item["lat"], item["lon"]) == NANTES
        assert item["freshness"] == "fresh"
        assert item["last_confirmed_at"]
        assert item["short_description"] == "Collecte, tri et revente d'objets."

    def test_the_url_opens_the_public_page(self, client, actor):
        (item,) = get(client, "api-actor-list").json()["results"]

        assert client.get(item["url"]).status_code == 200

    def test_only_published_actors(self, client, network):
        ActorFactory(network=network, name="Publiée")
        ActorFactory(network=network, name="Brouillon", draft=True)
        ActorFactory(network=network, name="En attente", pending=True)
        ActorFactory(network=network, name="Suspendue", status=Status.SUSPENDED)
        ActorFactory(network=network, name="Archivée", status=Status.ARCHIVED)

        assert names(get(client, "api-actor-list")) == ["Publiée"]

    def test_ordered_by_name(self, client, db):
        for name in ["Zèbre", "Atelier", "Maison"]:
            ActorFactory(name=name)

        assert names(get(client, "api-actor-list")) == ["Atelier", "Maison", "Zèbre"]

    def test_stale_actor_says_so(self, client, db):
        ActorFactory(stale=True)

        (item,) = get(client, "api-actor-list").json()["results"]
        assert item["freshness"] == "stale"


class TestPagination:
    @pytest.fixture
    def actors(self, db):
        return ActorFactory.create_batch(25)

    def test_twenty_per_page_by_default(self, client, actors):
        body = get(client, "api-actor-list").json()

        assert body["count"] == 25
        assert len(body["results"]) == 20
        assert body["next"].endswith("?page=2")
        second = client.get(body["next"]).json()
        assert len(second["results"]) == 5
        assert second["next"] is None

    def test_pages_do_not_overlap(self, client, actors):
        first = names(get(client, "api-actor-list", "page_size=10"))
        second = names(get(client, "api-actor-list", "page_size=10&page=2"))
        third = names(get(client, "api-actor-list", "page_size=10&page=3"))

        assert len(set(first + second + third)) == 25

    def test_page_size_up_to_200(self, client, actors):
        assert len(names(get(client, "api-actor-list", "page_size=200"))) == 25

    @pytest.mark.parametrize("page_size", ["201", "1000", "0", "-1", "abc", "2.5"])
    def test_page_size_out_of_bounds_is_refused_not_clamped(self, client, actors, page_size):
        response = get(client, "api-actor-list", f"page_size={page_size}")

        assert response.status_code == 400
        assert response.json() == {"page_size": ["Saisissez un nombre entier entre 1 et 200."]}

    def test_page_out_of_range_is_not_found(self, client, actors):
        assert get(client, "api-actor-list", "page=3").status_code == 404

    def test_query_count_does_not_grow_with_page_size(self, client, django_assert_num_queries, db):
        for n in range(60):
            ActorFactory(sectors=[sector("recyclerie"), sector("velo")], name=f"Acteur {n:02}")

        # count (from the map cells), page, communes, sectors, their filières
        with django_assert_num_queries(5):
            small = get(client, "api-actor-list", "page_size=5")
        with django_assert_num_queries(5):
            large = get(client, "api-actor-list", "page_size=50")
        assert len(small.json()["results"]) == 5
        assert len(large.json()["results"]) == 50
        # The rows counted are the ones answered: by name, each with its two sectors.
        assert names(small) == [f"Acteur {n:02}" for n in range(5)]
        assert names(large) == [f"Acteur {n:02}" for n in range(50)]
        assert {
            tuple(sorted(s["slug"] for s in item["sectors"])) for item in large.json()["results"]
        } == {("recyclerie", "velo")}
        assert large.json()["count"] == 60


class TestActorListFilters:
    def test_q_ignores_accents_and_case(self, client, actor, other_member):
        assert names(get(client, "api-actor-list", "q=epicerie")) == ["Épicerie solidaire de Rezé"]
        assert names(get(client, "api-actor-list", "q=RECYCLERIE")) == ["Recyclerie du Port"]

    def test_search_never_finds_drafts(self, client, network):
        ActorFactory(network=network, name="Recyclerie brouillon", draft=True)

        assert names(get(client, "api-actor-list", "q=recyclerie")) == []

    def test_sector_filiere_and_legal_form(self, client, db):
        ActorFactory(name="Ressourcerie", legal_form=LegalForm.SCOP, sectors=[sector("recyclerie")])
        ActorFactory(name="Repair café", sectors=[sector("reparation")])
        ActorFactory(name="AMAP", sectors=[sector("circuits-courts")])

        assert names(get(client, "api-actor-list", "sector=reemploi-recyclage")) == [
            "Repair café",
            "Ressourcerie",
        ]
        assert names(get(client, "api-actor-list", "sector=recyclerie&sector=circuits-courts")) == [
            "AMAP",
            "Ressourcerie",
        ]
        assert names(get(client, "api-actor-list", "legal_form=scop")) == ["Ressourcerie"]

    def test_commune(self, client, actor, other_member):
        assert names(get(client, "api-actor-list", "commune=44143")) == [
            "Épicerie solidaire de Rezé"
        ]

    def test_near_keeps_the_radius_nearest_first(self, client, db):
        ActorFactory(name="À 5 km", lat=NANTES[0] + 5 * KM_IN_DEGREES_LAT, lon=NANTES[1])
        ActorFactory(name="À 2 km", lat=NANTES[0] - 2 * KM_IN_DEGREES_LAT, lon=NANTES[1])
        ActorFactory(name="À 30 km", lat=NANTES[0] + 30 * KM_IN_DEGREES_LAT, lon=NANTES[1])

        response = get(client, "api-actor-list", f"near={NANTES[0]},{NANTES[1]}&radius_km=10")

        assert names(response) == ["À 2 km", "À 5 km"]

    def test_bbox(self, client, actor, lyon):
        ActorFactory(name="Lyonnaise", commune=lyon)

        assert names(get(client, "api-actor-list", f"bbox={AROUND_NANTES}")) == [
            "Recyclerie du Port"
        ]

    def test_freshness(self, client, db):
        ActorFactory(name="À jour")
        ActorFactory(name="Obsolète", stale=True)
        ActorFactory(name="À confirmer", last_confirmed_at=timezone.now() - timedelta(days=380))

        assert names(get(client, "api-actor-list", "freshness=fresh")) == ["À jour"]
        assert names(get(client, "api-actor-list", "freshness=due")) == ["À confirmer"]
        assert names(get(client, "api-actor-list", "freshness=stale")) == ["Obsolète"]

    def test_freshness_follows_the_stored_state_not_the_date(self, client, db):
        # A confirmation marks the actor fresh at once; the daily pass marks it due or stale
        # under its network's policy. The API says what was marked.
        long_ago = timezone.now() - timedelta(days=500)
        ActorFactory(name="Confirmée par son réseau", last_confirmed_at=long_ago, freshness="fresh")
        ActorFactory(name="Marquée obsolète", freshness="stale")

        assert names(get(client, "api-actor-list", "freshness=fresh")) == [
            "Confirmée par son réseau"
        ]
        (item,) = get(client, "api-actor-list", "freshness=stale").json()["results"]
        assert item["name"] == "Marquée obsolète"
        assert item["freshness"] == "stale"
        detail = get(client, "api-actor-detail", slug=item["slug"]).json()
        assert detail["freshness"] == "stale"
        assert detail["last_confirmed_at"]

    def test_empty_choices_mean_no_filter(self, client, actor, other_member):
        # What the list page's form sends with "Tous les secteurs" and "Toutes".
        query = "q=&sector=&legal_form=&commune=&near=&radius_km=10"

        assert len(names(get(client, "api-actor-list", query))) == 2


class TestActorListErrors:
    @pytest.mark.parametrize(
        ("query", "field", "message"),
        [
            ("near=abc", "near", "Format attendu : latitude,longitude"),
            ("near=nan,nan", "near", "Format attendu : latitude,longitude"),
            ("near=0,0", "near", "Ce point est hors de France"),
            ("bbox=1,2", "bbox", "Format attendu : ouest,sud,est,nord"),
            ("bbox=-1,inf,1,46", "bbox", "Format attendu : ouest,sud,est,nord"),
            ("radius_km=-5", "radius_km", "supérieure ou égale à 0.1"),
            ("radius_km=inf", "radius_km", "Saisissez un nombre"),
            ("sector=nope", "sector", "Sélectionnez un choix valide"),
            ("legal_form=xyz", "legal_form", "Sélectionnez un choix valide"),
            ("freshness=old", "freshness", "Sélectionnez un choix valide"),
            ("commune=00000", "commune", "Sélectionnez un choix valide"),
            ("page_size=1000", "page_size", "entre 1 et 200"),
        ],
    )
    def test_bad_value_gets_400_with_a_french_message(self, client, actor, query, field, message):
        response = get(client, "api-actor-list", query)

        assert response.status_code == 400
        body = response.json()
        assert list(body) == [field]
        assert message in body[field][0]

    def test_every_bad_parameter_is_reported_at_once(self, client, db):
        response = get(client, "api-actor-list", "near=abc&sector=nope&page_size=1000")

        assert response.status_code == 400
        assert set(response.json()) == {"near", "sector", "page_size"}


class TestActorDetail:
    def test_all_public_fields(self, client, network, nantes):
        ActorFactory(
            network=network,
            commune=nantes,
            slug="la-cantine",
            name="La Cantine",
            keywords="cuisine, insertion , ,traiteur",
            website="https://cantine.example.org",
            email="contact@cantine.example.org",
            phone="02 40 00 00 00",
            address="1 rue de la Paix",
            postcode="44000",
            volunteers=12,
            headcount_band="10-49",
            sectors=[sector("restauration")],
        )

        response = get(client, "api-actor-detail", slug="la-cantine")

        assert response.status_code == 200
        body = response.json()
        for field in [
            "slug",
            "name",
            "url",
            "legal_form",
            "legal_form_label",
            "sectors",
            "commune",
            "lat",
            "lon",
            "last_confirmed_at",
            "freshness",
            "short_description",
            "description",
            "keywords",
            "website",
            "email",
            "phone",
            "address",
            "postcode",
            "intervention_radius_km",
            "headcount_band",
            "turnover_band",
            "volunteers",
            "labels",
            "offer",
            "added_value",
            "opening_hours",
            "local_currencies",
            "logo",
            "created_at",
            "updated_at",
        ]:
            assert field in body, field
        assert body["keywords"] == ["cuisine", "insertion", "traiteur"]
        assert body["logo"] is None
        assert body["volunteers"] == 12
        assert body["headcount_band"] == "10-49"
        assert body["url"] == "http://testserver/acteurs/la-cantine/"
        assert "siret" not in body
        assert "status" not in body

    def test_logo_is_an_absolute_url(self, client, actor):
        actor.logo = "logos/2026/port.png"
        actor.save(update_fields=["logo"])

        body = get(client, "api-actor-detail", slug=actor.slug).json()

        assert body["logo"] == "http://testserver/media/logos/2026/port.png"

    @pytest.mark.parametrize(
        "status", [Status.DRAFT, Status.PENDING, Status.SUSPENDED, Status.ARCHIVED]
    )
    def test_unpublished_actor_is_not_found(self, client, network, status):
        ActorFactory(network=network, slug="cachee", status=status)

        assert get(client, "api-actor-detail", slug="cachee").status_code == 404

    def test_filters_do_not_apply_to_the_detail(self, client, actor):
        response = get(client, "api-actor-detail", "sector=velo", slug=actor.slug)

        assert response.status_code == 200


def test_sectors_are_the_nested_taxonomy(client, db):
    response = get(client, "api-sector-list")

    assert response.status_code == 200
    filieres = response.json()
    assert isinstance(filieres, list)  # not paginated
    by_slug = {filiere["slug"]: filiere for filiere in filieres}
    reemploi = by_slug["reemploi-recyclage"]
    assert reemploi["name"] == "Réemploi et recyclage"
    assert reemploi["colour"].startswith("#")
    assert [child["slug"] for child in reemploi["children"]] == [
        "recyclerie",
        "reparation",
        "textile",
        "collecte-dechets",
    ]
    assert "recyclerie" not in by_slug  # sectors only appear under their filière


class TestMap:
    def test_bbox_and_zoom_are_required(self, client, db):
        response = get(client, "api-map-actors")

        assert response.status_code == 400
        assert set(response.json()) == {"bbox", "zoom"}
        assert "obligatoire" in response.json()["zoom"][0]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            (f"bbox={FRANCE}&zoom=21", "zoom"),
            (f"bbox={FRANCE}&zoom=-1", "zoom"),
            (f"bbox={FRANCE}&zoom=abc", "zoom"),
            ("bbox=1,2&zoom=5", "bbox"),
            ("bbox=nan,41,9,51&zoom=5", "bbox"),
            (f"bbox={FRANCE}&zoom=5&sector=nope", "sector"),
            (f"bbox={FRANCE}&zoom=14&near=0,0", "near"),
        ],
    )
    def test_bad_parameters_get_400(self, client, db, query, field):
        response = get(client, "api-map-actors", query)

        assert response.status_code == 400
        assert list(response.json()) == [field]

    def test_low_zoom_clusters_count_published_actors_in_the_box(
        self, client, network, nantes, lyon, django_assert_num_queries
    ):
        for km in (0, 1, 3):
            ActorFactory(network=network, lat=NANTES[0] + km * KM_IN_DEGREES_LAT, lon=NANTES[1])
        ActorFactory(network=network, draft=True)
        ActorFactory(commune=lyon)

        # Read from the precomputed cells: one query whatever the number of actors.
        with django_assert_num_queries(1):
            response = get(client, "api-map-actors", f"bbox={AROUND_NANTES}&zoom=8")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        body = response.json()
        assert body["type"] == "FeatureCollection"
        assert body["zoom"] == 8
        assert body["clustered"] is True
        assert body["total"] == 3
        assert sum(f["properties"]["count"] for f in body["features"]) == 3
        for feature in body["features"]:
            assert feature["type"] == "Feature"
            assert feature["geometry"]["type"] == "Point"
            assert feature["properties"]["cluster"] is True

    def test_cluster_sits_at_the_centroid(self, client, db):
        ActorFactory(lat=47.20, lon=-1.56)
        ActorFactory(lat=47.22, lon=-1.54)

        (feature,) = get(client, "api-map-actors", f"bbox={FRANCE}&zoom=5").json()["features"]

        assert feature["properties"] == {"cluster": True, "count": 2}
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == (pytest.approx(47.21), pytest.approx(-1.55))

    def test_whole_country_at_low_zoom(self, client, actor, lyon):
        ActorFactory(commune=lyon)

        body = get(client, "api-map-actors", f"bbox={FRANCE}&zoom=4").json()

        assert body["total"] == 2

    def test_filters_cluster_only_matching_actors(self, client, network, lyon):
        ActorFactory(network=network, sectors=[sector("recyclerie")])
        ActorFactory(network=network, sectors=[sector("textile")])
        ActorFactory(network=network, sectors=[sector("velo")])
        ActorFactory(commune=lyon, sectors=[sector("recyclerie")])

        def total(query):
            response = get(client, "api-map-actors", f"bbox={AROUND_NANTES}&zoom=8&{query}")
            assert response.status_code == 200
            assert response.json()["clustered"] is True
            return response.json()["total"]

        assert total("") == 3
        assert total("sector=recyclerie") == 1
        assert total("sector=reemploi-recyclage") == 2
        assert total("sector=velo&legal_form=scop") == 0
        assert total("q=structure") == 3
        assert total("legal_form=association") == 3
        assert total(f"near={NANTES[0]},{NANTES[1]}&radius_km=5") == 3
        assert total(f"near={NANTES[0]},{NANTES[1]}&q=structure&sector=recyclerie") == 1

    def test_filter_keeping_everything_draws_the_unfiltered_map(self, client, db):
        # Actors scattered over several cells, some straddling the box's edges.
        for i in range(12):
            ActorFactory(lat=46.0 + i * 0.35, lon=-3.0 + i * 0.6)
        box = "bbox=-2.0,46.5,1.0,49.0&zoom=6"

        unfiltered = get(client, "api-map-actors", box).json()
        filtered = get(client, "api-map-actors", f"{box}&legal_form=association").json()

        def clusters(body):
            return sorted(
                (
                    f["properties"]["count"],
                    round(f["geometry"]["coordinates"][0], 5),
                    round(f["geometry"]["coordinates"][1], 5),
                )
                for f in body["features"]
            )

        assert clusters(filtered) == clusters(unfiltered)
        assert filtered["total"] == unfiltered["total"]

    def test_high_zoom_gives_one_point_per_actor(self, client, network, nantes):
        ActorFactory(
            network=network,
            commune=nantes,
            name="Recyclerie du Port",
            slug="recyclerie-du-port",
            sectors=[sector("recyclerie"), sector("reparation")],
            lat=47.21,
            lon=-1.55,
        )
        ActorFactory(network=network, commune=nantes, name="Sans secteur", stale=True)
        ActorFactory(network=network, commune=nantes, draft=True)
        ActorFactory(network=network, lat=47.5, lon=-1.55)  # outside the box

        response = get(
            client, "api-map-actors", f"bbox=-1.6,47.18,-1.5,47.24&zoom={CLUSTER_MAX_ZOOM + 2}"
        )

        body = response.json()
        assert body["clustered"] is False
        assert body["total"] == 2
        by_name = {f["properties"]["name"]: f for f in body["features"]}
        recyclerie = by_name["Recyclerie du Port"]
        assert recyclerie["geometry"] == {"type": "Point", "coordinates": [-1.55, 47.21]}
        assert recyclerie["properties"] == {
            "cluster": False,
            "slug": "recyclerie-du-port",
            "name": "Recyclerie du Port",
            "url": "/acteurs/recyclerie-du-port/",
            "commune": "Nantes",
            "sectors": ["Recyclerie et ressourcerie", "Réparation et repair cafés"],
            "colour": sector("reemploi-recyclage").colour,
            "stale": False,
        }
        no_sector = by_name["Sans secteur"]["properties"]
        assert no_sector["colour"] == "#4a5568"
        assert no_sector["stale"] is True

    def test_high_zoom_points_follow_the_filters(self, client, network):
        ActorFactory(network=network, name="Ressourcerie", sectors=[sector("recyclerie")])
        ActorFactory(network=network, name="Atelier vélo", sectors=[sector("velo")])

        body = get(client, "api-map-actors", f"bbox={AROUND_NANTES}&zoom=15&q=ressourcerie").json()

        assert [f["properties"]["name"] for f in body["features"]] == ["Ressourcerie"]

    def test_too_many_points_fall_back_to_clusters(self, client, network, monkeypatch):
        monkeypatch.setattr(views, "MAP_MAX_POINTS", 3)
        for i in range(4):
            ActorFactory(network=network, lat=47.21 + i * 0.001, lon=-1.55)

        body = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=15").json()

        assert body["clustered"] is True
        assert body["total"] == 4
        assert all(f["properties"]["cluster"] for f in body["features"])

    def test_at_the_threshold_points_are_still_served(self, client, network, monkeypatch):
        monkeypatch.setattr(views, "MAP_MAX_POINTS", 4)
        for i in range(4):
            ActorFactory(network=network, lat=47.21 + i * 0.001, lon=-1.55)

        body = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=15").json()

        assert body["clustered"] is False
        assert len(body["features"]) == 4

    @pytest.mark.parametrize("query", ["zoom=12", "zoom=12&legal_form=association", "zoom=16"])
    def test_a_huge_box_is_clustered_on_a_coarser_grid(self, client, db, monkeypatch, query):
        monkeypatch.setattr(views, "MAP_MAX_CELLS", 20)
        monkeypatch.setattr(views, "MAP_MAX_POINTS", 10)
        for i in range(30):
            ActorFactory(lat=43.0 + i * 0.25, lon=-1.0 + i * 0.2)

        body = get(client, "api-map-actors", f"bbox={FRANCE}&{query}").json()

        assert body["clustered"] is True
        assert body["total"] == 30
        assert 1 < len(body["features"]) <= 20

    def test_map_follows_publication_through_the_services(self, client, animator, actor):
        from directory.services import actors as services

        def total():
            return get(client, "api-map-actors", f"bbox={AROUND_NANTES}&zoom=8").json()["total"]

        assert total() == 1
        services.actor_set_status(actor=actor, by=animator, status=Status.SUSPENDED)
        assert total() == 0
        services.actor_set_status(actor=actor, by=animator, status=Status.PUBLISHED)
        assert total() == 1
        services.actor_update(actor=actor, by=animator, data={"lat": 45.76, "lon": 4.83})
        assert total() == 0

    def test_answers_json_to_clients_asking_for_it(self, client, actor):
        response = client.get(
            reverse("api-map-actors") + f"?bbox={FRANCE}&zoom=5", HTTP_ACCEPT="application/json"
        )

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"


class TestSchema:
    def test_schema_lists_the_endpoints(self, client, db):
        response = client.get("/api/schema/")

        assert response.status_code == 200
        schema = response.content.decode()
        for path in [
            "/api/v1/actors/:",
            "/api/v1/actors/{slug}/:",
            "/api/v1/sectors/:",
            "/api/v1/map/actors/:",
        ]:
            assert path in schema

    def test_docs_page(self, client, db):
        assert client.get("/api/docs/").status_code == 200


@pytest.mark.postgres
class TestPostgresSearch:
    def test_tolerates_a_typo(self, client, actor, other_member):
        assert names(get(client, "api-actor-list", "q=recylerie")) == ["Recyclerie du Port"]

    def test_stemming_finds_plurals(self, client, actor, other_member):
        assert names(get(client, "api-actor-list", "q=épiceries")) == ["Épicerie solidaire de Rezé"]

    def test_best_match_first(self, client, network):
        ActorFactory(
            network=network,
            name="Atelier Zèbre",
            short_description="Menuiserie partagée.",
            offer="Meubles de recyclerie remis en état.",
        )
        ActorFactory(
            network=network,
            name="Recyclerie du Port",
            short_description="Recyclerie : collecte, tri et revente d'objets de recyclerie.",
            sectors=[sector("recyclerie")],
        )

        assert names(get(client, "api-actor-list", "q=recyclerie")) == [
            "Recyclerie du Port",
            "Atelier Zèbre",
        ]

    def test_a_ranked_search_reads_its_total_with_its_page(self, client, network):
        for i in range(25):
            ActorFactory(network=network, name=f"Recyclerie {i:02}", keywords="recyclerie")
        ActorFactory(network=network, name="Boulangerie")
        url = reverse("api-actor-list")

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": "recyclerie", "page_size": 10})
        assert response.status_code == 200
        first = response.json()
        # Read now: the next request resets the connection's query log.
        sql = [q["sql"] for q in queries.captured_queries]
        second = client.get(url, {"q": "recyclerie", "page_size": 10, "page": 3}).json()
        past_the_end = client.get(url, {"q": "recyclerie", "page_size": 10, "page": 4})
        nothing = client.get(url, {"q": "zzzintrouvable"}).json()

        assert (first["count"], len(first["results"])) == (25, 10)
        assert all(item["name"].startswith("Recyclerie ") for item in first["results"])
        assert (second["count"], len(second["results"])) == (25, 5)
        assert past_the_end.status_code == 404
        assert (nothing["count"], nothing["results"]) == (0, [])
        # No separate COUNT(*): the total comes with the page (COUNT(*) OVER ()).
        assert not [s for s in sql if s.startswith('SELECT COUNT(*) AS "__count"')]
        assert any(") OVER ()" in s for s in sql), sql
