"""/api/v1/listings/{id}/matches/: the public matches of a live public listing, with their
score and reasons (cooperation.matching). Read-only."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from cooperation.matching import actor_matches, listing_matches
from cooperation.models import Listing
from cooperation.models.listings import Visibility
from ess_platform.lib.forms import INTEGER_MAX

# As many as a page shows, and a few more: a client wanting more filters the catalogue.
MATCHES_SHOWN = 20


class MatchedListingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    nature = serializers.CharField(read_only=True)
    mode = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor.name", read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, listing: Listing) -> str:
        """Absolute address of the listing's public page."""
        url = reverse("cooperation:listing_detail", args=[listing.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class MatchedActorSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, actor) -> str:
        """Absolute address of the structure's public page."""
        request = self.context.get("request")
        url = actor.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class _MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(read_only=True, help_text=_("Plus haut, meilleur (0 à 105)."))
    reasons = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Pourquoi, en français : « même filière : … », « à 4 km »…"),
    )
    distance_km = serializers.FloatField(read_only=True)


class ListingMatchSerializer(_MatchSerializer):
    listing = MatchedListingSerializer(read_only=True)


class ActorMatchSerializer(_MatchSerializer):
    actor = MatchedActorSerializer(read_only=True)


class ListingMatchesSerializer(serializers.Serializer):
    listing = serializers.IntegerField(read_only=True)
    listings = ListingMatchSerializer(many=True, read_only=True)
    actors = ActorMatchSerializer(many=True, read_only=True)


@extend_schema(
    summary=_("Correspondances d'une annonce"),
    description=_(
        "Pour un besoin, les offres publiques qui pourraient y répondre ; pour une offre, "
        "les besoins publics qui pourraient en profiter ; et les structures publiées qui "
        "pourraient répondre ou en avoir l'usage. Les meilleures d'abord, chacune avec son "
        "score et ses raisons (secteur ou filière en commun, nature et mode d'échange "
        "compatibles, distance, dates, capacité). Seulement pour une annonce publique en "
        "cours (404 sinon)."
    ),
    responses={
        200: ListingMatchesSerializer,
        404: OpenApiResponse(description=_("Pas d'annonce publique en cours sous ce numéro")),
    },
)
class ListingMatchesView(generics.GenericAPIView):
    """The public matches of a live public listing. Members-only listings answer 404 to
    everyone, members included: the API serves public data only."""

    serializer_class = ListingMatchesSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return Listing.objects.live().filter(visibility=Visibility.PUBLIC)

    def get(self, request, pk: int):
        if pk > INTEGER_MAX:
            raise Http404  # a key no row can have (SQLite would overflow)
        listing = get_object_or_404(self.get_queryset(), pk=pk)
        payload = {
            "listing": listing.pk,
            "listings": listing_matches(listing, viewer=None, limit=MATCHES_SHOWN),
            "actors": actor_matches(listing, limit=MATCHES_SHOWN),
        }
        return Response(self.get_serializer(payload).data)
