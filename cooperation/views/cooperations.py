"""The evidence of cooperation's pages: fulfil a listing with partners, the cooperation's
page (the partner confirms or contests it, each side evaluates it and chooses whether it
shows), a structure's cooperations, and the animators' impact dashboard with its CSV.
Writes: cooperation.services.cooperations (and listing_fulfil)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperation import dashboard
from cooperation.forms.cooperations import DeclineForm, EvaluationForm, FulfilForm
from cooperation.models import Cooperation, CooperationStatus, Evaluation, Listing
from cooperation.permissions import can_edit_listing
from cooperation.services import cooperations as services
from cooperation.services.listings import listing_fulfil as fulfil
from directory.models import Actor
from directory.permissions import animated_networks, can_edit_actor
from ess_platform.lib.exports import CSV_CONTENT_TYPE, export_filename
from ess_platform.lib.views import add_service_errors

COOPERATIONS_PER_PAGE = 20
RECENT_ON_DASHBOARD = 20
CSV_FILENAME_PREFIX = "cooperations"


@login_required
@require_POST
def listing_fulfil(request, listing_id: int):
    """The owner names the partner structures: the listing is fulfilled and each partner
    is asked to confirm the cooperation. Errors come back as a message on the listing."""
    listing = get_object_or_404(Listing.objects.select_related("actor"), pk=listing_id)
    if not can_edit_listing(request.user, listing):
        raise PermissionDenied
    form = FulfilForm(request.POST, listing=listing)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cooperation:listing_detail", listing_id=listing.pk)
    try:
        fulfil(listing=listing, by=request.user, partners=form.cleaned_data["partner_list"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Annonce satisfaite : chaque partenaire est invité à confirmer la coopération."),
        )
    return redirect("cooperation:listing_detail", listing_id=listing.pk)


def _cooperation_for(request, cooperation_id: int) -> Cooperation:
    """A cooperation for the members of its two sides and the animators of their networks;
    a 404 to anyone else, which says nothing of it."""
    return get_object_or_404(
        Cooperation.objects.visible_to(request.user).with_sides(), pk=cooperation_id
    )


def _side_for(request, cooperation: Cooperation) -> Actor:
    """The side a member acts for, from the form (a person may belong to both)."""
    actor_id = request.POST.get("actor", "")
    for actor in (cooperation.owner, cooperation.partner):
        if str(actor.pk) == actor_id and services.is_member(request.user, actor):
            return actor
    raise PermissionDenied


def _sides(request, cooperation: Cooperation, *, posted: EvaluationForm | None, posted_for=None):
    """Each side as the page shows it: its evaluation, whether it shows the cooperation,
    and the form when `request.user` acts for it."""
    evaluations = {e.actor_id: e for e in Evaluation.objects.filter(cooperation=cooperation)}
    sides = []
    for actor, shown in (
        (cooperation.owner, cooperation.shown_by_owner),
        (cooperation.partner, cooperation.shown_by_partner),
    ):
        evaluation = evaluations.get(actor.pk)
        acts = services.is_member(request.user, actor)
        form = None
        if acts and cooperation.status == CooperationStatus.CONFIRMED:
            form = (
                posted
                if posted_for is not None and posted_for.pk == actor.pk
                else EvaluationForm(instance=evaluation, prefix=f"side{actor.pk}")
            )
        sides.append(
            {"actor": actor, "evaluation": evaluation, "shown": shown, "acts": acts, "form": form}
        )
    return sides


@login_required
def cooperation_detail(request, cooperation_id: int):
    """GET shows; POST saves the evaluation of the side named in the form."""
    cooperation = _cooperation_for(request, cooperation_id)
    posted, posted_for = None, None
    if request.method == "POST":
        posted_for = _side_for(request, cooperation)
        evaluation = Evaluation.objects.filter(cooperation=cooperation, actor=posted_for).first()
        posted = EvaluationForm(request.POST, instance=evaluation, prefix=f"side{posted_for.pk}")
        if posted.is_valid():
            try:
                services.evaluation_save(
                    cooperation=cooperation,
                    actor=posted_for,
                    data=posted.data_for_service(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(posted, error)
            else:
                messages.success(request, _("Évaluation enregistrée."))
                return redirect("cooperation:cooperation_detail", cooperation_id=cooperation.pk)
    return render(
        request,
        "cooperation/cooperations/detail.html",
        {
            "cooperation": cooperation,
            "sides": _sides(request, cooperation, posted=posted, posted_for=posted_for),
            "can_answer": cooperation.status == CooperationStatus.PROPOSED
            and services.is_member(request.user, cooperation.partner),
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def cooperation_confirm(request, cooperation_id: int):
    cooperation = _cooperation_for(request, cooperation_id)
    try:
        services.cooperation_confirm(cooperation=cooperation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Coopération confirmée : merci !"))
    return redirect("cooperation:cooperation_detail", cooperation_id=cooperation.pk)


@login_required
@require_POST
def cooperation_decline(request, cooperation_id: int):
    cooperation = _cooperation_for(request, cooperation_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect("cooperation:cooperation_detail", cooperation_id=cooperation.pk)
    try:
        services.cooperation_decline(
            cooperation=cooperation, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Coopération contestée : la structure en est informée."))
    return redirect("cooperation:cooperation_detail", cooperation_id=cooperation.pk)


@login_required
@require_POST
def cooperation_visibility(request, cooperation_id: int):
    cooperation = _cooperation_for(request, cooperation_id)
    actor = _side_for(request, cooperation)
    shown = request.POST.get("shown") == "1"
    services.cooperation_visibility_set(
        cooperation=cooperation, actor=actor, shown=shown, by=request.user
    )
    messages.success(
        request,
        _("Votre structure affiche cette coopération sur sa page.")
        if shown
        else _("Votre structure n'affiche plus cette coopération."),
    )
    return redirect("cooperation:cooperation_detail", cooperation_id=cooperation.pk)


@login_required
@require_GET
def actor_cooperations(request, slug: str):
    """A structure's cooperations in every state, for its members and its animators."""
    actor = get_object_or_404(Actor.objects.select_related("network"), slug=slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied
    cooperations = Cooperation.objects.of_actor(actor).with_sides()
    return render(
        request,
        "cooperation/cooperations/mine.html",
        {
            "actor": actor,
            "page": Paginator(cooperations, COOPERATIONS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
        },
    )


def _network(request, network_slug: str):
    # Another network's animator gets a 404: they do not learn the network's figures.
    return get_object_or_404(animated_networks(request.user), slug=network_slug)


@login_required
@require_GET
def network_cooperations(request, network_slug: str):
    """The impact dashboard: confirmed cooperations per month, filière and nature."""
    network = _network(request, network_slug)
    recent = dashboard.network_cooperations(network).with_sides().order_by("-happened_on", "-pk")
    return render(
        request,
        "cooperation/cooperations/network.html",
        {
            "network": network,
            "figures": dashboard.cooperation_figures(network),
            "recent": recent[:RECENT_ON_DASHBOARD],
        },
    )


@login_required
@require_GET
def network_cooperations_csv(request, network_slug: str):
    network = _network(request, network_slug)
    response = StreamingHttpResponse(dashboard.network_csv(network), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=export_filename(prefix=f"{CSV_FILENAME_PREFIX}-{network.slug}", extension="csv"),
    )
    return response
