"""Pieces every app's read API shares: pagination, the download renderers and their
throttle, and OpenAPI schemas that are not about one app."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from ess_platform.lib.pagination import RankedSearchPaginator

# A 400 answer: the messages of each invalid parameter (a ValidationError's detail).
ERRORS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "description": "Messages per parameter.",
}
# A GeoJSON Point, as ess_platform.lib.exports.geojson_point() writes it.
POINT_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "longitude, latitude (RFC 7946)",
        },
    },
}


class StandardPagination(PageNumberPagination):
    """Page numbers, 20 items by default, at most 200 (DESIGN.md §6).

    A `page_size` out of bounds is refused with a 400 rather than clamped: a client that
    asks for 1,000 rows and silently gets 200 would believe it has everything.
    """

    django_paginator_class = RankedSearchPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        message = _("Saisissez un nombre entier entre 1 et %(max)d.") % {"max": self.max_page_size}
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({self.page_size_query_param: [message]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [message]})
        return size


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class CSVRenderer(BaseRenderer):
    """Chosen by `?format=csv` (or `Accept: text/csv`). It renders nothing: the view streams
    its own body (ess_platform.lib.exports.csv_stream) and answers its errors in JSON, by
    switching back to JSONRenderer in its finalize_response()."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("the CSV export streams its own response")


class ExportRateThrottle(SimpleRateThrottle):
    """Full downloads cost far more than a page of JSON: they get their own rate
    (DEFAULT_THROTTLE_RATES["exports"], API_EXPORT_RATE), counted per signed-in user or per
    client address (behind TRUSTED_PROXY_COUNT proxies), on top of the general rate."""

    scope = "exports"

    def get_rate(self):
        # Read at each request, not once at import as DRF does: the rate follows settings.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            return None

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
