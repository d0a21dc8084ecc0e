"""The public read API under /api/v1/ (DESIGN.md §6). Read-only: writes go through pages."""

from collections import defaultdict

from django import forms
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from directory import exports as exporting
from directory.api.serializers import (
    ActorDetailSerializer,
    ActorListSerializer,
    FiliereSerializer,
)
from directory.filters import ActorFilterSet, BBoxField
from directory.models import Actor, Freshness, LegalForm, MapCell, Sector
from directory.models.map import CLUSTER_MAX_ZOOM, cell_of, cell_size
from ess_platform.lib.api import (
    ERRORS_SCHEMA,
    POINT_SCHEMA,
    CSVRenderer,
    ExportRateThrottle,
    GeoJSONRenderer,
)
from ess_platform.lib.exports import (
    CSV_CONTENT_TYPE,
    GEOJSON_CONTENT_TYPE,
    export_filename,
    geojson_point,
)

# Above this many actors in a high-zoom box the map answers clusters instead of points:
# more markers than this make the browser crawl, and cutting the list would hide actors.
MAP_MAX_POINTS = 2000
MAX_ZOOM = 20
# A box larger than this many cells of its zoom (a padded 4K screen holds about 8,000) is
# clustered on a coarser grid, so no request can ask for one feature per actor of France.
MAP_MAX_CELLS = 10_000
# Marker colour of an actor without sectors, as Actor.filiere_colour.
DEFAULT_COLOUR = "#4a5568"


# Parameters that do not narrow the list: without others, its size is the published total.
UNFILTERED_PARAMS = {"page", "page_size", "format"}

# Filters whose type the schema generator cannot infer from ActorFilterSet.
SECTOR_PARAMETER = OpenApiParameter(
    "sector",
    OpenApiTypes.STR,
    many=True,
    explode=True,
    description=_(
        "Identifiant d'un secteur, ou d'une filière pour tous ses secteurs (répétable). "
        "Voir /api/v1/sectors/."
    ),
)
NEAR_PARAMETER = OpenApiParameter(
    "near",
    OpenApiTypes.STR,
    description=_(
        "Autour d'un point : latitude,longitude, ex. 47.2,-1.55 ; rayon radius_km (10 km "
        "par défaut). Trie par distance."
    ),
)
BBOX_PARAMETER = OpenApiParameter(
    "bbox",
    OpenApiTypes.STR,
    description=_("Emprise : ouest,sud,est,nord en degrés, ex. -1.7,47.1,-1.4,47.3"),
)

# Formats answered with every matching actor, streamed, instead of one page of JSON.
EXPORT_FORMATS = {
    "csv": (exporting.public_csv, CSV_CONTENT_TYPE, "csv"),
    "geojson": (exporting.public_geojson, GEOJSON_CONTENT_TYPE, "geojson"),
}

_EXPORT_FEATURE_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": POINT_SCHEMA,
                    "properties": {
                        "type": "object",
                        "properties": {
                            "slug": {"type": "string"},
                            "name": {"type": "string"},
                            "legal_form": {"type": "string", "enum": LegalForm.values},
                            "legal_form_label": {"type": "string"},
                            "sectors": {"type": "array", "items": {"type": "string"}},
                            "address": {"type": "string"},
                            "postcode": {"type": "string"},
                            "commune": {"type": "string"},
                            "insee": {"type": "string"},
                            "website": {"type": "string"},
                            "email": {"type": "string"},
                            "phone": {"type": "string"},
                            "short_description": {"type": "string"},
                            "last_confirmed_on": {
                                "type": "string",
                                "format": "date",
                                "nullable": True,
                            },
                            "freshness": {"type": "string", "enum": Freshness.values},
                            "freshness_label": {"type": "string"},
                            "url": {"type": "string", "format": "uri"},
                        },
                    },
                },
            },
        },
    },
}


