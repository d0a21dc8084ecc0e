"""FilterSets of the cooperation app: one per list, shared by the page and the API."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.models import Listing
from cooperation.models.listings import Audience, ExchangeMode, ListingKind, Nature
from directory.filters import MAX_RADIUS_KM, PointField
from directory.models import Actor, Commune, Sector

DEFAULT_RADIUS_KM = 10
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


class PlaceField(PointField):
    """`lat,lon` in France, or a commune's INSEE code (its centre)."""

    def clean(self, value):
        value = (value or "").strip()
        if _INSEE.match(value.upper()):
            commune = Commune.objects.filter(insee=value.upper()).only("lat", "lon").first()
            if commune is None:
                raise forms.ValidationError(_("Aucune commune n'a ce code INSEE."))
            return commune.lat, commune.lon
        return super().clean(value)


@extend_schema_field(OpenApiTypes.STR)
class PlaceFilter(django_filters.Filter):
    field_class = PlaceField


class ListingFilterSet(django_filters.FilterSet):
    """The catalogue's filters, for its page, its map and the API.

    Whatever queryset it is given, it keeps the listings in the catalogue (live) that the
    requester may see (visible_to): no list built on it can show a members-only listing to
    an anonymous visitor or another network, nor count one."""

    q = django_filters.CharFilter(label=_("Recherche"), method="filter_q", max_length=200)
    # distinct=False: a column of the listing cannot duplicate rows (see ActorFilterSet).
    kind = django_filters.ChoiceFilter(
        label=_("Offre ou besoin"), choices=ListingKind.choices, distinct=False
    )
    nature = django_filters.MultipleChoiceFilter(
        label=_("Nature"), choices=Nature.choices, distinct=False
    )
    mode = django_filters.MultipleChoiceFilter(
        label=_("Mode d'échange"), choices=ExchangeMode.choices, distinct=False
    )
    audience = django_filters.ChoiceFilter(
        label=_("S'adresse à"), choices=Audience.choices, distinct=False
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Secteurs"),
        queryset=Sector.objects.select_related("parent"),
        to_field_name="slug",
        method="filter_sector",
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune (code INSEE)"),
        queryset=Commune.objects.all(),
        to_field_name="insee",
        distinct=False,
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Structure (identifiant)"),
        # Published ones: an unpublished structure's identifier must not be confirmed.
        queryset=Actor.objects.published(),
        to_field_name="slug",
        distinct=False,
    )
    near = PlaceFilter(
        label=_("Autour de (latitude,longitude ou code INSEE d'une commune)"),
        method="filter_near",
    )
    radius_km = django_filters.NumberFilter(
        label=_("Rayon (km)"), method="filter_noop", min_value=0.1, max_value=MAX_RADIUS_KM
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        # A <select> sends "nature=" for "Toutes": an empty choice means no filter.
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in ("sector", "nature", "mode"):
                if name in data:
                    data.setlist(name, [v for v in data.getlist(name) if v.strip()])
        user = getattr(request, "user", None)
        queryset = Listing.objects.all() if queryset is None else queryset
        super().__init__(data, queryset=queryset.live().visible_to(user), request=request, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    @extend_schema_field(OpenApiTypes.STR)  # a slug, repeatable
    def filter_sector(self, queryset, name, sectors):
        if not sectors:
            return queryset
        # A filière stands for all its sectors; EXISTS, not a join: no duplicates to remove.
        ids = Sector.objects.keys_covered_by(sectors)
        links = Listing.sectors.through.objects.filter(listing_id=OuterRef("pk"), sector_id__in=ids)
        return queryset.filter(Exists(links))

    def filter_near(self, queryset, name, point):
        lat, lon = point
        radius = self.form.cleaned_data.get("radius_km") or DEFAULT_RADIUS_KM
        return queryset.near(lat, lon, km=float(radius))

    def filter_noop(self, queryset, name, value):
        return queryset  # radius_km is read by filter_near

    @property
    def has_filters(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(
            data.get(k)
            for k in (
                "q",
                "kind",
                "nature",
                "mode",
                "audience",
                "sector",
                "commune",
                "actor",
                "near",
            )
        )
