"""The public read API under /api/v1/ (DESIGN.md §6). Read-only: writes go through pages."""

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from directory import exports as exporting
from directory.api.serializers import (
    ActorDetailSerializer,
    ActorListSerializer,
    FiliereSerializer,
)
from directory.filters import ActorFilterSet
from directory.models import Actor, Freshness, LegalForm, MapCell, Sector
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
)

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
