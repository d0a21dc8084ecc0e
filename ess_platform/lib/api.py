from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ess_platform.lib.pagination import RankedSearchPaginator


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
