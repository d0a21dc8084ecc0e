"""The public CSV and GeoJSON downloads (the API's list in other formats) and their throttle."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import exports as exporting
from directory.models import Actor
from tests.directory.helpers import BOM, content, csv_rows
from tests.factories import ActorFactory, UserFactory, sector

pytestmark = pytest.mark.usefixtures("empty_cache")


def export(client, fmt: str, query: str = "", **headers):
    return client.get(f"{reverse('api-actor-list')}?format={fmt}&{query}", **headers)


def features(response) -> list[dict]:
    body = json.loads(content(response))
    assert body["type"] == "FeatureCollection"
    return body["features"]


def bulk_actors(count: int, **kwargs) -> list[Actor]:
    """Many published actors, faster than one factory call each (no search, no map)."""
    return Actor.objects.bulk_create(ActorFactory.build_batch(count, **kwargs))


class TestCsv:
    def test_a_spreadsheet_for_french_excel(self, client, recyclerie):
        response = export(client, "csv")

        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="acteurs-ess-')
        assert response["Content-Disposition"].endswith('.csv"')
        text = content(export(client, "csv"))
        assert text.startswith(BOM + "Identifiant;Nom;Forme juridique;Secteurs;")
        assert text.endswith("\r\n")

    def test_public_columns_of_an_actor(self, client, recyclerie):
        (row,) = csv_rows(export(client, "csv"))

        confirmed = timezone.localdate(recyclerie.last_confirmed_at).isoformat()
        assert row == {
            "Identifiant": "recyclerie-du-port",
            "Nom": "Recyclerie du Port",
            "Forme juridique": "SCIC",
            "Secteurs": "Recyclerie et ressourcerie, Réparation et repair cafés",
            "Adresse": "3 quai de la Fosse",
            "Code postal": "44000",
            "Commune": "Nantes",
            "Code INSEE": "44109",
            "Latitude": "47.218400",
            "Longitude": "-1.553600",
            "Site web": "https://recyclerie.example.org",
            "E-mail": "contact@recyclerie.example.org",
            "Téléphone": "02 40 00 00 00",
            "Présentation courte": "Collecte, tri et revente d'objets.",
            "Dernière confirmation": confirmed,
            "Fraîcheur": "À jour",
            "Fiche": "http://testserver/acteurs/recyclerie-du-port/",
        }
        # Nothing that is not public: the SIRET, the status.
        assert "73282932000074" not in content(export(client, "csv"))

    def test_every_matching_actor_not_one_page(self, client, network, nantes):
        bulk_actors(250, network=network, commune=nantes)
        ActorFactory(network=network, commune=nantes, name="Brouillon", draft=True)
        ActorFactory(network=network, commune=nantes, name="En attente", pending=True)

        rows = csv_rows(export(client, "csv", "page=2&page_size=10"))

        assert len(rows) == 250
        assert len({row["Identifiant"] for row in rows}) == 250
        assert not {"Brouillon", "En attente"} & {row["Nom"] for row in rows}
        assert [row["Nom"] for row in rows] == sorted(row["Nom"] for row in rows)

    def test_more_rows_than_a_chunk(self, client, network, nantes, monkeypatch):
        monkeypatch.setattr(exporting, "CHUNK_SIZE", 7)
        bulk_actors(30, network=network, commune=nantes)

        rows = csv_rows(export(client, "csv"))

        assert len({row["Identifiant"] for row in rows}) == 30

    def test_formulas_are_neutralised_but_numbers_kept(self, client, network, nantes):
        ActorFactory(
            network=network,
            commune=nantes,
            name='=HYPERLINK("https://evil.example","clic")',
            short_description="+33 2 40 00 00 00",
            address="-1 rue du Piège",
            phone="@SUM(A1)",
            lon=-1.5536,
        )

        (row,) = csv_rows(export(client, "csv"))

        assert row["Nom"] == '\'=HYPERLINK("https://evil.example","clic")'
        assert row["Présentation courte"] == "'+33 2 40 00 00 00"
        assert row["Adresse"] == "'-1 rue du Piège"
        assert row["Téléphone"] == "'@SUM(A1)"
        assert row["Longitude"] == "-1.553600"

    def test_stale_actor_says_so(self, client, network, nantes):
        ActorFactory(network=network, commune=nantes, stale=True)

        (row,) = csv_rows(export(client, "csv"))

        assert row["Fraîcheur"] == "Possiblement obsolète"


class TestFilters:
    """The same filters as the list and the API's JSON pages."""

    @pytest.fixture(autouse=True)
    def actors(self, network, nantes, reze):
        ActorFactory(
            network=network, commune=nantes, name="Ressourcerie", sectors=[sector("recyclerie")]
        )
        ActorFactory(
            network=network,
            commune=reze,
            name="Épicerie solidaire",
            sectors=[sector("epicerie-solidaire")],
        )
        ActorFactory(
            network=network,
            commune=reze,
            name="Repair café",
            sectors=[sector("reparation")],
            stale=True,
        )

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("q=epicerie", ["Épicerie solidaire"]),
            ("sector=reemploi-recyclage", ["Repair café", "Ressourcerie"]),
            ("commune=44143", ["Épicerie solidaire", "Repair café"]),
            ("freshness=stale", ["Repair café"]),
            ("commune=44143&freshness=fresh", ["Épicerie solidaire"]),
            ("q=&sector=&commune=&radius_km=10&near=&freshness=", None),  # the list's empty form
        ],
    )
    def test_csv_and_geojson_follow_the_filters(self, client, query, expected):
        expected = expected or ["Épicerie solidaire", "Repair café", "Ressourcerie"]
        json_names = [a["name"] for a in client.get(f"/api/v1/actors/?{query}").json()["results"]]

        expected = sorted(expected)
        assert sorted(row["Nom"] for row in csv_rows(export(client, "csv", query))) == expected
        geo_names = [f["properties"]["name"] for f in features(export(client, "geojson", query))]
        assert sorted(geo_names) == expected
        assert sorted(json_names) == expected

    @pytest.mark.parametrize("fmt", ["csv", "geojson"])
    def test_invalid_filters_get_the_list_s_400(self, client, fmt):
        query = "sector=inconnu&freshness=old&near=1,2"
        expected = client.get(f"/api/v1/actors/?{query}")

        response = export(client, fmt, query)

        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json() == expected.json()
        assert set(response.json()) == {"sector", "freshness", "near"}
        assert "Sélectionnez un choix valide" in response.json()["freshness"][0]

    def test_an_unknown_format_is_not_found(self, client):
        assert export(client, "xml").status_code == 404


