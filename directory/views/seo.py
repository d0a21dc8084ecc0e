"""What search engines read before the pages: robots.txt (the sitemap: directory/sitemaps.py)."""

from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    # Built like the sitemap's own addresses: the site's domain, the request's scheme.
    sitemap_url = (
        f"{request.scheme}://{get_current_site(request).domain}{reverse('directory:sitemap')}"
    )
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )
