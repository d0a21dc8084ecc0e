"""The map endpoints of the API: clusters from the precomputed cells, light points up
close, a point's details for its popup, and places to centre "near me" on."""

import json

import pytest
from django.urls import reverse

from directory.api import map as map_api
from directory.models import Actor, Status
from directory.models.map import CLUSTER_MAX_ZOOM
from ess_platform.lib.geo import GeocodeResult
from tests.directory.helpers import AROUND_NANTES, KM_IN_DEGREES_LAT, NANTES, get
from tests.factories import ActorFactory, CommuneFactory, sector

FRANCE = "-5.5,41.2,9.7,51.2"


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

    @pytest.mark.parametrize("zoom", [6, 9, 10])
    def test_one_sector_or_legal_form_draws_the_clusters_of_its_actors(self, client, db, zoom):
        # Up to zoom 9 these come from the cells per facet, above from the actors table:
        # both must draw the clusters of exactly the matching actors.
        for i in range(12):
            ActorFactory(
                lat=46.0 + i * 0.35,
                lon=-3.0 + i * 0.6,
                legal_form="scop" if i % 3 else "association",
                sectors=[sector("recyclerie") if i % 2 else sector("textile")],
            )
        expected = {
            "legal_form=scop": Actor.objects.published().filter(legal_form="scop"),
            "sector=recyclerie": Actor.objects.published().filter(sectors__slug="recyclerie"),
            "sector=reemploi-recyclage": Actor.objects.published().filter(
                sectors__parent__slug="reemploi-recyclage"
            ),
        }
        for query, actors in expected.items():
            body = get(client, "api-map-actors", f"bbox={FRANCE}&zoom={zoom}&{query}").json()

            drawn = sorted(
                (
                    f["properties"]["count"],
                    round(f["geometry"]["coordinates"][1], 6),
                    round(f["geometry"]["coordinates"][0], 6),
                )
                for f in body["features"]
            )
            grouped = sorted(
                (count, round(lat, 6), round(lon, 6))
                for count, lat, lon in actors.clusters(zoom=zoom)
            )
            assert body["clustered"] is True
            assert drawn == grouped, query
            assert body["total"] == actors.count() > 0, query

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

    def test_high_zoom_gives_one_light_point_per_actor(self, client, network, nantes):
        port = ActorFactory(
            network=network,
            commune=nantes,
            name="Recyclerie du Port",
            slug="recyclerie-du-port",
            sectors=[sector("recyclerie"), sector("reparation")],
            lat=47.21,
            lon=-1.55,
        )
        no_sector = ActorFactory(network=network, commune=nantes, name="Sans secteur", stale=True)
        ActorFactory(network=network, commune=nantes, draft=True)
        ActorFactory(network=network, lat=47.5, lon=-1.55)  # outside the box

        response = get(
            client, "api-map-actors", f"bbox=-1.6,47.18,-1.5,47.24&zoom={CLUSTER_MAX_ZOOM + 2}"
        )

        body = response.json()
        assert body["clustered"] is False
        assert body["total"] == 2
        by_id = {f["properties"]["id"]: f for f in body["features"]}
        recyclerie = by_id[port.pk]
        assert recyclerie["geometry"] == {"type": "Point", "coordinates": [-1.55, 47.21]}
        # Position, colour and id only: the popup fetches the rest when it opens.
        assert recyclerie["properties"] == {
            "cluster": False,
            "id": port.pk,
            "colour": sector("reemploi-recyclage").colour,
        }
        assert by_id[no_sector.pk]["properties"]["colour"] == "#4a5568"

    def test_a_point_weighs_a_few_dozen_bytes(self, client, network, nantes):
        for i in range(20):
            ActorFactory(
                network=network,
                commune=nantes,
                name=f"Structure au nom assez long pour peser {i}",
                sectors=[sector("recyclerie"), sector("velo")],
                lat=47.21 + i * 0.001,
                lon=-1.55,
            )

        response = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=16")

        body = response.json()
        assert body["clustered"] is False and len(body["features"]) == 20
        per_point = len(response.content) / 20
        # The city view of the issue carried about 370 bytes a point.
        assert per_point < 140, per_point

    def test_a_view_denser_than_a_person_can_read_is_clustered(self, client, network, nantes):
        # 100 actors within 200 m; a 400 x 300 px view reads about 75 points.
        for i in range(100):
            row, col = divmod(i, 10)
            ActorFactory(
                network=network, commune=nantes, lat=47.21 + row * 0.0002, lon=-1.55 + col * 0.0002
            )
        centre = (47.2109, -1.5491)
        box = map_api_box(center=centre, zoom=14, width=400, height=300)
        assert 70 < map_api.readable_points(box, 14) < 80

        dense = get(client, "api-map-actors", f"bbox={fmt(box)}&zoom=14").json()
        assert dense["clustered"] is True
        assert dense["total"] == 100
        assert len(dense["features"]) < 10

        # The same actors from closer, spread over the whole view: points.
        box = map_api_box(center=centre, zoom=17, width=1000, height=800)
        close = get(client, "api-map-actors", f"bbox={fmt(box)}&zoom=17").json()
        assert close["clustered"] is False
        assert close["total"] == 100

    def test_at_the_closest_zoom_points_are_served_however_dense(
        self, client, network, nantes, monkeypatch
    ):
        monkeypatch.setattr(map_api, "PIXELS_PER_POINT", 10**9)  # nothing is readable
        for i in range(5):
            ActorFactory(network=network, commune=nantes, lat=47.21, lon=-1.55 + i * 0.00001)

        body = get(
            client, "api-map-actors", f"bbox=-1.551,47.209,-1.549,47.211&zoom={map_api.POINTS_ZOOM}"
        ).json()

        assert body["clustered"] is False
        assert len(body["features"]) == 5

    def test_points_are_read_after_one_bounded_count(
        self, client, network, nantes, django_assert_num_queries
    ):
        for i in range(5):
            ActorFactory(
                network=network, commune=nantes, sectors=[sector("velo")], lat=47.21 + i * 0.001
            )

        # The count, then the points with their colours: not one query per actor.
        with django_assert_num_queries(2):
            body = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=16").json()

        assert len(body["features"]) == 5

    def test_high_zoom_points_follow_the_filters(self, client, network):
        ressourcerie = ActorFactory(
            network=network, name="Ressourcerie", sectors=[sector("recyclerie")]
        )
        ActorFactory(network=network, name="Atelier vélo", sectors=[sector("velo")])

        body = get(client, "api-map-actors", f"bbox={AROUND_NANTES}&zoom=15&q=ressourcerie").json()

        assert body["clustered"] is False
        assert [f["properties"]["id"] for f in body["features"]] == [ressourcerie.pk]

    def test_too_many_points_fall_back_to_clusters(self, client, network, monkeypatch):
        monkeypatch.setattr(map_api, "MAP_MAX_POINTS", 3)
        for i in range(4):
            ActorFactory(network=network, lat=47.21 + i * 0.001, lon=-1.55)

        body = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=15").json()

        assert body["clustered"] is True
        assert body["total"] == 4
        assert all(f["properties"]["cluster"] for f in body["features"])

    def test_at_the_threshold_points_are_still_served(self, client, network, monkeypatch):
        monkeypatch.setattr(map_api, "MAP_MAX_POINTS", 4)
        for i in range(4):
            ActorFactory(network=network, lat=47.21 + i * 0.001, lon=-1.55)

        body = get(client, "api-map-actors", "bbox=-1.6,47.18,-1.5,47.24&zoom=15").json()

        assert body["clustered"] is False
        assert len(body["features"]) == 4

    @pytest.mark.parametrize("query", ["zoom=12", "zoom=12&legal_form=association", "zoom=16"])
    def test_a_huge_box_is_clustered_on_a_coarser_grid(self, client, db, monkeypatch, query):
        monkeypatch.setattr(map_api, "MAP_MAX_CELLS", 20)
        monkeypatch.setattr(map_api, "MAP_MAX_POINTS", 10)
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


