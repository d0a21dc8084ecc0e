"""PostgreSQL full-text expressions over a model's `search_vector` column: a stored
tsvector generated from its `search_text` with the `ess_french` configuration (French
stemming with unaccent; directory migrations 0002 and 0005, cooperation 0005).

The column is located through the query's own alias of `search_text`, never written as
"<table>"."search_vector": inside a subquery (`pk__in=….values("pk")`) that name would
point at the outer table and run the search once per row. The tsquery text is a parameter,
built from normalised words only (directory.models.search.SearchWord.tsquery_with_typos).
"""

from django.db import models
from django.db.models import F


class _FullTextExpression(models.Func):
    template = ""

    def __init__(self, tsquery: str):
        super().__init__(F("search_text"))
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        assert not column_params  # a plain column reference
        vector = column.removesuffix('"search_text"') + '"search_vector"'
        return self.template.format(vector=vector), (self.tsquery,)


class FullTextMatch(_FullTextExpression):
    template = "{vector} @@ to_tsquery('ess_french'::regconfig, %s)"
    output_field = models.BooleanField()


class FullTextRank(_FullTextExpression):
    template = "ts_rank({vector}, to_tsquery('ess_french'::regconfig, %s))"
    output_field = models.FloatField()