class TestGeoJson:
    def test_points_in_longitude_latitude_order_with_the_public_properties(
        self, client, recyclerie
    ):
        response = export(client, "geojson")

        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == "application/geo+json"
        assert response["Content-Disposition"].endswith('.geojson"')
        (feature,) = features(response)
        assert feature["geometry"] == {"type": "Point", "coordinates": [-1.5536, 47.2184]}
        assert feature["properties"] == {
            "slug": "recyclerie-du-port",
            "name": "Recyclerie du Port",
            "legal_form": "scic",
            "legal_form_label": "SCIC",
            "sectors": ["Recyclerie et ressourcerie", "Réparation et repair cafés"],
            "address": "3 quai de la Fosse",
            "postcode": "44000",
            "commune": "Nantes",
            "insee": "44109",
            "website": "https://recyclerie.example.org",
            "email": "contact@recyclerie.example.org",
            "phone": "02 40 00 00 00",
            "short_description": "Collecte, tri et revente d'objets.",
            "last_confirmed_on": timezone.localdate(recyclerie.last_confirmed_at).isoformat(),
            "freshness": "fresh",
            "freshness_label": "À jour",
            "url": "http://testserver/acteurs/recyclerie-du-port/",
        }

    def test_every_published_actor(self, client, network, nantes):
        bulk_actors(250, network=network, commune=nantes)
        ActorFactory(network=network, commune=nantes, draft=True)

        assert len(features(export(client, "geojson"))) == 250

    def test_an_empty_result_is_a_valid_collection(self, client, db):
        assert features(export(client, "geojson")) == []


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_query_count_does_not_grow_with_the_rows(client, network, nantes, fmt):
    def queries_for(count: int) -> int:
        Actor.objects.all().delete()
        actors = bulk_actors(count, network=network, commune=nantes)
        through = Actor.sectors.through
        through.objects.bulk_create(
            through(actor_id=actor.pk, sector_id=sector_id)
            for actor in actors
            for sector_id in (sector("recyclerie").pk, sector("textile").pk)
        )
        with CaptureQueriesContext(connection) as queries:
            response = export(client, fmt, "sector=reemploi-recyclage")
            rows = content(response)
        assert response.status_code == 200
        assert rows.count("Textile et friperie") == count
        # Every actor counted is in the file, by the address of its page.
        assert all(f"/acteurs/{actor.slug}/" in rows for actor in actors)
        return len(queries)

    assert queries_for(20) == queries_for(200)