@extend_schema(
    summary=_("Acteurs publiés"),
    description=_(
        "Les acteurs publiés, par nom ; par pertinence avec q, par distance avec near. "
        "Un paramètre invalide reçoit une erreur 400 avec un message par paramètre.\n\n"
        "Avec format=csv ou format=geojson : tous les acteurs correspondant aux filtres "
        "(pas une page), en téléchargement. CSV : UTF-8 avec BOM, séparateur point-virgule "
        "(celui d'Excel en français), coordonnées avec un point décimal ; colonnes : "
        "identifiant, nom, forme juridique, secteurs, adresse, code postal, commune, code "
        "INSEE, latitude, longitude, site web, e-mail, téléphone, présentation courte, "
        "dernière confirmation (AAAA-MM-JJ), fraîcheur, fiche. Une cellule commençant par "
        "= + - ou @ est précédée d'une apostrophe, pour qu'un tableur ne l'exécute pas. "
        "GeoJSON : une FeatureCollection de points (longitude, latitude, RFC 7946) avec les "
        "mêmes informations, plus les codes legal_form et freshness."
    ),
    parameters=[
        SECTOR_PARAMETER,
        NEAR_PARAMETER,
        BBOX_PARAMETER,
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=["json", "csv", "geojson"],
            description=_(
                "json (par défaut) : une page ; csv ou geojson : tous les acteurs "
                "correspondants, en téléchargement (page et page_size sont ignorés)."
            ),
        ),
    ],
    responses={
        (200, "application/json"): ActorListSerializer(many=True),
        (200, "text/csv"): OpenApiResponse(
            {"type": "string", "format": "binary"},
            description=_("Tous les acteurs correspondants, en CSV (format=csv)"),
        ),
        (200, "application/geo+json"): OpenApiResponse(
            _EXPORT_FEATURE_SCHEMA,
            description=_("Tous les acteurs correspondants, en GeoJSON (format=geojson)"),
        ),
        400: OpenApiResponse(ERRORS_SCHEMA, description=_("Paramètres invalides")),
    },
)
class ActorListView(generics.ListAPIView):
    """Published actors, by name; by relevance with `q`, by distance with `near`; every
    matching actor as a CSV or GeoJSON download with `format=csv|geojson`."""

    serializer_class = ActorListSerializer
    filterset_class = ActorFilterSet
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer, GeoJSONRenderer]

    def get_queryset(self):
        return Actor.objects.published().for_listing().order_by("name", "pk")

    @property
    def export_format(self) -> str | None:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer.format if renderer and renderer.format in EXPORT_FORMATS else None

    def get_throttles(self):
        # Called after content negotiation: the format asked for is known.
        throttles = super().get_throttles()
        if self.export_format is not None:
            throttles.append(ExportRateThrottle())
        return throttles

    def list(self, request, *args, **kwargs):
        if self.export_format is None:
            return super().list(request, *args, **kwargs)
        stream, content_type, extension = EXPORT_FORMATS[self.export_format]
        # Plain rows, not the listing's prefetches: exporting reads them chunk by chunk.
        actors = self.filter_queryset(Actor.objects.published().order_by("name", "pk"))
        response = StreamingHttpResponse(stream(actors, request=request), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True,
            filename=export_filename(prefix=exporting.PUBLIC_FILENAME_PREFIX, extension=extension),
        )
        return response

    def filter_queryset(self, queryset):
        # Report every bad parameter in one answer, page_size included, not one per retry.
        errors = {}
        if self.paginator is not None and self.export_format is None:
            try:
                self.paginator.get_page_size(self.request)
            except ValidationError as exc:
                errors.update(exc.detail)
        try:
            queryset = super().filter_queryset(queryset)
        except ValidationError as exc:
            errors.update(exc.detail)
        if errors:
            raise ValidationError(errors)
        if self.export_format is None and not set(self.request.query_params) - UNFILTERED_PARAMS:
            queryset = queryset.with_known_count(MapCell.objects.published_total())
        return queryset

    def finalize_response(self, request, response, *args, **kwargs):
        # An error asked for as CSV or GeoJSON (bad filter, throttling…) is said in JSON,
        # with its message per parameter, as for the JSON list.
        if isinstance(response, Response) and self.export_format is not None:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


@extend_schema(summary=_("Un acteur publié"), description=_("Tous ses champs publics."))
class ActorDetailView(generics.RetrieveAPIView):
    """One published actor with all its public fields."""

    serializer_class = ActorDetailSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        return (
            Actor.objects.published().select_related("commune").prefetch_related("sectors__parent")
        )


