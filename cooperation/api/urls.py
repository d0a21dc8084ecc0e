"""Routes of the catalogue under /api/v1/ (included without a namespace, beside the
directory's)."""

urlpatterns: list = []
