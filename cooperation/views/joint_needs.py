"""The joint need's actions, posted from the listing's page (its section:
cooperation.templatetags.cooperation_joint_needs). Parse, call
cooperation.services.joint_needs, then back to the listing's page with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation.forms.joint_needs import (
    JointInhabitantsForm,
    JointJoinForm,
    JointLeaveForm,
    JointOpenForm,
)
from cooperation.models import Listing
from cooperation.permissions import can_edit_listing
from cooperation.services import joint_needs as services
from directory.permissions import can_animate


def _back(listing: Listing):
    return redirect("cooperation:listing_detail", listing_id=listing.pk)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def _visible(request, listing_id: int) -> Listing:
    """A live listing `request.user` may see; a 404 otherwise, which says nothing of a
    members-only listing."""
    return get_object_or_404(
        Listing.objects.live().visible_to(request.user).select_related("actor"), pk=listing_id
    )


@login_required
@require_POST
def joint_need_open(request, listing_id: int):
    listing = get_object_or_404(Listing.objects.select_related("actor"), pk=listing_id)
    if not can_edit_listing(request.user, listing):
        raise PermissionDenied
    form = JointOpenForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(listing)
    try:
        services.joint_need_open(
            listing=listing, closes_on=form.cleaned_data["closes_on"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Besoin groupé : les autres structures peuvent le rejoindre."))
    return _back(listing)


@login_required
@require_POST
def joint_need_inhabitants(request, listing_id: int):
    listing = get_object_or_404(Listing.objects.select_related("actor"), pk=listing_id)
    if not can_animate(request.user, listing.actor.network_id):
        raise PermissionDenied
    form = JointInhabitantsForm(request.POST)
    form.is_valid()  # a lone checkbox: always valid
    opened = form.cleaned_data["open"]
    try:
        services.joint_need_open_to_inhabitants(listing=listing, open=opened, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Les habitants inscrits peuvent rejoindre ce besoin groupé.")
            if opened
            else _("Ce besoin groupé est de nouveau réservé aux structures."),
        )
    return _back(listing)


@login_required
@require_POST
def joint_need_join(request, listing_id: int):
    listing = _visible(request, listing_id)
    form = JointJoinForm(request.POST, listing=listing, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(listing)
    try:
        services.joint_need_join(
            listing=listing,
            by=request.user,
            quantity=form.cleaned_data["quantity"],
            actor=form.cleaned_data["actor"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Participation enregistrée."))
    return _back(listing)


@login_required
@require_POST
def joint_need_leave(request, listing_id: int):
    listing = _visible(request, listing_id)
    form = JointLeaveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(listing)
    try:
        services.joint_need_leave(
            listing=listing, by=request.user, actor=form.cleaned_data["actor"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vous ne participez plus à ce besoin groupé."))
    return _back(listing)
