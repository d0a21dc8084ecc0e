"""HTML views of the directory: parse, call a service or a QuerySet, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from directory.filters import ActorFilterSet
from directory.forms.actors import ActorForm
from directory.jsonld import actor_jsonld
from directory.models import (
    Actor,
    Commune,
    CorrectionReport,
    JoinRequest,
    MapCell,
    Membership,
    Sector,
    Status,
)
from directory.permissions import animated_networks, can_edit_actor, is_animator
from directory.services import actors as services
from ess_platform.lib.pagination import RankedSearchPaginator
from ess_platform.lib.views import add_service_errors, is_htmx

LIST_PAGE_SIZE = 20
RADIUS_CHOICES = [2, 5, 10, 20, 50]
DUPLICATES_SHOWN = 5


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
        actors = filterset.qs.with_known_count(MapCell.objects.published_total())
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
            "clusterTitle": _("%(count)s acteurs : zoomer"),
            "locating": _("Localisation en cours…"),
            "located": _("Résultats autour de votre position."),
            "locateError": _("Votre position n'a pas pu être obtenue."),
            "mapError": _("La carte n'a pas pu être chargée."),
        },
    }
    template = (
        "directory/actors/includes/results.html"
        if is_htmx(request)
        else "directory/actors/home.html"
    )
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
        "directory/actors/detail.html",
        {"actor": actor, "can_edit": can_edit, "jsonld": actor_jsonld(actor, request)},
    )


@login_required
@require_GET
def landing(request):
    """Where signing in leads (LOGIN_REDIRECT_URL): the person's structures, or, for an
    animator who acts for none, the dashboard of their network (the list of their networks'
    review queue when they animate several)."""
    if not Membership.objects.filter(user=request.user).exists():
        networks = list(animated_networks(request.user)[:2])
        if len(networks) == 1:
            return redirect("directory:workspace_dashboard", network_slug=networks[0].slug)
        if networks:
            return redirect("directory:review_list")
    return redirect("directory:my_actors")


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
        "directory/actors/mine.html",
        {"memberships": memberships, "join_requests": join_requests, "my_requests": my_requests},
    )


@login_required
def actor_create(request):
    form = ActorForm(request.POST or None, request.FILES or None)
    duplicates = []
    siret_holder = None
    if request.method == "POST" and form.is_valid():
        duplicates = list(
            Actor.objects.possible_duplicates(
                name=form.cleaned_data["name"],
                commune=form.cleaned_data["commune"],
                siret=form.cleaned_data["siret"],
            )[:DUPLICATES_SHOWN]
        )
        if not duplicates or request.POST.get("confirm_new") == "1":
            try:
                actor = services.actor_create(
                    by=request.user, data=form.service_data(), sectors=form.cleaned_data["sectors"]
                )
            except ValidationError as error:
                siret_holder = _published_siret_holder(form, error)
                add_service_errors(form, error)
                if _siret_taken(error):
                    duplicates = []  # the SIRET settles it: no "create anyway" to offer
            else:
                _location_message(request, actor)
                messages.success(
                    request,
                    _("La fiche est créée en brouillon. Complétez-la puis soumettez-la au réseau."),
                )
                return redirect("directory:actor_edit", slug=actor.slug)
    return render(
        request,
        "directory/actors/form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "creating": True,
            "siret_holder": siret_holder,
        },
    )


def _siret_taken(error: ValidationError) -> bool:
    siret_errors = getattr(error, "error_dict", {}).get("siret", [])
    return any(e.code == "siret_taken" for e in siret_errors)


def _published_siret_holder(form, error: ValidationError) -> Actor | None:
    """The structure holding the SIRET the person typed, when it is public: the page offers
    its profile and its join request. A hidden one is never named nor hinted at. (Read
    before the error is added to the form, which takes the field out of cleaned_data.)"""
    if not _siret_taken(error):
        return None
    return Actor.objects.published().filter(siret=form.cleaned_data["siret"]).first()


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
    duplicates = Actor.objects.possible_duplicates(
        name=request.GET.get("name", "")[:200],
        commune=commune,
        siret=request.GET.get("siret", "")[:20],
    )[:DUPLICATES_SHOWN]
    return render(request, "directory/actors/includes/duplicates.html", {"duplicates": duplicates})


def _editable_actor(request, slug: str) -> Actor:
    actor = get_object_or_404(Actor, slug=slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied
    return actor


def actor_for_members(request, slug: str) -> Actor:
    """The actor whose private pages (reports, history) `request.user` may see: its members and its
    network's animators. An animator of another network gets a 404, as on the animator's
    pages; anyone else the 403 of the other member pages."""
    actor = get_object_or_404(Actor.objects.select_related("network"), slug=slug)
    if can_edit_actor(request.user, actor):
        return actor
    if is_animator(request.user):
        raise Http404
    raise PermissionDenied


@login_required
def actor_edit(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not can_edit_actor(request.user, actor):
        # Someone who acts for the structure but is not yet its member: the way in.
        return render(
            request,
            "directory/actors/not_a_member.html",
            {"actor": actor, "can_ask": actor.status == Status.PUBLISHED},
            status=403,
        )
    form = ActorForm(request.POST or None, request.FILES or None, instance=actor)
    changed_meanwhile = []
    siret_holder = None
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_update(
                actor=Actor.objects.get(pk=actor.pk),
                by=request.user,
                data=form.service_data(),
                sectors=form.cleaned_data["sectors"],
                expected_updated_at=form.cleaned_data["updated_at"],
            )
        except services.ChangedMeanwhile as error:
            # Their input stays in the form; once they have read what changed, the next
            # submit saves it.
            add_service_errors(form, error)
            form.renew_version(error.updated_at)
            changed_meanwhile = error.changes
        except ValidationError as error:
            siret_holder = _published_siret_holder(form, error)
            add_service_errors(form, error)
        else:
            _location_message(request, actor)
            messages.success(request, _("Les modifications sont enregistrées."))
            if actor.sent_to_review:
                messages.warning(
                    request,
                    _(
                        "La fiche dépend désormais du réseau « %(network)s » : elle n'apparaît "
                        "plus dans l'annuaire public jusqu'à ce que son équipe d'animation la "
                        "valide."
                    )
                    % {"network": actor.network.name},
                )
            return redirect("directory:actor_edit", slug=actor.slug)
    return render(
        request,
        "directory/actors/form.html",
        {
            "form": form,
            "actor": actor,
            "changed_meanwhile": changed_meanwhile,
            "siret_holder": siret_holder,
        },
    )


@login_required
@require_POST
def actor_validate(request):
    """htmx live validation: re-render one field of the profile form with its errors."""
    field_name = request.headers.get("HX-Trigger-Name", "")
    form = ActorForm(request.POST, request.FILES)
    if field_name not in form.fields:
        return HttpResponse(status=400)
    form.is_valid()
    return render(request, "directory/actors/includes/field.html", {"field": form[field_name]})


@login_required
@require_POST
def actor_confirm(request, slug: str):
    actor = _editable_actor(request, slug)
    try:
        services.actor_confirm(actor=actor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Merci ! Les informations de « %(name)s » sont confirmées.") % {"name": actor.name},
        )
    return redirect("directory:my_actors")
