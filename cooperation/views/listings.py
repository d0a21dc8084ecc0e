"""The catalogue's pages: a listing, as whoever may see it (visibility rules:
ListingQuerySet.visible_to). Writes: cooperation.services.listings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cooperation.forms.listings import ListingForm, ListingPhotoForm
from cooperation.models import Listing, ListingPhoto
from cooperation.permissions import can_edit_listing, can_read_listing
from cooperation.services import listings as services
from directory.models import Actor
from directory.permissions import can_edit_actor
from ess_platform.lib.views import add_service_errors

LISTINGS_PER_PAGE = 20


@require_GET
def listing_detail(request, listing_id: int):
    """A live listing for those who may see it; its structure's members also see it while
    it is a draft, expired or closed, and the partners it was fulfilled with once it is.
    Anyone else gets a 404, which says nothing of a members-only listing."""
    listing = get_object_or_404(
        Listing.objects.select_related("actor__commune", "commune").prefetch_related(
            "sectors__parent", "partners"
        ),
        pk=listing_id,
    )
    owner = can_edit_listing(request.user, listing)
    if not (owner or can_read_listing(request.user, listing)):
        raise Http404
    return render(request, "cooperation/listings/detail.html", {"listing": listing, "owner": owner})


def _actor_for_members(request, slug: str) -> Actor:
    actor = get_object_or_404(Actor.objects.select_related("network"), slug=slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied
    return actor


def _own_listing(request, listing_id: int) -> Listing:
    listing = get_object_or_404(Listing.objects.select_related("actor"), pk=listing_id)
    if not can_edit_listing(request.user, listing):
        raise PermissionDenied
    return listing


@login_required
@require_GET
def actor_listings(request, slug: str):
    """A structure's listings in every state, for its members."""
    actor = _actor_for_members(request, slug)
    listings = Listing.objects.of_actor(actor).order_by("-updated_at", "-pk")
    return render(
        request,
        "cooperation/listings/mine.html",
        {
            "actor": actor,
            "page": Paginator(listings, LISTINGS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@login_required
def listing_create(request, slug: str):
    actor = _actor_for_members(request, slug)
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_create(
                actor=actor,
                by=request.user,
                data=form.data_for_service(),
                sectors=form.cleaned_data["sectors"],
                publish="publish" in request.POST,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Annonce publiée pour trois mois.")
                if listing.status == "open"
                else _("Brouillon d'annonce enregistré."),
            )
            if listing.status == "open":
                # Its page: what could answer it is the first thing a member wants to see.
                return redirect("cooperation:listing_detail", listing_id=listing.pk)
            return redirect("cooperation:actor_listings", slug=actor.slug)
    return render(
        request,
        "cooperation/listings/form.html",
        {"actor": actor, "form": form, "listing": None},
    )


@login_required
def listing_edit(request, listing_id: int):
    listing = _own_listing(request, listing_id)
    form = ListingForm(request.POST or None, instance=Listing.objects.get(pk=listing.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(
                listing=listing,
                by=request.user,
                data=form.data_for_service(),
                sectors=form.cleaned_data["sectors"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Annonce enregistrée."))
            return redirect("cooperation:actor_listings", slug=listing.actor.slug)
    return render(
        request,
        "cooperation/listings/form.html",
        {
            "actor": listing.actor,
            "form": form,
            "listing": listing,
            "photos": listing.photos.all(),
            "photo_form": ListingPhotoForm(),
            "photos_max": services.PHOTOS_PER_LISTING,
        },
    )


@login_required
@require_POST
def listing_photo_add(request, listing_id: int):
    listing = _own_listing(request, listing_id)
    form = ListingPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("cooperation:listing_edit", listing_id=listing.pk)
    try:
        services.listing_photo_add(
            listing=listing,
            by=request.user,
            image=form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Photo ajoutée."))
    return redirect("cooperation:listing_edit", listing_id=listing.pk)


@login_required
@require_POST
def listing_photo_delete(request, listing_id: int, photo_id: int):
    listing = _own_listing(request, listing_id)
    photo = get_object_or_404(ListingPhoto, pk=photo_id, listing=listing)
    services.listing_photo_remove(photo=photo, by=request.user)
    messages.success(request, _("Photo retirée."))
    return redirect("cooperation:listing_edit", listing_id=listing.pk)


# The owner's one-click moves: name in the URL → (service call, message).
MOVES = {
    "publier": (
        lambda listing, by: services.listing_publish(listing=listing, by=by),
        gettext_lazy("Annonce publiée pour trois mois."),
    ),
    "renouveler": (
        lambda listing, by: services.listing_renew(listing=listing, by=by),
        gettext_lazy("Annonce renouvelée pour trois mois."),
    ),
    "discussion": (
        lambda listing, by: services.listing_discuss(listing=listing, by=by),
        gettext_lazy("Annonce marquée « en discussion »."),
    ),
    "rouvrir": (
        lambda listing, by: services.listing_discuss(listing=listing, by=by, discussing=False),
        gettext_lazy("Annonce de nouveau ouverte."),
    ),
    "satisfaite": (
        lambda listing, by: services.listing_fulfil(listing=listing, by=by),
        gettext_lazy("Annonce marquée satisfaite."),
    ),
    "retirer": (
        lambda listing, by: services.listing_withdraw(listing=listing, by=by),
        gettext_lazy("Annonce retirée du catalogue."),
    ),
}


@login_required
@require_POST
def listing_move(request, listing_id: int, move: str):
    listing = _own_listing(request, listing_id)
    if move not in MOVES:
        raise Http404
    action, success = MOVES[move]
    try:
        action(listing, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("cooperation:actor_listings", slug=listing.actor.slug)
