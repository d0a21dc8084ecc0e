"""Routes of the cooperation app, one module per feature, all in the "cooperation" namespace.

Not yet included in ess_platform/urls.py: the app has no page so far.
"""

from django.urls import URLPattern, URLResolver

app_name = "cooperation"

urlpatterns: list[URLPattern | URLResolver] = []
