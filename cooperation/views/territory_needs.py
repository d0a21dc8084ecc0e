"""The needs of the territory: the public list and page, the inhabitant's form, the support
button, and the animators' review. Parse, call cooperation.services.territory_needs or a
QuerySet, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperation.forms.territory_needs import (
    TerritoryNeedDecideForm,
    TerritoryNeedFilterForm,
    TerritoryNeedForm,
)
from cooperation.models import Listing, TerritoryNeed, TerritoryNeedStatus
from cooperation.services import territory_needs as services
from directory.models import Network
from directory.permissions import can_animate
from ess_platform.lib.views import add_service_errors

NEEDS_PER_PAGE = 20


@require_GET
def territory_need_list(request):
    form = TerritoryNeedFilterForm(request.GET or None)
    needs = TerritoryNeed.objects.visible().select_related("commune", "network")
    sort = "supported"
    if form.is_valid():
        if form.cleaned_data["network"]:
            needs = needs.of_network(form.cleaned_data["network"])
        if form.cleaned_data["commune"]:
            needs = needs.in_commune(form.cleaned_data["commune"])
        sort = form.cleaned_data["sort"] or sort
    needs = needs.newest() if sort == "newest" else needs.most_supported()
    return render(
        request,
        "cooperation/territory_needs/list.html",
        {
            "form": form,
            "page": Paginator(needs, NEEDS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


def _need(request, need_id: int) -> TerritoryNeed:
    """A need anyone may read; a hidden one only its network's animators (to restore it)."""
    need = get_object_or_404(
        TerritoryNeed.objects.with_support_count()
        .with_support_of(request.user)
        .select_related("commune", "network", "listing"),
        pk=need_id,
    )
    if need.status == TerritoryNeedStatus.HIDDEN and not can_animate(request.user, need.network_id):
        raise Http404
    return need


@require_GET
def territory_need_detail(request, need_id: int):
    need = _need(request, need_id)
    # The network's need is linked once its structure has published it, for those who
    # may see it (a members-only listing stays hidden from others).
    listing = None
    if need.listing_id:
        listing = Listing.objects.live().visible_to(request.user).filter(pk=need.listing_id).first()
    return render(
        request,
        "cooperation/territory_needs/detail.html",
        {
            "need": need,
            "listing": listing,
            "animator": can_animate(request.user, need.network_id),
        },
    )


@login_required
def territory_need_create(request):
    form = TerritoryNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.territory_need_post(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Besoin publié : faites-le connaître, l'équipe d'animation du réseau le lira."),
            )
            return redirect("cooperation:territory_need_detail", need_id=need.pk)
    return render(request, "cooperation/territory_needs/form.html", {"form": form})


def _support_move(request, need_id: int, *, support: bool):
    need = _need(request, need_id)
    try:
        if support:
            services.territory_need_support(need=need, by=request.user)
        else:
            services.territory_need_unsupport(need=need, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Merci pour votre soutien.") if support else _("Soutien retiré.")
        )
    return redirect("cooperation:territory_need_detail", need_id=need.pk)


@login_required
@require_POST
def territory_need_support(request, need_id: int):
    return _support_move(request, need_id, support=True)


@login_required
@require_POST
def territory_need_unsupport(request, need_id: int):
    return _support_move(request, need_id, support=False)


def _animated(request, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    if not can_animate(request.user, network):
        raise PermissionDenied
    return network


STATUS_FILTERS = [status.value for status in TerritoryNeedStatus]


@login_required
@require_GET
def territory_need_review(request, network_slug: str):
    """The network's needs, most supported first, by state (open ones by default)."""
    network = _animated(request, network_slug)
    status = request.GET.get("etat", TerritoryNeedStatus.OPEN)
    if status not in STATUS_FILTERS:
        status = TerritoryNeedStatus.OPEN
    needs = (
        TerritoryNeed.objects.of_network(network)
        .filter(status=status)
        .most_supported()
        .select_related("commune")
    )
    return render(
        request,
        "cooperation/territory_needs/review.html",
        {
            "network": network,
            "status": status,
            "statuses": TerritoryNeedStatus.choices,
            "page": Paginator(needs, NEEDS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@login_required
def territory_need_decide(request, network_slug: str, need_id: int):
    network = _animated(request, network_slug)
    need = get_object_or_404(
        TerritoryNeed.objects.with_support_count().select_related("commune"),
        pk=need_id,
        network=network,
    )
    form = TerritoryNeedDecideForm(request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.territory_need_decide(
                need=need,
                by=request.user,
                status=data["status"],
                outcome=data["outcome"],
                actor=data["actor"],
                nature=data["nature"],
                mode=data["mode"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if data["status"] == TerritoryNeedStatus.LISTING:
                messages.success(
                    request,
                    _("Brouillon de besoin créé pour la structure : à compléter et publier."),
                )
            else:
                messages.success(request, _("Suite enregistrée ; ses soutiens en sont prévenus."))
            return redirect("cooperation:territory_need_review", network_slug=network.slug)
    return render(
        request,
        "cooperation/territory_needs/decide.html",
        {"network": network, "need": need, "form": form},
    )