def map_api_box(*, center, zoom: int, width: int, height: int) -> tuple[float, ...]:
    """The box a map of `width` x `height` pixels shows around `center` at `zoom`."""
    import math

    lat, lon = center
    world = 256 * 2**zoom
    half_lon = width / 2 / world * 360
    half_lat = height / 2 / world * 360 * math.cos(math.radians(lat))
    return (lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)


def fmt(box) -> str:
    return ",".join(f"{n:.6f}" for n in box)


class TestMapPoint:
    """/api/v1/map/actors/{id}/: what a point's popup shows, fetched when it opens."""

    def test_details_of_a_published_actor(self, client, network, nantes, django_assert_num_queries):
        actor = ActorFactory(
            network=network,
            commune=nantes,
            name="Recyclerie du Port",
            slug="recyclerie-du-port",
            sectors=[sector("recyclerie"), sector("reparation")],
            stale=True,
        )

        with django_assert_num_queries(2):
            response = get(client, "api-map-actor-detail", pk=actor.pk)

        assert response.status_code == 200
        assert response.json() == {
            "id": actor.pk,
            "slug": "recyclerie-du-port",
            "name": "Recyclerie du Port",
            "url": "/acteurs/recyclerie-du-port/",
            "commune": "Nantes",
            "sectors": ["Recyclerie et ressourcerie", "Réparation et repair cafés"],
            "colour": sector("reemploi-recyclage").colour,
            "stale": True,
        }

    @pytest.mark.parametrize(
        "status", [Status.DRAFT, Status.PENDING, Status.SUSPENDED, Status.ARCHIVED]
    )
    def test_an_unpublished_actor_is_not_found(self, client, network, status):
        actor = ActorFactory(network=network, status=status)

        assert get(client, "api-map-actor-detail", pk=actor.pk).status_code == 404

    def test_is_in_the_schema(self, client, db):
        schema = client.get("/api/schema/").content.decode()

        assert "/api/v1/map/actors/{id}/:" in schema
        assert "/api/v1/map/places/:" in schema


@pytest.mark.usefixtures("empty_cache")
class TestPlaces:
    """/api/v1/map/places/: where "near me" centres when the browser cannot say."""

    def test_a_commune_by_the_start_of_its_name_or_postcode(self, client, db):
        CommuneFactory(insee="44109", name="Nantes", postcodes="44000 44100 44200 44300")
        CommuneFactory(insee="44143", name="Rezé", postcodes="44400", lat=47.19, lon=-1.57)
        CommuneFactory(insee="44184", name="Saint-Herblain", postcodes="44800")

        by_name = get(client, "api-map-places", "q=reze").json()
        by_postcode = get(client, "api-map-places", "q=44400").json()

        assert by_name == [{"label": "Rezé (44)", "lat": 47.19, "lon": -1.57}]
        assert by_postcode == by_name
        assert get(client, "api-map-places", "q=nowhere").json() == []

    def test_an_address_asks_the_geocoder_first(self, client, db, settings, monkeypatch):
        settings.GEOCODER_URL = "http://geocoder.invalid"
        CommuneFactory(insee="44109", name="Nantes", postcodes="44000")
        asked = []

        def geocode(*, address, **kwargs):
            asked.append(address)
            return GeocodeResult(47.21, -1.56, "3 Rue de Strasbourg 44000 Nantes", "44109", 0.9)

        monkeypatch.setattr(map_api.geo, "geocode", geocode)

        places = get(client, "api-map-places", "q=3 rue de Strasbourg Nantes").json()
        commune = get(client, "api-map-places", "q=Nantes").json()

        assert places[0] == {
            "label": "3 Rue de Strasbourg 44000 Nantes",
            "lat": 47.21,
            "lon": -1.56,
        }
        # A commune's name is answered from the table alone.
        assert asked == ["3 rue de Strasbourg Nantes"]
        assert [place["label"] for place in commune] == ["Nantes (44)"]

    def test_a_missing_or_too_short_text_is_refused(self, client, db):
        assert get(client, "api-map-places").status_code == 400
        response = get(client, "api-map-places", "q=a")
        assert response.status_code == 400
        assert list(json.loads(response.content)) == ["q"]
