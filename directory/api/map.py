"""The map's endpoints under /api/v1/map/: what a view of the map shows (clusters, or light
points), one point's details when its popup opens, and places to centre "near me" on."""

import math

from django import forms
from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from directory.api.serializers import MapActorSerializer, PlaceSerializer
from directory.api.views import NEAR_PARAMETER, SECTOR_PARAMETER
from directory.filters import ActorFilterSet, BBoxField
from directory.models import Actor, Commune, Freshness, LegalForm, MapCell, Sector
from directory.models.map import (
    ALL_ACTORS,
    CLUSTER_MAX_ZOOM,
    FACET_MAX_ZOOM,
    cell_of,
    cell_size,
    legal_form_facet,
    sector_facet,
)
from ess_platform.lib import geo
from ess_platform.lib.api import ERRORS_SCHEMA, POINT_SCHEMA, GeoJSONRenderer
from ess_platform.lib.exports import geojson_point
from ess_platform.lib.text import normalize

# Hard ceiling of points in one answer, whatever the zoom: more markers than this make the
# browser crawl, and cutting the list would hide actors, so the answer is clusters instead.
MAP_MAX_POINTS = 2000
# Below the map's closest zoom, a view is drawn as points only while a person can still tell
# them apart: about one marker per this many square pixels of the view. A denser view is
# clustered, which also keeps the answer small and fast (a city centre holds hundreds).
PIXELS_PER_POINT = 40 * 40
# The map's closest zoom (static/js/map.js): zooming in can no longer split a cluster there,
# so every actor of the view is a point.
POINTS_ZOOM = 18
MAX_ZOOM = 20
# A box larger than this many cells of its zoom (a padded 4K screen holds about 8,000) is
# clustered on a coarser grid, so no request can ask for one feature per actor of France.
MAP_MAX_CELLS = 10_000
# Marker colour of an actor without sectors, as Actor.filiere_colour.
DEFAULT_COLOUR = "#4a5568"
PLACES_SHOWN = 5
TILE_PIXELS = 256


class MapQueryForm(forms.Form):
    bbox = BBoxField(label=_("Emprise (ouest,sud,est,nord)"))
    zoom = forms.IntegerField(label=_("Niveau de zoom"), min_value=0, max_value=MAX_ZOOM)


def _mercator_y(lat: float) -> float:
    """Web Mercator ordinate of a latitude, in world widths (the map's projection)."""
    lat = max(-85.0511, min(85.0511, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def readable_points(bbox, zoom: int) -> int:
    """How many points a person can read in this view: its area on screen, in pixels, over
    PIXELS_PER_POINT. The box and zoom say how large the view is on the client's screen."""
    west, south, east, north = bbox
    world = TILE_PIXELS * 2**zoom
    width = (east - west) / 360.0 * world
    height = (_mercator_y(north) - _mercator_y(south)) * world
    return int(width * height / PIXELS_PER_POINT)


def _cluster_features(clusters) -> list[dict]:
    """`clusters`: (count, lat, lon) triples."""
    return [
        {
            "type": "Feature",
            "geometry": geojson_point(lat, lon),
            "properties": {"cluster": True, "count": count},
        }
        for count, lat, lon in clusters
    ]


def _grid_zoom(bbox, zoom: int) -> int:
    """The finest zoom not above `zoom` whose grid cuts the box in at most MAP_MAX_CELLS."""
    west, south, east, north = bbox
    for grid in range(zoom, 0, -1):
        x0, y0 = cell_of(south, west, grid)
        x1, y1 = cell_of(north, east, grid)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAP_MAX_CELLS:
            return grid
    return 0


def _clusters_on_the_fly(published, *, zoom: int, bbox) -> list[tuple[int, float, float]]:
    """Cluster a filtered queryset over the same whole cells as the precomputed table, so a
    filter that keeps every actor draws exactly the clusters of the unfiltered map."""
    west, south, east, north = bbox
    x0, y0 = cell_of(south, west, zoom)
    x1, y1 = cell_of(north, east, zoom)
    size = cell_size(zoom)
    # Upper edges excluded: a point on them belongs to the next cell, outside the box.
    # Plain comparisons, not the cell numbers: the planner estimates those well.
    region = published.filter(
        lon__gte=x0 * size - 180.0,
        lon__lt=(x1 + 1) * size - 180.0,
        lat__gte=y0 * size - 90.0,
        lat__lt=(y1 + 1) * size - 90.0,
    )
    # Grouped directly, not through `pk__in=region.values("pk")`: the filters never
    # duplicate rows (sectors use EXISTS), and the subquery doubled the scan (280 ms instead
    # of 100 ms for a national map at 200,000 actors). clusters() drops the ordering,
    # and the ranking or distance annotations stay out of the GROUP BY.
    return list(region.clusters(zoom=zoom))


def _precomputed_facet(filterset: ActorFilterSet, *, grid: int) -> str | None:
    """The MapCell facet that holds the clusters of these filters on this grid, if any: all
    actors, or those of one sector (or filière) or one legal form on the coarse grids."""
    if grid > CLUSTER_MAX_ZOOM:
        return None
    if not filterset.has_filters:
        return ALL_ACTORS
    if grid > FACET_MAX_ZOOM:
        return None
    data = filterset.form.cleaned_data
    active = {name for name in ("q", "commune", "near", "freshness") if data.get(name)}
    sectors, legal_forms = list(data.get("sector") or []), data.get("legal_form") or []
    if active or len(sectors) + len(legal_forms) != 1:
        return None
    return sector_facet(sectors[0].pk) if sectors else legal_form_facet(legal_forms[0])


def _light_points(actors, *, limit: int) -> list[tuple[int, float, float, str]] | None:
    """(id, lat, lon, colour) of the actors, or None when there are more than `limit`.

    A bounded count first: it stops reading after the threshold, whatever the box holds, so
    a dense view costs no colour lookups. Then one query for the points, each with the colour
    of its first sector's filière (the sectors in the order the pages list them).
    """
    actors = actors.order_by()
    if actors[: limit + 1].count() > limit:
        return None
    first_colour = Subquery(
        Actor.sectors.through.objects.filter(actor_id=OuterRef("pk"))
        .order_by("sector__position", "sector__name")
        .values(colour=Coalesce(F("sector__parent__colour"), F("sector__colour")))[:1]
    )
    rows = actors.annotate(first_colour=first_colour).values_list(
        "pk", "lat", "lon", "first_colour"
    )
    return [(pk, lat, lon, colour or DEFAULT_COLOUR) for pk, lat, lon, colour in rows]


def _point_features(points) -> list[dict]:
    """Only what draws a marker: the details come from MapActorDetailView when its popup
    opens, so a view's answer stays a few dozen bytes per actor."""
    return [
        {
            "type": "Feature",
            "geometry": geojson_point(lat, lon),
            "properties": {"cluster": False, "id": pk, "colour": colour},
        }
        for pk, lat, lon, colour in points
    ]


_FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "required": ["type", "features", "zoom", "clustered", "total"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "zoom": {"type": "integer"},
        "clustered": {
            "type": "boolean",
            "description": "true when the features are clusters (low zoom, or more actors "
            "in the view than can be read as points).",
        },
        "total": {"type": "integer", "description": "Number of actors the features stand for."},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": POINT_SCHEMA,
                    "properties": {
                        "type": "object",
                        "description": "A cluster: cluster, count. An actor: cluster, id, "
                        "colour; its details at /api/v1/map/actors/{id}/.",
                        "properties": {
                            "cluster": {"type": "boolean"},
                            "count": {"type": "integer"},
                            "id": {"type": "integer"},
                            "colour": {"type": "string"},
                        },
                        "required": ["cluster"],
                    },
                },
            },
        },
    },
}


