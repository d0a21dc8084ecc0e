"""Routes of the tenders app, one module per feature, all in the "tenders" namespace.

Not yet included in ess_platform/urls.py: the app has no page so far.
"""

from django.urls import URLPattern, URLResolver

app_name = "tenders"

urlpatterns: list[URLPattern | URLResolver] = []
