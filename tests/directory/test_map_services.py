"""The precomputed map cells follow every write that changes what the map shows."""

import pytest

from directory.models import Actor, MapCell, Sector, Status
from directory.models.map import (
    CLUSTER_MAX_ZOOM,
    FACET_MAX_ZOOM,
    cell_of,
    cell_size,
    legal_form_facet,
    sector_facet,
)
from directory.services import actors as services
from directory.services.map import MapPlace, map_cells_move, map_cells_rebuild
from directory.services.network import bulk_archive
from directory.services.sectors import sector_save
from tests.factories import ActorFactory


def new_sector(parent: Sector | None = None) -> Sector:
    count = Sector.objects.count()
    return Sector.objects.create(name=f"Secteur {count}", slug=f"secteur-{count}", parent=parent)


FRANCE = {"west": -5.5, "south": 41.2, "east": 9.7, "north": 51.2}


def snapshot() -> dict:
    return {
        (c.facet, c.zoom, c.x, c.y): (c.count, round(c.lat_sum, 6), round(c.lon_sum, 6))
        for c in MapCell.objects.filter(count__gt=0)
    }


def assert_cells_match_actors() -> None:
    """The incrementally kept table equals one recomputed from the actors table."""
    kept = snapshot()
    map_cells_rebuild()
    assert kept == snapshot()


def clustered_total(zoom: int, facet: str = "", **bbox) -> int:
    return sum(
        count for count, _lat, _lon in MapCell.objects.in_bbox(zoom=zoom, facet=facet, **bbox)
    )


def test_every_zoom_counts_each_published_actor_once(actor, lyon):
    ActorFactory(commune=lyon)
    ActorFactory(commune=lyon, draft=True)

    for zoom in range(CLUSTER_MAX_ZOOM + 1):
        assert clustered_total(zoom, **FRANCE) == 2, zoom
    assert_cells_match_actors()


def test_cells_in_bbox_leaves_out_far_away_cells(actor, lyon):
    ActorFactory(commune=lyon)
    around_nantes = {"west": -2.0, "south": 47.0, "east": -1.0, "north": 47.5}

    assert clustered_total(8, **around_nantes) == 1


def test_cell_centroid_is_the_mean_position(db):
    ActorFactory(lat=47.20, lon=-1.56)
    ActorFactory(lat=47.22, lon=-1.54)

    ((count, lat_sum, lon_sum),) = MapCell.objects.in_bbox(zoom=5, **FRANCE)
    assert count == 2
    assert lat_sum / count == pytest.approx(47.21)
    assert lon_sum / count == pytest.approx(-1.55)


def test_cluster_queryset_uses_the_same_grid_as_the_table(actor, lyon):
    ActorFactory(commune=lyon)
    ActorFactory(lat=47.3, lon=-1.4)
    for zoom in (3, 8, CLUSTER_MAX_ZOOM):
        on_the_fly = sorted(
            (count, round(lat, 6), round(lon, 6))
            for count, lat, lon in Actor.objects.published().clusters(zoom=zoom)
        )
        stored = sorted(
            (count, round(lat / count, 6), round(lon / count, 6))
            for count, lat, lon in MapCell.objects.in_bbox(zoom=zoom, **FRANCE)
        )
        assert on_the_fly == stored


def test_cell_of_floors_towards_south_west():
    size = cell_size(4)
    assert cell_of(0.0, 0.0, 4) == (int(180 / size), int(90 / size))
    assert cell_of(-0.001, -0.001, 4) == (int(180 / size) - 1, int(90 / size) - 1)


def test_moving_back_and_forth_leaves_only_empty_cells_until_a_rebuild(db):
    nantes = MapPlace(47.2, -1.55, frozenset({legal_form_facet("scop")}))
    lyon = MapPlace(45.76, 4.83, frozenset({legal_form_facet("association")}))
    map_cells_move(old=None, new=nantes)
    map_cells_move(old=nantes, new=lyon)
    map_cells_move(old=lyon, new=None)

    # Emptied cells are kept (deleting them would race concurrent inserts), never served.
    assert not MapCell.objects.filter(count__gt=0).exists()
    assert not MapCell.objects.in_bbox(zoom=6, west=-5.5, south=41.2, east=9.7, north=51.2)
    map_cells_rebuild()
    assert not MapCell.objects.exists()


class TestServicesKeepTheMapCurrent:
    def test_publishing_adds_the_actor(self, animator, network, nantes):
        draft = ActorFactory(network=network, commune=nantes, draft=True)
        assert clustered_total(6, **FRANCE) == 0

        services.actor_set_status(actor=draft, by=animator, status=Status.PUBLISHED)

        assert clustered_total(6, **FRANCE) == 1
        assert_cells_match_actors()

    @pytest.mark.parametrize("status", [Status.SUSPENDED, Status.ARCHIVED, Status.DRAFT])
    def test_unpublishing_removes_the_actor(self, animator, actor, status):
        ActorFactory(network=actor.network, commune=actor.commune)

        services.actor_set_status(actor=actor, by=animator, status=status)

        assert clustered_total(6, **FRANCE) == 1
        assert_cells_match_actors()

    def test_publishing_twice_counts_once(self, animator, actor):
        services.actor_set_status(actor=actor, by=animator, status=Status.PUBLISHED)

        assert clustered_total(6, **FRANCE) == 1
        assert_cells_match_actors()

    def test_moving_the_pin_moves_the_actor_between_cells(self, animator, actor):
        around_nantes = {"west": -2.0, "south": 47.0, "east": -1.0, "north": 47.5}
        around_lyon = {"west": 4.5, "south": 45.5, "east": 5.0, "north": 46.0}

        services.actor_update(actor=actor, by=animator, data={"lat": 45.76, "lon": 4.83})

        for zoom in (4, 9, CLUSTER_MAX_ZOOM):
            assert clustered_total(zoom, **around_nantes) == 0
            assert clustered_total(zoom, **around_lyon) == 1
        assert_cells_match_actors()

    def test_editing_a_draft_does_not_show_it(self, animator, network, nantes):
        draft = ActorFactory(network=network, commune=nantes, draft=True)

        services.actor_update(actor=draft, by=animator, data={"lat": 47.25, "lon": -1.5})

        assert not MapCell.objects.filter(count__gt=0).exists()


class TestFacetCells:
    """The coarse zooms keep clusters per sector, filière and legal form."""

    def test_an_actor_counts_in_its_sectors_its_filieres_and_its_legal_form(self, db):
        filiere = new_sector()
        one, two = new_sector(filiere), new_sector(filiere)
        actor = ActorFactory(legal_form="scop", sectors=[one, two])

        for zoom in range(FACET_MAX_ZOOM + 1):
            for facet in (sector_facet(one.pk), sector_facet(two.pk), legal_form_facet("scop")):
                assert clustered_total(zoom, facet, **FRANCE) == 1, (facet, zoom)
            # Two sectors of one filière: counted once in it.
            assert clustered_total(zoom, sector_facet(filiere.pk), **FRANCE) == 1
            assert clustered_total(zoom, legal_form_facet("association"), **FRANCE) == 0
        # Finer views group the filtered actors on the fly.
        assert clustered_total(FACET_MAX_ZOOM + 1, legal_form_facet("scop"), **FRANCE) == 0
        assert actor.status == Status.PUBLISHED
        assert_cells_match_actors()

    def test_changing_sectors_and_legal_form_moves_the_actor_between_facets(self, animator, actor):
        filiere = new_sector()
        moved_to = new_sector(filiere)
        old_sectors = list(actor.sectors.all())

        services.actor_update(
            actor=actor, by=animator, data={"legal_form": "scic"}, sectors=[moved_to]
        )

        assert clustered_total(6, sector_facet(filiere.pk), **FRANCE) == 1
        assert clustered_total(6, legal_form_facet("scic"), **FRANCE) == 1
        for sector in old_sectors:
            assert clustered_total(6, sector_facet(sector.pk), **FRANCE) == 0
        assert_cells_match_actors()

    def test_archiving_and_deleting_leave_every_facet(self, animator, admin_user, actor):
        other = ActorFactory(network=actor.network, commune=actor.commune)

        bulk_archive(network=actor.network, actor_ids=[actor.pk], by=animator)
        assert_cells_match_actors()
        services.actors_delete(actors=[other], by=admin_user)

        assert not MapCell.objects.filter(count__gt=0).exists()

    def test_moving_a_sector_to_another_filiere_rebuilds_the_cells(self, admin_user, db):
        first, second = new_sector(), new_sector()
        sector = new_sector(first)
        ActorFactory(sectors=[sector])

        sector.parent = second
        sector_save(sector=sector, by=admin_user)

        assert clustered_total(6, sector_facet(first.pk), **FRANCE) == 0
        assert clustered_total(6, sector_facet(second.pk), **FRANCE) == 1
        assert_cells_match_actors()
