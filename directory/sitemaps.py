"""The sitemap search engines read (/sitemap.xml, through robots.txt): every published
actor's public page, with its last confirmation as the page's last change.

/sitemap.xml is an index of pages of at most `ActorSitemap.limit` addresses (the protocol
allows 50,000, a national directory holds more): each page is one ordered, sliced query.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from directory.models import Actor


class ActorSitemap(Sitemap):
    limit = 10_000

    def items(self):
        # Ordered: the pages are slices of it.
        return Actor.objects.published().only("slug", "last_confirmed_at").order_by("pk")

    def lastmod(self, actor: Actor):
        return actor.last_confirmed_at

    def get_latest_lastmod(self):
        # Django's default walks every item; one aggregate gives the index its date.
        return Actor.objects.published().aggregate(latest=Max("last_confirmed_at"))["latest"]


# Sections of /sitemap.xml, each served at its own address (urls/seo.py).
SITEMAPS = {"acteurs": ActorSitemap}
