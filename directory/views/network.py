"""The animator's workspace: one dashboard per network, its bulk actions and its policy.

Scoped to the network's animators (and superusers): anyone else gets 404 on every page and
action, so an animator of another network does not even learn what exists here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from directory import charts, dashboard
from directory.forms.network import (
    LIST_CHANGES,
    LIST_CHASE,
    LIST_PENDING,
    LIST_REPORTS,
    LISTS,
    BulkAction,
    BulkActionForm,
    ChangeFilterForm,
    ChaseFilterForm,
    NetworkPolicyForm,
    PendingFilterForm,
    ReportFilterForm,
)
from directory.models import Actor, JoinRequest, Network, Status
from directory.permissions import animated_networks, can_animate
from directory.services import actors as services
from directory.services import freshness, history
from directory.services import network as network_services
from ess_platform.lib.views import add_service_errors, safe_next_url

PAGE_SIZE = 25
# The filter parameters each list understands (kept when coming back from a bulk action).
LIST_PARAMETERS = {"liste", "q", "sort", "freshness", "commune", "field", "source", "page"}

LIST_VIEWS = {
    LIST_CHASE: (ChaseFilterForm, dashboard.actors_to_chase),
    LIST_REPORTS: (ReportFilterForm, dashboard.open_reports),
    LIST_PENDING: (PendingFilterForm, dashboard.actors_awaiting_review),
    LIST_CHANGES: (ChangeFilterForm, dashboard.recent_changes),
}


def _network(request, network_slug: str) -> Network:
    return get_object_or_404(animated_networks(request.user), slug=network_slug)


# Where a redirect lands on the dashboard: back at the list (or the policy form) that was
# acted on, not at the top of the page 850 px above it.
LISTS_ANCHOR, POLICY_ANCHOR = "listes", "politique"


def _dashboard_url(network: Network, query: str = "", *, anchor: str = LISTS_ANCHOR) -> str:
    url = reverse("directory:workspace_dashboard", kwargs={"network_slug": network.slug})
    return f"{url}?{query}#{anchor}" if query else f"{url}#{anchor}"


def _list_query(raw: str) -> str:
    """Only the list's own parameters from a query string sent back by a form."""
    query = QueryDict(raw, mutable=True)
    for key in list(query):
        if key not in LIST_PARAMETERS:
            del query[key]
    return query.urlencode()


