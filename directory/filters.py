"""The one FilterSet behind the public list, the map and the API (DESIGN.md §6)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from directory.models import Actor, Commune, Freshness, LegalForm, Sector
from ess_platform.lib import geo

MAX_RADIUS_KM = 300


def _floats(value: str, count: int, message: str) -> list[float]:
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        raise forms.ValidationError(message) from None
    if len(numbers) != count or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise forms.ValidationError(message)
    return numbers


class PointField(forms.CharField):
    """`lat,lon` in France."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        lat, lon = _floats(value, 2, _("Format attendu : latitude,longitude (ex. 47.2,-1.55)."))
        if not geo.in_france(lat, lon):
            raise forms.ValidationError(_("Ce point est hors de France (métropole et outre-mer)."))
        return lat, lon


class BBoxField(forms.CharField):
    """`west,south,east,north` in degrees."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        message = _("Format attendu : ouest,sud,est,nord en degrés (ex. -1.7,47.1,-1.4,47.3).")
        west, south, east, north = _floats(value, 4, message)
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(message)
        return west, south, east, north


# The OpenAPI schema cannot guess these types from a method filter: a string, as sent.
@extend_schema_field(OpenApiTypes.STR)
class PointFilter(django_filters.Filter):
    field_class = PointField


@extend_schema_field(OpenApiTypes.STR)
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField


class ActorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="filter_q", max_length=200)
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Secteurs"),
        queryset=Sector.objects.select_related("parent"),
        to_field_name="slug",
        method="filter_sector",
    )
    # distinct=False: a column of the actor cannot duplicate rows, and the DISTINCT that
    # django-filter adds by default would sort every matching row on all its columns.
    legal_form = django_filters.MultipleChoiceFilter(
        label=_("Forme juridique"), choices=LegalForm.choices, distinct=False
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune (code INSEE)"),
        queryset=Commune.objects.all(),
        to_field_name="insee",
    )
    near = PointFilter(label=_("Autour de (latitude,longitude)"), method="filter_near")
    radius_km = django_filters.NumberFilter(
        label=_("Rayon (km)"), method="filter_noop", min_value=0.1, max_value=MAX_RADIUS_KM
    )
    bbox = BBoxFilter(label=_("Emprise (ouest,sud,est,nord)"), method="filter_bbox")
    freshness = django_filters.ChoiceFilter(
        label=_("Fraîcheur"), choices=Freshness.choices, method="filter_freshness"
    )

    class Meta:
        model = Actor
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # The list's <select>s send "sector=" for "Tous les secteurs": an empty choice means
        # no filter, as it already does for the single-value filters.
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in ("sector", "legal_form"):
                if name in data:
                    data.setlist(name, [v for v in data.getlist(name) if v.strip()])
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    @extend_schema_field(OpenApiTypes.STR)  # a slug, repeatable
    def filter_sector(self, queryset, name, sectors):
        if not sectors:
            return queryset
        # A filière stands for all its sectors. EXISTS rather than a join: no duplicates to
        # remove with DISTINCT, which would fight the search ranking and distance ordering.
        ids = Sector.objects.keys_covered_by(sectors)
        links = Actor.sectors.through.objects.filter(actor_id=OuterRef("pk"), sector_id__in=ids)
        return queryset.filter(Exists(links))

    def filter_near(self, queryset, name, point):
        lat, lon = point
        radius = self.form.cleaned_data.get("radius_km") or 10
        return queryset.near(lat, lon, km=float(radius))

    def filter_noop(self, queryset, name, value):
        return queryset  # radius_km is read by filter_near

    def filter_bbox(self, queryset, name, bbox):
        return queryset.in_bbox(*bbox)

    def filter_freshness(self, queryset, name, value):
        return queryset.with_freshness(value)

    @property
    def has_filters(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(
            data.get(k) for k in ("q", "sector", "legal_form", "commune", "near", "freshness")
        )

    @property
    def narrows(self) -> bool:
        """Whether any filter, the box included, keeps fewer than all the actors."""
        return self.has_filters or bool(self.is_valid() and self.form.cleaned_data.get("bbox"))
