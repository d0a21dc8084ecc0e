"""Read-only representations of the catalogue's listings (a stable contract, as the
directory's: fields may be added; none renamed or removed without a new API version)."""

from django.urls import reverse
from rest_framework import serializers

from cooperation.models import Listing
from directory.api.serializers import ActorSectorSerializer, CommuneSerializer


class ListingActorSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ListingListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    nature_label = serializers.CharField(source="get_nature_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    price_kind_label = serializers.CharField(source="get_price_kind_display", read_only=True)
    actor = ListingActorSerializer(read_only=True)
    commune = CommuneSerializer(read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "nature",
            "nature_label",
            "mode",
            "mode_label",
            "audience",
            "visibility",
            "title",
            "actor",
            "commune",
            "lat",
            "lon",
            "area_km",
            "price_kind",
            "price_kind_label",
            "price",
            "published_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_url(self, listing: Listing) -> str:
        """Absolute address of the listing's page."""
        url = reverse("cooperation:listing_detail", args=[listing.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ListingDetailSerializer(ListingListSerializer):
    sectors = ActorSectorSerializer(many=True, read_only=True)

    class Meta(ListingListSerializer.Meta):
        fields = [
            *ListingListSerializer.Meta.fields,
            "description",
            "sectors",
            "quantity",
            "unit",
            "available_from",
            "available_until",
            "recurrence",
            "status",
            "is_joint",
            "joint_closes_on",
        ]
        read_only_fields = fields