@extend_schema(
    summary=_("Filières et secteurs"),
    description=_("La nomenclature : chaque filière avec ses secteurs (children)."),
)
class SectorListView(generics.ListAPIView):
    """The taxonomy: filières, each with its sectors. A filière stands for all its sectors
    in the `sector` filter."""

    serializer_class = FiliereSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return Sector.objects.filieres().prefetch_related("children")


class MapQueryForm(forms.Form):
    bbox = BBoxField(label=_("Emprise (ouest,sud,est,nord)"))
    zoom = forms.IntegerField(label=_("Niveau de zoom"), min_value=0, max_value=MAX_ZOOM)


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
    rows = region.clusters(zoom=zoom)
    return list(rows)


def _point_features(actors) -> list[dict]:
    """One feature per actor, read as plain rows: up to MAP_MAX_POINTS of them per request,
    so no model instances, one query for the sectors, and the page URL reversed once."""
    rows = list(
        actors.values_list("pk", "slug", "name", "lat", "lon", "freshness", "commune__name")
    )
    sectors = defaultdict(list)
    links = (
        Actor.sectors.through.objects.filter(actor_id__in=[row[0] for row in rows])
        .order_by("sector__position", "sector__name")  # Sector's ordering, as on the page
        .values_list("actor_id", "sector__name", "sector__colour", "sector__parent__colour")
    )
    for actor_id, name, colour, filiere_colour in links:
        sectors[actor_id].append((name, filiere_colour or colour))
    # Slugs are URL-safe, so substituting one in a reversed URL gives what reverse() would.
    url = reverse("directory:actor_detail", kwargs={"slug": "slug"})
    head, tail = url.rsplit("/slug/", 1)
    features = []
    for pk, slug, name, lat, lon, freshness, commune in rows:
        actor_sectors = sectors.get(pk, [])
        features.append(
            {
                "type": "Feature",
                "geometry": geojson_point(lat, lon),
                "properties": {
                    "cluster": False,
                    "slug": slug,
                    "name": name,
                    "url": f"{head}/{slug}/{tail}",
                    "commune": commune,
                    "sectors": [sector_name for sector_name, _colour in actor_sectors],
                    "colour": actor_sectors[0][1] if actor_sectors else DEFAULT_COLOUR,
                    "stale": freshness == Freshness.STALE,
                },
            }
        )
    return features


_FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "required": ["type", "features", "zoom", "clustered", "total"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "zoom": {"type": "integer"},
        "clustered": {
            "type": "boolean",
            "description": "true when the features are clusters (low zoom, or too many "
            "actors in the box for points).",
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
                        "description": "A cluster: cluster, count. An actor: cluster, slug, "
                        "name, url, commune, sectors, colour, stale.",
                        "properties": {
                            "cluster": {"type": "boolean"},
                            "count": {"type": "integer"},
                            "slug": {"type": "string"},
                            "name": {"type": "string"},
                            "url": {"type": "string"},
                            "commune": {"type": "string"},
                            "sectors": {"type": "array", "items": {"type": "string"}},
                            "colour": {"type": "string"},
                            "stale": {"type": "boolean"},
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
            "{cluster_max_zoom} : des regroupements (un point au barycentre, avec leur "
            "nombre) ; au-delà, un point par acteur, ou des regroupements si plus de "
            "{max_points} acteurs correspondent. Accepte les filtres de /api/v1/actors/."
        ),
        cluster_max_zoom=CLUSTER_MAX_ZOOM,
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
            actors = filterset.qs.in_bbox(*bbox)
            # A bounded count: it stops reading after the threshold, whatever the box holds.
            if actors[: MAP_MAX_POINTS + 1].count() <= MAP_MAX_POINTS:
                return self._points(_point_features(actors), zoom=zoom)

        grid = _grid_zoom(bbox, zoom)
        if grid <= CLUSTER_MAX_ZOOM and not filterset.has_filters:
            west, south, east, north = bbox
            cells = MapCell.objects.in_bbox(
                zoom=grid, west=west, south=south, east=east, north=north
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
