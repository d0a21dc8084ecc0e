"""Template tags of the cooperations feature, for the pages of other features (the listing's page,
the structure's page and the animator's dashboard in the directory, which links here by URL
name and template tag only)."""

from django import template
from django.template.loader import render_to_string

from cooperation import dashboard
from cooperation.forms.cooperations import FulfilForm
from cooperation.models import Cooperation, ListingStatus
from cooperation.permissions import can_edit_listing
from directory.models import Status
from directory.permissions import can_animate

register = template.Library()

FULFILLABLE = (ListingStatus.OPEN, ListingStatus.IN_DISCUSSION)


@register.simple_tag(takes_context=True)
def listing_cooperations(context, obj):
    """For the owner of an open listing, the form that fulfils it with partners; once
    fulfilled, its cooperations and their state (the page is shown only to whoever may
    see the listing)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj.status in FULFILLABLE:
        if user is None or not can_edit_listing(user, obj):
            return ""
        return render_to_string(
            "cooperation/cooperations/includes/fulfil_form.html",
            {"listing": obj, "form": FulfilForm(listing=obj)},
            request=request,
        )
    if obj.status != ListingStatus.FULFILLED:
        return ""
    cooperations = list(Cooperation.objects.of_listing(obj).with_sides().order_by("pk"))
    if not cooperations:
        return ""
    readable = set(
        Cooperation.objects.visible_to(user)
        .filter(pk__in=[c.pk for c in cooperations])
        .values_list("pk", flat=True)
    )
    return render_to_string(
        "cooperation/cooperations/includes/listing_cooperations.html",
        {"cooperations": cooperations, "readable": readable},
        request=request,
    )


@register.simple_tag(takes_context=True)
def actor_cooperations(context, obj):
    """The structure's confirmed cooperations that both sides agreed to show."""
    cooperations = list(
        Cooperation.objects.shown_publicly()
        .of_actor(obj)
        .filter(owner__status=Status.PUBLISHED, partner__status=Status.PUBLISHED)
        .select_related("owner", "partner")
    )
    if not cooperations:
        return ""
    rows = [
        {"cooperation": c, "other": c.partner if c.owner_id == obj.pk else c.owner}
        for c in cooperations
    ]
    return render_to_string(
        "cooperation/cooperations/includes/actor_cooperations.html",
        {"actor": obj, "rows": rows},
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def network_cooperations_link(context, network):
    """The animator's dashboard's link to the impact dashboard, with the count."""
    request = context.get("request")
    if request is None or not can_animate(request.user, network):
        return ""
    return render_to_string(
        "cooperation/cooperations/includes/network_link.html",
        {"network": network, "count": dashboard.confirmed_count(network)},
        request=request,
    )
