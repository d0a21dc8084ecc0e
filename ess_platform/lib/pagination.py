from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window


class RankedSearchPaginator(Paginator):
    """A paginator that reads a ranked search's total with its page, in one query.

    Ranking (`ActorQuerySet.search` on PostgreSQL, which annotates `rank`) already reads
    every match to keep the best ones; a separate `COUNT(*)` would read them all again.
    `COUNT(*) OVER ()` gives the total on each row of the page instead. Other querysets
    (ordered by an index, where the page stops early) keep Django's count-then-slice.
    """

    def page(self, number):
        if not self._counts_with_page():
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django says it
        if number < 1:
            return super().page(number)  # EmptyPage
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(total_matches=Window(Count("pk")))[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            return super().page(number)  # past the end, or nothing found: Django's answer
        self.__dict__["count"] = rows[0].total_matches  # the cached_property, filled
        return self._get_page(rows, number, self)

    def _counts_with_page(self) -> bool:
        object_list = self.object_list
        return (
            isinstance(object_list, QuerySet)
            and "rank" in object_list.query.annotations
            and "count" not in self.__dict__
        )
