from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet


class RankedSearchPaginator(Paginator):
    """A paginator for a ranked search (a queryset annotated with `rank`, ordered by it):
    the page's ids and the total in one narrow query, then the page's rows.

    Ranking reads every match to keep the best ones, so a separate `COUNT(*)` would read them
    all again: `COUNT(*) OVER ()` gives the total with the page instead. That window runs
    over a subquery of the sort keys only (id, rank, the tie-breaks): over the whole rows it
    would carry every match's columns and spill to disk. The page's rows are then read by
    primary key, in the ranked order. Other querysets (ordered by an index, where the page
    stops early) keep Django's count-then-slice.
    """

    def get_page(self, number):
        """Django's get_page checks the number against the total first, which would count
        every match on its own: a ranked search gets the total with the page instead."""
        if not self._is_ranked():
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))

    def page(self, number):
        # Every page of a ranked search goes through the narrow query, even once the total
        # is known: Django's slice would order by the rank alone, and equal ranks would then
        # come back in any order, so two pages could overlap.
        if not self._is_ranked():
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django says it
        if number < 1:
            return super().page(number)  # EmptyPage
        ranked = self._ranked_ids(offset=(number - 1) * self.per_page)
        if not ranked:
            return super().page(number)  # past the end, or nothing found: Django's answer
        ids = [pk for pk, _total in ranked]
        by_pk = {obj.pk: obj for obj in self.object_list.filter(pk__in=ids).order_by()}
        self.__dict__.setdefault("count", ranked[0][1])  # the cached_property, filled
        return self._get_page([by_pk[pk] for pk in ids if pk in by_pk], number, self)

    def _ranked_ids(self, *, offset: int) -> list[tuple[int, int]]:
        """[(id, total)] of one page, ordered as the queryset is."""
        queryset = self.object_list
        ordering = list(queryset.query.order_by)
        keys = [field.lstrip("-") for field in ordering]
        inner = queryset.order_by().values_list("pk", *keys)
        sql, params = inner.query.sql_with_params()
        aliases = ", ".join(f"c{i}" for i in range(len(keys) + 1))
        # The tie-breaks end with the id, so that pages never overlap or skip a match.
        order = ", ".join(
            f"c{i} {'DESC' if field.startswith('-') else 'ASC'}"
            for i, field in enumerate(ordering, start=1)
        )
        connection = connections[queryset.db]
        # OFFSET 0 keeps PostgreSQL from computing the rank above the window: the window
        # would then hold each match's whole search vector and spill to disk (5 ms of a
        # 30 ms search at 200,000 actors).
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        query = (
            f"SELECT c0, COUNT(*) OVER () FROM ({sql}{fence}) AS ranked({aliases}) "
            f"ORDER BY {order}, c0 LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, self.per_page, offset])
            return cursor.fetchall()

    def _is_ranked(self) -> bool:
        object_list = self.object_list
        return (
            isinstance(object_list, QuerySet)
            and "rank" in object_list.query.annotations
            and all(isinstance(field, str) for field in object_list.query.order_by)
        )
