"""Template tags of the catalogue feature, for the pages of other features (the listing's page,
the structure's page in the directory)."""

from django import template

from cooperation.models import Listing

register = template.Library()

# The structure's page shows its newest open listings; the catalogue holds the rest.
ACTOR_LISTINGS_SHOWN = 10


@register.inclusion_tag("cooperation/catalogue/includes/listing_photos.html")
def listing_photos(listing: Listing) -> dict:
    """The listing's photos, served by the view that applies the listing's visibility (the
    page showing them already checked it)."""
    return {"listing": listing, "photos": list(listing.photos.all())}


@register.inclusion_tag(
    "cooperation/catalogue/includes/actor_open_listings.html", takes_context=True
)
def actor_open_listings(context, actor) -> dict:
    """The structure's listings in the catalogue that the visitor may see; nothing at all
    when there are none."""
    request = context.get("request")
    user = getattr(request, "user", None)
    listings = list(
        Listing.objects.live()
        .visible_to(user)
        .of_actor(actor)
        .only("pk", "title", "kind", "nature", "published_at")
        .order_by("-published_at", "-pk")[: ACTOR_LISTINGS_SHOWN + 1]
    )
    return {
        "actor": actor,
        "listings": listings[:ACTOR_LISTINGS_SHOWN],
        "more": len(listings) > ACTOR_LISTINGS_SHOWN,
    }
