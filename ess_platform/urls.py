from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ess_platform.lib.health import health

urlpatterns = [
    path("", include("directory.urls")),
    path("", include("cooperation.urls")),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("directory.api.urls")),
    path("api/v1/", include("cooperation.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("health/", health, name="health"),
    # The language switch (set_language, as Django names it).
    path("i18n/", include("django.conf.urls.i18n")),
    # Uploaded logos. Behind a production proxy, MEDIA_URL is better served by the proxy.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]

admin.site.site_header = "Plateforme ESS"
admin.site.site_title = "Plateforme ESS"
