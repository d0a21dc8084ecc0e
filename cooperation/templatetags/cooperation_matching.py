"""Template tags of the matching feature, for the pages of other features (the listing's
page)."""

from django import template

from cooperation.matching import actor_matches
from cooperation.matching import listing_matches as find_listing_matches
from cooperation.models.listings import ListingStatus
from cooperation.permissions import can_edit_listing

register = template.Library()

# A draft's owner sees what would answer it before publishing; a closed listing needs none.
SHOWN_FOR = {ListingStatus.DRAFT, ListingStatus.OPEN, ListingStatus.IN_DISCUSSION}
SHOWN = 5


@register.inclusion_tag("cooperation/matching/listing_matches.html", takes_context=True)
def listing_matches(context, listing):
    """The listings and the structures that could answer a need (or use an offer), each with
    its reasons. Only listings the requester may see; the page itself is shown only to
    whoever may see the listing (a members-only one: its network), or its owner."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = listing.status in SHOWN_FOR and (
        listing.status != ListingStatus.DRAFT
        or (user is not None and can_edit_listing(user, listing))
    )
    if not shown:
        return {"listing": listing, "shown": False}
    return {
        "listing": listing,
        "shown": True,
        "listings": find_listing_matches(listing, viewer=user, limit=SHOWN),
        "actors": actor_matches(listing, limit=SHOWN),
    }
