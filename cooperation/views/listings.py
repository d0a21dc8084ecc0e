"""The catalogue's pages: a listing, as whoever may see it (visibility rules:
ListingQuerySet.visible_to). Writes: cooperation.services.listings."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cooperation.models import Listing
from cooperation.permissions import can_edit_listing


@require_GET
def listing_detail(request, listing_id: int):
    """A live listing for those who may see it; its structure's members also see it while
    it is a draft, expired or closed. Anyone else gets a 404, which says nothing of a
    members-only listing."""
    listing = get_object_or_404(
        Listing.objects.select_related("actor__commune", "commune").prefetch_related(
            "sectors__parent", "partners"
        ),
        pk=listing_id,
    )
    owner = can_edit_listing(request.user, listing)
    visible = Listing.objects.live().visible_to(request.user).filter(pk=listing.pk).exists()
    if not (owner or visible):
        raise Http404
    return render(request, "cooperation/listings/detail.html", {"listing": listing, "owner": owner})