@extend_schema(
    summary=_("Carte des acteurs (GeoJSON)"),
    description=format_lazy(
        _(
            "Les acteurs publiés d'une emprise, en FeatureCollection GeoJSON. Jusqu'au zoom "
            "{cluster_max_zoom}, et tant que la vue contient plus d'acteurs qu'on ne peut en "
            "lire (environ un par carré de {side} pixels) : des regroupements (un point au "
            "barycentre, avec leur nombre). Sinon, un point léger par acteur (position, "
            "couleur de sa filière, identifiant) ; ses détails sont à "
            "/api/v1/map/actors/{{id}}/. Au zoom {points_zoom} et au-delà, toujours des "
            "points, jusqu'à {max_points}. Accepte les filtres de /api/v1/actors/."
        ),
        cluster_max_zoom=CLUSTER_MAX_ZOOM,
        side=math.isqrt(PIXELS_PER_POINT),
        points_zoom=POINTS_ZOOM,
        max_points=MAP_MAX_POINTS,
    ),
    parameters=[
        OpenApiParameter(
            "bbox",
            OpenApiTypes.STR,
            required=True,
            description=_("Emprise : ouest,sud,est,nord en degrés, ex. -1.7,47.1,-1.4,47.3"),
        ),
        OpenApiParameter(
            "zoom", OpenApiTypes.INT, required=True, description=_("Niveau de zoom, de 0 à 20")
        ),
        OpenApiParameter("q", OpenApiTypes.STR, description=_("Recherche plein texte")),
        OpenApiParameter(
            "legal_form",
            OpenApiTypes.STR,
            many=True,
            explode=True,
            enum=LegalForm.values,
            description=_("Forme juridique (répétable)"),
        ),
        OpenApiParameter("commune", OpenApiTypes.STR, description=_("Code INSEE de la commune")),
        OpenApiParameter("radius_km", OpenApiTypes.NUMBER, description=_("Rayon autour de near")),
        OpenApiParameter(
            "freshness", OpenApiTypes.STR, enum=Freshness.values, description=_("Fraîcheur")
        ),
        SECTOR_PARAMETER,
        NEAR_PARAMETER,
    ],
    responses={
        200: OpenApiResponse(_FEATURE_COLLECTION_SCHEMA, description="FeatureCollection"),
        400: OpenApiResponse(ERRORS_SCHEMA, description=_("Paramètres invalides")),
    },
)
class MapActorsView(APIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    def get(self, request):
        query = MapQueryForm(request.query_params)
        # The box is applied here, not by the filter set: clusters need it snapped to cells.
        filter_data = request.query_params.copy()
        filter_data.pop("bbox", None)
        filterset = ActorFilterSet(filter_data, queryset=Actor.objects.published(), request=request)
        query_valid, filters_valid = query.is_valid(), filterset.is_valid()
        if not (query_valid and filters_valid):
            errors = {**filterset.errors, **query.errors}
            raise ValidationError({field: list(messages) for field, messages in errors.items()})
        bbox, zoom = query.cleaned_data["bbox"], query.cleaned_data["zoom"]

        if zoom > CLUSTER_MAX_ZOOM:
            limit = MAP_MAX_POINTS
            if zoom < POINTS_ZOOM:
                limit = min(limit, readable_points(bbox, zoom))
            points = _light_points(filterset.qs.in_bbox(*bbox), limit=limit)
            if points is not None:
                return self._points(_point_features(points), zoom=zoom)

        # Above the precomputed zooms, a view clustered for its density holds several actors
        # per cell of its own grid: clusters go on the grid one zoom coarser (128-px cells),
        # which at the first such zoom is still the precomputed one.
        grid = _grid_zoom(bbox, zoom if zoom <= CLUSTER_MAX_ZOOM else zoom - 1)
        facet = _precomputed_facet(filterset, grid=grid)
        if facet is not None:
            west, south, east, north = bbox
            cells = MapCell.objects.in_bbox(
                zoom=grid, west=west, south=south, east=east, north=north, facet=facet
            )
            clusters = [(count, lat / count, lon / count) for count, lat, lon in cells]
        else:
            clusters = _clusters_on_the_fly(filterset.qs, zoom=grid, bbox=bbox)
        return self._clusters(clusters, zoom=zoom)

    def _points(self, features: list[dict], *, zoom: int) -> Response:
        return Response(
            {
                "type": "FeatureCollection",
                "zoom": zoom,
                "clustered": False,
                "total": len(features),
                "features": features,
            }
        )

    def _clusters(self, clusters, *, zoom: int) -> Response:
        return Response(
            {
                "type": "FeatureCollection",
                "zoom": zoom,
                "clustered": True,
                "total": sum(count for count, _lat, _lon in clusters),
                "features": _cluster_features(clusters),
            }
        )


@extend_schema_view(
    get=extend_schema(
        # The generated name would collide with the map's own (…_map_actors_retrieve).
        operation_id="v1_map_actor_retrieve",
        summary=_("Un point de la carte"),
        description=_(
            "Ce que montre la bulle d'un point de /api/v1/map/actors/ : nom, fiche, commune, "
            "secteurs (dans la langue demandée), couleur, fraîcheur. Acteurs publiés seulement."
        ),
    )
)
class MapActorDetailView(generics.RetrieveAPIView):
    """The popup of one map point, fetched when it opens: the map's answer carries only
    positions, colours and ids."""

    serializer_class = MapActorSerializer
    filter_backends = []

    def get_queryset(self):
        sectors = Prefetch("sectors", queryset=Sector.objects.select_related("parent"))
        return Actor.objects.published().select_related("commune").prefetch_related(sectors)


class PlacesThrottle(AnonRateThrottle):
    """The search may ask the external geocoder: far fewer than the API's general rate."""

    scope = "places"
    rate = "60/min"


class PlacesQueryForm(forms.Form):
    q = forms.CharField(label=_("Adresse ou commune"), min_length=2, max_length=200)


@extend_schema(
    summary=_("Lieux (adresse ou commune)"),
    description=_(
        "Pour centrer la carte et filtrer « autour de » sans géolocalisation : l'adresse "
        "trouvée par le géocodeur (quand il est configuré), puis les communes dont le nom ou "
        "le code postal commence par le texte, les plus peuplées d'abord."
    ),
    parameters=[
        OpenApiParameter(
            "q", OpenApiTypes.STR, required=True, description=_("Adresse, commune ou code postal")
        )
    ],
    responses={
        200: PlaceSerializer(many=True),
        400: OpenApiResponse(ERRORS_SCHEMA, description=_("Paramètres invalides")),
    },
)
class PlacesView(APIView):
    throttle_classes = [PlacesThrottle]

    def get(self, request):
        query = PlacesQueryForm(request.query_params)
        if not query.is_valid():
            raise ValidationError({f: list(m) for f, m in query.errors.items()})
        text = query.cleaned_data["q"]
        communes = list(Commune.objects.matching(text)[:PLACES_SHOWN])
        places = [
            {"label": f"{c.name} ({c.department})", "lat": c.lat, "lon": c.lon} for c in communes
        ]
        # An address only the geocoder knows; a commune's name is answered from the table,
        # which works offline and without a call per key stroke.
        names = {c.search_name for c in communes}
        if settings.GEOCODER_URL and not text.isdigit() and normalize(text) not in names:
            found = geo.geocode(address=text)
            if found is not None and geo.in_france(found.lat, found.lon):
                place = {"label": found.label or text, "lat": found.lat, "lon": found.lon}
                places.insert(0, place)
        return Response(PlaceSerializer(places, many=True).data)