def _dashboard(request, network: Network, *, policy_form=None):
    current = request.GET.get("liste")
    current = current if current in LISTS else LIST_CHASE
    form_class, rows = LIST_VIEWS[current]
    filter_form = form_class(request.GET, network=network)
    page = Paginator(rows(network, **filter_form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if current == LIST_CHANGES:
        for change in page.object_list:
            change.lines = history.change_lines(change)
    elif current == LIST_REPORTS:
        for report in page.object_list:
            report.field_label = history.field_label(report.field)
    context = {
        "network": network,
        "figures": dashboard.network_figures(network),
        "chart": charts.freshness_trend_chart(dashboard.monthly_trend(network)),
        "counts": dashboard.open_counts(network),
        "current": current,
        "lists": LISTS,
        "filter_form": filter_form,
        "page": page,
        "bulk_actions": BulkAction.choices,
        "policy": network.freshness_policy(),
        "policy_form": policy_form or NetworkPolicyForm(instance=network),
    }
    return render(request, "directory/network/dashboard.html", context)


@login_required
@require_GET
def workspace_dashboard(request, network_slug: str):
    """The network at a glance, and the lists the animator works through."""
    return _dashboard(request, _network(request, network_slug))


@login_required
@require_POST
def workspace_bulk_action(request, network_slug: str):
    """Chase or archive the actors ticked in the list, after a confirmation page."""
    network = _network(request, network_slug)
    form = BulkActionForm(request.POST, network=network)
    back = _list_query(request.POST.get("back", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_dashboard_url(network, back))
    actors = form.cleaned_data["actors"]
    action = form.cleaned_data["action"]
    if not form.cleaned_data["confirm"]:
        return render(
            request,
            "directory/network/bulk_confirm.html",
            {
                "network": network,
                "action": action,
                "action_label": dict(BulkAction.choices)[action],
                "actors": actors.annotate(member_count=Count("memberships")),
                "back": back,
                "cancel_url": _dashboard_url(network, back),
            },
        )
    ids = [actor.pk for actor in actors]
    if action == BulkAction.ARCHIVE:
        count = network_services.bulk_archive(network=network, actor_ids=ids, by=request.user)
    else:
        count = freshness.remind_now(network=network, actor_ids=ids, by=request.user)
    _report_outcome(request, action=action, done=count, skipped=len(ids) - count)
    return redirect(_dashboard_url(network, back))


def _report_outcome(request, *, action: str, done: int, skipped: int) -> None:
    if action == BulkAction.ARCHIVE:
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)s fiche archivée : elle n'apparaît plus dans l'annuaire public.",
                    "%(count)s fiches archivées : elles n'apparaissent plus dans l'annuaire "
                    "public.",
                    done,
                )
                % {"count": done},
            )
        if skipped:
            messages.info(
                request,
                ngettext(
                    "%(count)s fiche était déjà archivée.",
                    "%(count)s fiches étaient déjà archivées.",
                    skipped,
                )
                % {"count": skipped},
            )
        return
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)s structure relancée : ses membres reçoivent un rappel.",
                "%(count)s structures relancées : leurs membres reçoivent un rappel.",
                done,
            )
            % {"count": done},
        )
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s structure n'a pas été relancée : déjà relancée aujourd'hui, sans "
                "membre, ou non publiée.",
                "%(count)s structures n'ont pas été relancées : déjà relancées aujourd'hui, "
                "sans membre, ou non publiées.",
                skipped,
            )
            % {"count": skipped},
        )


@login_required
@require_POST
def workspace_policy(request, network_slug: str):
    """The network's own freshness delays."""
    network = _network(request, network_slug)
    form = NetworkPolicyForm(request.POST, instance=Network.objects.get(pk=network.pk))
    if form.is_valid():
        try:
            network_services.network_update_policy(
                network=network, by=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La politique de fraîcheur du réseau est enregistrée."))
            return redirect(_dashboard_url(network, anchor=POLICY_ANCHOR))
    return _dashboard(request, network, policy_form=form)


@login_required
@require_GET
def review_list(request):
    """The profiles awaiting publication in every network the user animates (all of them
    for a superuser), with the same table as the dashboard's "attente" list."""
    networks = animated_networks(request.user)
    if not networks.exists():
        raise PermissionDenied(
            _(
                "Cette page est celle des équipes d'animation des réseaux : votre compte "
                "n'anime aucun réseau."
            )
        )
    actors = Actor.objects.filter(network__in=networks).awaiting_review()
    page = Paginator(actors, PAGE_SIZE).get_page(request.GET.get("page"))
    join_requests = (
        JoinRequest.objects.filter(actor__network__in=networks, state=JoinRequest.State.PENDING)
        .select_related("actor", "user")
        .order_by("created_at")[:100]
    )
    return render(
        request,
        "directory/network/review_list.html",
        {"page": page, "networks": networks, "join_requests": join_requests},
    )


@login_required
@require_POST
def actor_set_status(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not can_animate(request.user, actor.network_id):
        raise Http404  # animators of other networks do not learn it exists
    status = request.POST.get("status")
    if status not in {Status.PUBLISHED, Status.DRAFT, Status.SUSPENDED, Status.ARCHIVED}:
        return HttpResponse(status=400)
    try:
        services.actor_set_status(
            actor=actor,
            by=request.user,
            status=status,
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(safe_next_url(request, default="directory:review_list"))
    messages.success(
        request,
        _("« %(name)s » : %(status)s.") % {"name": actor.name, "status": Status(status).label},
    )
    return redirect(safe_next_url(request, default="directory:review_list"))
