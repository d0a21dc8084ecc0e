"""Read-only representations of the public directory (DESIGN.md §6, a stable contract).

Fields may be added; none may be renamed or removed without a new API version.
"""

from rest_framework import serializers

from directory.models import Actor, Sector


class ActorSectorSerializer(serializers.ModelSerializer):
    filiere = serializers.CharField(source="filiere.slug", read_only=True)
    # The map and the legends colour by filière, so the API gives the same colour.
    colour = serializers.CharField(source="filiere.colour", read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name", "filiere", "colour"]


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
    class Meta:
        model = Sector
        fields = ["slug", "name", "colour"]
        read_only_fields = fields


class FiliereSerializer(serializers.ModelSerializer):
    children = SubSectorSerializer(many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name", "colour", "icon", "children"]
        read_only_fields = fields
