"""HTML views of the directory: parse, call a service or a QuerySet, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from directory import notifications, services
from directory.filters import ActorFilterSet
from directory.forms import ActorForm, InvitationForm, JoinRequestForm
from directory.jsonld import actor_jsonld
from directory.map_clusters import published_total
from directory.models import (
    Actor,
    Commune,
    CorrectionReport,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    Sector,
    Status,
)
from directory.pagination import RankedSearchPaginator
from directory.permissions import can_edit_actor, can_manage_members, is_animator_of

LIST_PAGE_SIZE = 20
RADIUS_CHOICES = [2, 5, 10, 20, 50]


def _is_htmx(request) -> bool:
    """A partial swap, not htmx restoring a whole page from history (Back button)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
def home(request):
    """The map beside a searchable list; both show the same filtered result set."""
    filterset = ActorFilterSet(
        request.GET, queryset=Actor.objects.published().for_listing(), request=request
    )
    if not filterset.is_valid():
        actors = Actor.objects.none()
    elif filterset.narrows:
        actors = filterset.qs
    else:
        actors = filterset.qs.with_known_count(published_total())
    page = RankedSearchPaginator(actors, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "filieres": Sector.objects.filieres().prefetch_related("children"),
        "territory_communes": Commune.objects.in_territories(),
        "radius_choices": RADIUS_CHOICES,
        "map_labels": {
            "seeActor": _("Voir la fiche"),
            "stale": _("Informations possiblement obsolètes"),
            "clusterTitle": _("%(count)s acteurs : zoomer"),
            "locating": _("Localisation en cours…"),
            "located": _("Résultats autour de votre position."),
            "locateError": _("Votre position n'a pas pu être obtenue."),
            "mapError": _("La carte n'a pas pu être chargée."),
        },
    }
    template = "directory/includes/results.html" if _is_htmx(request) else "directory/home.html"
    response = render(request, template, context)
    # One URL, two bodies: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@cache_control(max_age=300, public=True)
def sector_styles(request):
    """Filière colours as CSS classes: colours are data (editable in the admin), and a strict
    Content-Security-Policy forbids inline styles."""
    rules = [
        f".filiere-{s.slug} {{ background-color: {s.colour}; }}" for s in Sector.objects.filieres()
    ]
    return HttpResponse("\n".join(rules), content_type="text/css; charset=utf-8")


@require_GET
def actor_detail(request, slug: str):
    actor = get_object_or_404(
        Actor.objects.select_related("commune", "network").prefetch_related("sectors__parent"),
        slug=slug,
    )
    can_edit = can_edit_actor(request.user, actor)
    if actor.status != Status.PUBLISHED and not can_edit:
        raise Http404
    return render(
        request,
        "directory/actor_detail.html",
        {"actor": actor, "can_edit": can_edit, "jsonld": actor_jsonld(actor, request)},
    )


@login_required
@require_GET
def my_actors(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("actor__commune")
        .annotate(
            open_reports=Count(
                "actor__correction_reports",
                filter=Q(actor__correction_reports__state=CorrectionReport.State.OPEN),
            )
        )
        .order_by("actor__name")
    )
    managed = [m.actor for m in memberships if m.role == "owner"]
    join_requests = JoinRequest.objects.filter(
        actor__in=managed, state=JoinRequest.State.PENDING
    ).select_related("actor", "user")
    my_requests = JoinRequest.objects.filter(user=request.user).select_related("actor")[:20]
    return render(
        request,
        "directory/my_actors.html",
        {"memberships": memberships, "join_requests": join_requests, "my_requests": my_requests},
    )


