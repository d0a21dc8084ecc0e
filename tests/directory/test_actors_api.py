"""The public REST API of actors under /api/v1/ (DESIGN.md §6): a contract others rely on."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import LegalForm, Status
from tests.directory.helpers import AROUND_NANTES, KM_IN_DEGREES_LAT, NANTES, get
from tests.factories import ActorFactory, sector


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


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
                "label": "Recyclerie et ressourcerie",
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
