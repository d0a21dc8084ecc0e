"""The public catalogue of offers and needs: the filtered list, its map's points, the
listings' photos and the feed of the newest public listings. Who sees a listing:
ListingQuerySet.live().visible_to(user), applied by ListingFilterSet to every list here."""

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cooperation.filters import DEFAULT_RADIUS_KM, ListingFilterSet
from cooperation.models import Listing, ListingPhoto
from cooperation.permissions import can_read_listing
from directory.models import Commune, Sector
from ess_platform.lib.exports import geojson_point
from ess_platform.lib.pagination import RankedSearchPaginator

CATALOGUE_PAGE_SIZE = 20
RADIUS_CHOICES = [5, 10, 20, 50, 100]
# The map shows points, not clusters from the server: past this many, the first ones in the
# list's order (newest, best ranked or nearest) are drawn and the page says so.
MAP_MAX_POINTS = 2000
FEED_ITEMS = 30


@require_GET
def catalogue(request):
    """The catalogue's filters, its result count, a page of cards and the map."""
    filterset = ListingFilterSet(
        request.GET, queryset=Listing.objects.for_catalogue(), request=request
    )
    listings = filterset.qs if filterset.is_valid() else Listing.objects.none()
    page = RankedSearchPaginator(listings, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "cooperation/catalogue/home.html",
        {
            "filterset": filterset,
            "page": page,
            "filieres": Sector.objects.filieres().prefetch_related("children"),
            "territory_communes": Commune.objects.in_territories(),
            "radius_choices": RADIUS_CHOICES,
            "default_radius": DEFAULT_RADIUS_KM,
            "map_url": f"{reverse('cooperation:catalogue_map')}?{query.urlencode()}",
            "map_labels": {
                "mapError": _("La carte n'a pas pu être chargée."),
                "partial": _("La carte montre les %(count)s premières annonces de la liste."),
                "offer": _("Offre"),
                "need": _("Besoin"),
            },
        },
    )
    # What a visitor sees depends on who they are: a shared cache must not mix them.
    patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def catalogue_map(request):
    """The points of the catalogue's filtered listings, as GeoJSON, at most MAP_MAX_POINTS.
    Only the listings the requester may see: the same FilterSet as the page."""
    filterset = ListingFilterSet(
        request.GET, queryset=Listing.objects.order_by("-published_at", "-pk"), request=request
    )
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors}, status=400)
    rows = filterset.qs.values_list("pk", "lat", "lon", "kind", "title")[: MAP_MAX_POINTS + 1]
    rows = list(rows)
    features = [
        {
            "type": "Feature",
            "geometry": geojson_point(lat, lon),
            "properties": {
                "kind": kind,
                "title": title,
                "url": reverse("cooperation:listing_detail", args=[pk]),
            },
        }
        for pk, lat, lon, kind, title in rows[:MAP_MAX_POINTS]
    ]
    response = JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "partial": len(rows) > MAP_MAX_POINTS,
        },
        content_type="application/geo+json",
    )
    response["Cache-Control"] = "private, max-age=60"
    patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def listing_photo(request, listing_id: int, photo_id: int):
    """A photo of a listing, to whoever may see the listing's page (its structure's
    members, or anyone the catalogue shows it to). Stored privately, so never reachable
    from the public media URL; a 404 otherwise, which says nothing of the listing."""
    # By its own key (range-checked), then compared: a foreign key lookup is not checked
    # and an out-of-range number would fail on SQLite.
    photo = get_object_or_404(ListingPhoto.objects.select_related("listing__actor"), pk=photo_id)
    listing = photo.listing
    if listing.pk != listing_id or not can_read_listing(request.user, listing):
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle)
    # Checked and renamed after its real format on upload: the extension gives the type.
    response["Cache-Control"] = "private, max-age=3600"
    patch_vary_headers(response, ["Cookie"])
    return response


class LatestListingsFeed(Feed):
    """The newest public listings of the catalogue (never a members-only one, whoever asks:
    a feed reader keeps what it fetched and shows it to anyone)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Catalogue des offres et besoins : les nouvelles annonces")
    subtitle = gettext_lazy("Les dernières annonces publiques des structures du territoire.")

    def link(self):
        return reverse("cooperation:catalogue")

    def items(self):
        return (
            Listing.objects.live()
            .visible_to(None)
            .select_related("actor", "commune")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: Listing) -> str:
        return f"{item.get_kind_display()} · {item.title}"

    def item_description(self, item: Listing) -> str:
        # Atom's summary is HTML to readers: the members' text is escaped.
        return escape(f"{item.actor.name} · {item.commune.name} — {item.description}")

    def item_link(self, item: Listing) -> str:
        return reverse("cooperation:listing_detail", args=[item.pk])

    def item_pubdate(self, item: Listing):
        return item.published_at

    def item_updateddate(self, item: Listing):
        return item.updated_at
