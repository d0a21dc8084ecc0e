"""The map endpoint of the API: clusters from the precomputed cells, points up close."""

import pytest
from django.urls import reverse

from directory.api import views
from directory.models import Status
from directory.models.map import CLUSTER_MAX_ZOOM
from tests.directory.helpers import AROUND_NANTES, KM_IN_DEGREES_LAT, NANTES, get
from tests.factories import ActorFactory, sector

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
