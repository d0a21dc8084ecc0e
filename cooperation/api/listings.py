"""The catalogue's read API: /api/v1/listings/ and /api/v1/listings/{id}/.

The same FilterSet as the catalogue's page (cooperation.filters.ListingFilterSet), which
keeps the listings in the catalogue that the requester may see: a members-only listing is
never listed, counted or shown to an anonymous client or to another network's members."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from cooperation.api.serializers import ListingDetailSerializer, ListingListSerializer
from cooperation.filters import ListingFilterSet
from cooperation.models import Listing
from ess_platform.lib.api import ERRORS_SCHEMA

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
        "Autour d'un point : latitude,longitude (ex. 47.2,-1.55) ou code INSEE d'une "
        "commune (ex. 44109) ; rayon radius_km (10 km par défaut). Trie par distance."
    ),
)


@extend_schema(
    summary=_("Annonces du catalogue"),
    description=_(
        "Les offres et besoins en cours (ouverts ou en discussion, avant leur expiration), "
        "les plus récents d'abord ; par pertinence avec q (une faute de frappe et les "
        "pluriels sont tolérés), par distance avec near. Les annonces réservées aux membres "
        "d'un réseau n'apparaissent qu'aux membres de ce réseau connectés. Un paramètre "
        "invalide reçoit une erreur 400 avec un message par paramètre."
    ),
    parameters=[SECTOR_PARAMETER, NEAR_PARAMETER],
    responses={
        200: ListingListSerializer(many=True),
        400: OpenApiResponse(ERRORS_SCHEMA, description=_("Paramètres invalides")),
    },
)
class ListingListView(generics.ListAPIView):
    serializer_class = ListingListSerializer
    filterset_class = ListingFilterSet

    def get_queryset(self):
        # Narrowed to what the requester may see by ListingFilterSet.
        return Listing.objects.for_catalogue()

    def filter_queryset(self, queryset):
        # Every bad parameter in one answer, page_size included, not one per retry.
        errors = {}
        if self.paginator is not None:
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
        return queryset


@extend_schema(
    summary=_("Une annonce du catalogue"),
    description=_(
        "Tous ses champs publics. Une annonce qui n'est plus au catalogue, ou réservée aux "
        "membres d'un autre réseau, répond 404."
    ),
)
class ListingDetailView(generics.RetrieveAPIView):
    serializer_class = ListingDetailSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            Listing.objects.live()
            .visible_to(self.request.user)
            .select_related("actor", "commune")
            .prefetch_related("sectors__parent")
        )