class TestApiStillAnswersJson:
    def test_json_pages_are_unchanged(self, client, network, nantes):
        bulk_actors(25, network=network, commune=nantes)

        body = client.get("/api/v1/actors/?format=json&commune=44109").json()

        assert body["count"] == 25
        assert len(body["results"]) == 20

    def test_browsable_api_offers_the_downloads(self, client, recyclerie):
        response = client.get("/api/v1/actors/", HTTP_ACCEPT="text/html")

        assert response.status_code == 200
        assert "format=csv" in response.content.decode()

    def test_schema_documents_the_formats(self, client, db):
        schema = client.get("/api/schema/?format=json").json()

        operation = schema["paths"]["/api/v1/actors/"]["get"]
        assert set(operation["responses"]["200"]["content"]) == {
            "application/json",
            "text/csv",
            "application/geo+json",
        }
        (format_parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
        assert set(format_parameter["schema"]["enum"]) == {"json", "csv", "geojson"}
        json_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert json_schema["$ref"].endswith("PaginatedActorListList")


class TestExportThrottle:
    """Full downloads have their own rate (API_EXPORT_RATE, 30 an hour), apart from the
    general one, per client address or per signed-in user."""

    LIMIT = 30

    def test_the_31st_export_of_the_hour_is_refused_while_the_json_list_answers(
        self, client, recyclerie
    ):
        for n in range(self.LIMIT):
            fmt = "csv" if n % 2 else "geojson"
            assert export(client, fmt, REMOTE_ADDR="203.0.113.7").status_code == 200, n

        refused = export(client, "csv", REMOTE_ADDR="203.0.113.7")

        assert refused.status_code == 429
        assert refused["Content-Type"] == "application/json"  # said in JSON, not in CSV
        assert "Retry-After" in refused
        assert export(client, "geojson", REMOTE_ADDR="203.0.113.7").status_code == 429
        # Browsing the directory is not an export.
        page = client.get("/api/v1/actors/?format=json", REMOTE_ADDR="203.0.113.7")
        assert page.status_code == 200 and page.json()["count"] == 1
        # Another address has its own count.
        assert export(client, "csv", REMOTE_ADDR="198.51.100.4").status_code == 200

    def test_signed_in_users_are_counted_per_user(self, client, recyclerie):
        first, second = UserFactory(), UserFactory()
        client.force_login(first)
        for _ in range(self.LIMIT):
            assert export(client, "csv").status_code == 200
        assert export(client, "csv").status_code == 429

        client.force_login(second)
        assert export(client, "csv").status_code == 200

    @override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "exports": "2/hour",
            },
        }
    )
    def test_the_rate_follows_the_setting(self, client, recyclerie):
        assert export(client, "csv").status_code == 200
        assert export(client, "csv").status_code == 200
        assert export(client, "csv").status_code == 429
