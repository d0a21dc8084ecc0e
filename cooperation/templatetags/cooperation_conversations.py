"""Template tags of the conversations feature, for the pages of other features (the listing's page,
the structure's page in the directory): a "Contacter" link when the viewer may write."""

from django import template

from cooperation.models import Conversation
from cooperation.models.listings import LIVE_STATUSES
from cooperation.services.conversations import writing_actors
from directory.models import Status

register = template.Library()

TEMPLATE = "cooperation/conversations/includes/contact.html"


def _writers(user, actor_id: int) -> list[int]:
    """The viewer's structures that may write to the published structure `actor_id`; none
    when it is one of them (one query)."""
    actors = list(writing_actors(user).values_list("pk", flat=True))
    return [] if actor_id in actors else actors


@register.inclusion_tag(TEMPLATE, takes_context=True)
def listing_contact(context, listing):
    user = context["request"].user
    if listing.status not in LIVE_STATUSES:
        return {"show": False}
    if not user.is_authenticated:
        return {"show": True, "anonymous": True, "request": context["request"]}
    writers = _writers(user, listing.actor_id)
    if not writers:
        return {"show": False}
    existing = Conversation.objects.filter(listing=listing, initiator_id__in=writers).first()
    return {"show": True, "listing": listing, "existing": existing}


@register.inclusion_tag(TEMPLATE, takes_context=True)
def actor_contact(context, actor):
    user = context["request"].user
    if actor.status != Status.PUBLISHED:
        return {"show": False}
    if not user.is_authenticated:
        return {"show": True, "anonymous": True, "request": context["request"]}
    if not _writers(user, actor.pk):
        return {"show": False}
    return {"show": True, "actor": actor}
