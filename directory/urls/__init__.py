"""Routes of the directory, one module per feature, all in the "directory" namespace."""

from django.urls import include, path

app_name = "directory"

urlpatterns = [
    path("", include(f"directory.urls.{feature}"))
    for feature in (
        "actors",
        "members",
        "freshness",
        "corrections",
        "history",
        "network",
        "imports",
        "exports",
        "seo",
    )
]
