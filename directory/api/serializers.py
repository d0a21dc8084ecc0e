"""Read-only representations of the public directory (DESIGN.md §6, a stable contract).

Fields may be added; none may be renamed or removed without a new API version.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directory.models import Actor, Sector


def _label_field():
    """`name` is the taxonomy's own (French) name, kept as it was; `label` is the name in the
    language asked for (Accept-Language), as the pages show it."""
    return serializers.CharField(
        read_only=True, help_text=_("Le nom dans la langue demandée (Accept-Language).")
    )


class ActorSectorSerializer(serializers.ModelSerializer):
    label = _label_field()
    filiere = serializers.CharField(source="filiere.slug", read_only=True)
    # The map and the legends colour by filière, so the API gives the same colour.
    colour = serializers.CharField(source="filiere.colour", read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name", "label", "filiere", "colour"]


class CommuneSerializer(serializers.Serializer):
    insee = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ActorListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    sectors = ActorSectorSerializer(many=True, read_only=True)
    commune = CommuneSerializer(read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "url",
            "legal_form",
            "legal_form_label",
            "sectors",
            "commune",
            "lat",
            "lon",
            "last_confirmed_at",
            "freshness",
            "short_description",
        ]
        read_only_fields = fields

    def get_url(self, actor: Actor) -> str:
        """Absolute address of the actor's public page."""
        url = actor.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ActorDetailSerializer(ActorListSerializer):
    keywords = serializers.ListField(
        source="keyword_list", child=serializers.CharField(), read_only=True
    )
    logo = serializers.ImageField(read_only=True, use_url=True)

    class Meta(ActorListSerializer.Meta):
        fields = [
            *ActorListSerializer.Meta.fields,
            "description",
            "keywords",
            "website",
            "email",
            "phone",
            "address",
            "postcode",
            "intervention_radius_km",
            "headcount_band",
            "turnover_band",
            "volunteers",
            "labels",
            "offer",
            "added_value",
            "opening_hours",
            "local_currencies",
            "logo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SubSectorSerializer(serializers.ModelSerializer):
    label = _label_field()

    class Meta:
        model = Sector
        fields = ["slug", "name", "label", "colour"]
        read_only_fields = fields


class FiliereSerializer(serializers.ModelSerializer):
    label = _label_field()
    children = SubSectorSerializer(many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name", "label", "colour", "icon", "children"]
        read_only_fields = fields


class MapActorSerializer(serializers.ModelSerializer):
    """What the popup of a map point shows."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True)
    sectors = serializers.SerializerMethodField()
    colour = serializers.CharField(source="filiere_colour", read_only=True)
    stale = serializers.BooleanField(source="is_stale", read_only=True)

    class Meta:
        model = Actor
        fields = ["id", "slug", "name", "url", "commune", "sectors", "colour", "stale"]
        read_only_fields = fields

    def get_sectors(self, actor: Actor) -> list[str]:
        """Its sectors' names, in the language asked for."""
        return [sector.label for sector in actor.sectors.all()]


class PlaceSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    lat = serializers.FloatField(read_only=True)
    lon = serializers.FloatField(read_only=True)
