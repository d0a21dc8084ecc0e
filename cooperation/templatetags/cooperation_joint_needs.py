"""Template tags of the joint_needs feature, for the pages of other features (the listing's
page): the joint need's section (total, participants, closing date, the forms of those who
may act) and, for a need that is not joint yet, its owner's form to open it."""

from django import template
from django.template.loader import render_to_string

from cooperation.forms.joint_needs import JointJoinForm, JointOpenForm
from cooperation.matching import listing_matches
from cooperation.models import JointParticipation, Listing, ListingKind, ListingStatus
from cooperation.models.joint_needs import may_join_as_inhabitant, structures_that_may_join
from cooperation.permissions import can_edit_listing
from cooperation.services.joint_needs import is_closed
from directory.permissions import can_animate

register = template.Library()

TEMPLATE = "cooperation/joint_needs/includes/section.html"
MATCHES_SHOWN = 5


@register.simple_tag(takes_context=True)
def listing_joint_need(context, listing: Listing):
    request = context.get("request")
    if request is None or listing.kind != ListingKind.NEED:
        return ""
    user = request.user
    owner = can_edit_listing(user, listing)
    if not listing.is_joint:
        if owner and listing.status in (ListingStatus.DRAFT, ListingStatus.OPEN):
            return render_to_string(
                TEMPLATE, {"listing": listing, "open_form": JointOpenForm()}, request=request
            )
        return ""
    participations = list(JointParticipation.objects.of_listing(listing).select_related("actor"))
    total = JointParticipation.objects.joint_total(listing)
    closed = is_closed(listing)
    live = Listing.objects.live().visible_to(user).filter(pk=listing.pk).exists()
    mine = list(
        JointParticipation.objects.of_listing(listing).of_user(user).select_related("actor")
    )
    may_join = (
        live
        and not closed
        and user.is_authenticated
        and (
            may_join_as_inhabitant(listing, user)
            or structures_that_may_join(listing, user).exists()
        )
    )
    return render_to_string(
        TEMPLATE,
        {
            "listing": listing,
            "owner": owner,
            "total": total,
            "structures": [p for p in participations if p.actor_id],
            "inhabitants": len([p for p in participations if not p.actor_id]),
            "closed": closed,
            "mine": mine,
            "join_form": JointJoinForm(listing=listing, user=user) if may_join else None,
            "may_leave": live and not closed,
            "open_form": JointOpenForm(initial={"closes_on": listing.joint_closes_on})
            if owner and not closed and listing.status in (ListingStatus.DRAFT, ListingStatus.OPEN)
            else None,
            "animator": can_animate(user, listing.actor.network_id),
            "matches": listing_matches(listing, viewer=user, limit=MATCHES_SHOWN, quantity=total)
            if owner
            else None,
        },
        request=request,
    )