@login_required
def actor_create(request):
    form = ActorForm(request.POST or None, request.FILES or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = list(
            services.find_duplicates(
                name=form.cleaned_data["name"],
                commune=form.cleaned_data["commune"],
                siret=form.cleaned_data["siret"],
            )
        )
        if not duplicates or request.POST.get("confirm_new") == "1":
            try:
                actor = services.actor_create(
                    by=request.user, data=form.service_data(), sectors=form.cleaned_data["sectors"]
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                _location_message(request, actor)
                messages.success(
                    request,
                    _("La fiche est créée en brouillon. Complétez-la puis soumettez-la au réseau."),
                )
                return redirect("directory:actor_edit", slug=actor.slug)
    return render(
        request,
        "directory/actor_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


def _location_message(request, actor: Actor) -> None:
    if getattr(actor, "location_source", None) == "commune":
        messages.warning(
            request,
            _(
                "L'adresse n'a pas pu être localisée : le repère est placé au centre de la "
                "commune. Déplacez-le sur la carte pour le corriger."
            ),
        )


@login_required
@require_GET
def duplicate_check(request):
    """htmx: structures that may already exist, shown while the person types."""
    commune = Commune.objects.filter(pk=request.GET.get("commune") or None).first()
    duplicates = services.find_duplicates(
        name=request.GET.get("name", "")[:200],
        commune=commune,
        siret=request.GET.get("siret", "")[:20],
    )
    return render(request, "directory/includes/duplicates.html", {"duplicates": duplicates})


def _editable_actor(request, slug: str) -> Actor:
    actor = get_object_or_404(Actor, slug=slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied
    return actor


@login_required
def actor_edit(request, slug: str):
    actor = _editable_actor(request, slug)
    form = ActorForm(request.POST or None, request.FILES or None, instance=actor)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_update(
                actor=Actor.objects.get(pk=actor.pk),
                by=request.user,
                data=form.service_data(),
                sectors=form.cleaned_data["sectors"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            _location_message(request, actor)
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("directory:actor_edit", slug=actor.slug)
    return render(request, "directory/actor_form.html", {"form": form, "actor": actor})


@login_required
@require_POST
def actor_validate(request):
    """htmx live validation: re-render one field of the profile form with its errors."""
    field_name = request.headers.get("HX-Trigger-Name", "")
    form = ActorForm(request.POST, request.FILES)
    if field_name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()
    return render(request, "directory/includes/field.html", {"field": form[field_name]})


@login_required
@require_POST
def actor_submit(request, slug: str):
    actor = _editable_actor(request, slug)
    try:
        services.actor_submit(actor=actor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La fiche est soumise à l'équipe d'animation du réseau."))
    return redirect("directory:my_actors")


@login_required
@require_POST
def actor_confirm(request, slug: str):
    actor = _editable_actor(request, slug)
    services.actor_confirm(actor=actor, by=request.user)
    messages.success(
        request,
        _("Merci ! Les informations de « %(name)s » sont confirmées.") % {"name": actor.name},
    )
    return redirect("directory:my_actors")


@login_required
def actor_members(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not can_manage_members(request.user, actor):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=actor, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("L'invitation est envoyée."))
            return redirect("directory:actor_members", slug=actor.slug)
    context = {
        "actor": actor,
        "form": form,
        "memberships": actor.memberships.select_related("user").order_by("created_at"),
        "invitations": actor.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
        "join_requests": actor.join_requests.filter(state=JoinRequest.State.PENDING).select_related(
            "user"
        ),
    }
    return render(request, "directory/actor_members.html", context)


@login_required
def join_request_create(request, slug: str):
    actor = get_object_or_404(Actor.objects.published(), slug=slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                actor=actor, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Votre demande est envoyée aux responsables de la fiche et au réseau.")
            )
            return redirect("directory:my_actors")
    return render(request, "directory/join_request_form.html", {"actor": actor, "form": form})


@login_required
@require_POST
def join_request_decide(request, pk: int):
    join_request = get_object_or_404(JoinRequest.objects.select_related("actor"), pk=pk)
    if not can_manage_members(request.user, join_request.actor):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    try:
        services.join_request_decide(join_request=join_request, by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Demande acceptée.") if accept else _("Demande refusée."))
    return redirect(_next_url(request, default="directory:my_actors"))


def _next_url(request, *, default: str) -> str:
    """The page the form came from (`next`), if it is on this site; else `default`."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default)


@login_required
def invitation_accept(request, token: str):
    try:
        invitation = notifications.invitation_from_token(token)
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise Http404 from None
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            messages.error(
                request,
                _("Cette invitation a été envoyée à une autre adresse e-mail que la vôtre."),
            )
        else:
            messages.success(request, _("Vous pouvez maintenant mettre à jour cette fiche."))
            return redirect("directory:my_actors")
    return render(request, "directory/invitation_accept.html", {"invitation": invitation})


@login_required
@require_GET
def review_list(request):
    """The animator's queue of profiles awaiting publication, in their own networks only."""
    networks = Network.objects.filter(animators=request.user)
    if not networks and not request.user.is_superuser:
        raise PermissionDenied
    actors = (
        Actor.objects.filter(network__in=networks, status=Status.PENDING)
        .select_related("commune")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
        .order_by("updated_at")
    )
    page = Paginator(actors, 50).get_page(request.GET.get("page"))
    join_requests = (
        JoinRequest.objects.filter(actor__network__in=networks, state=JoinRequest.State.PENDING)
        .select_related("actor", "user")
        .order_by("created_at")[:100]
    )
    return render(
        request,
        "directory/review_list.html",
        {"page": page, "networks": networks, "join_requests": join_requests},
    )


@login_required
@require_POST
def actor_set_status(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not (request.user.is_superuser or is_animator_of(request.user, actor.network_id)):
        raise Http404  # animators of other networks do not learn it exists
    status = request.POST.get("status")
    if status not in {Status.PUBLISHED, Status.DRAFT, Status.SUSPENDED, Status.ARCHIVED}:
        return HttpResponse(status=400)
    try:
        services.actor_set_status(actor=actor, by=request.user, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_next_url(request, default="directory:review_list"))
    messages.success(
        request,
        _("« %(name)s » : %(status)s.") % {"name": actor.name, "status": Status(status).label},
    )
    return redirect(_next_url(request, default="directory:review_list"))
