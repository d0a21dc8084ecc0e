"""HTML views of members: the members page, join requests, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.forms.members import InvitationForm, JoinRequestForm
from directory.models import (
    Actor,
    Invitation,
    JoinRequest,
)
from directory.permissions import can_manage_members
from directory.services import members
from ess_platform.lib.signed_links import InvalidLink
from ess_platform.lib.views import add_service_errors, safe_next_url


@login_required
def actor_members(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not can_manage_members(request.user, actor):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.invitation_create(
                actor=actor, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
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
    return render(request, "directory/members/members.html", context)


@login_required
def join_request_create(request, slug: str):
    actor = get_object_or_404(Actor.objects.published(), slug=slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.join_request_create(
                actor=actor, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Votre demande est envoyée aux responsables de la fiche et au réseau.")
            )
            return redirect("directory:my_actors")
    return render(
        request, "directory/members/join_request_form.html", {"actor": actor, "form": form}
    )


@login_required
@require_POST
def join_request_decide(request, pk: int):
    join_request = get_object_or_404(JoinRequest.objects.select_related("actor"), pk=pk)
    if not can_manage_members(request.user, join_request.actor):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    try:
        members.join_request_decide(join_request=join_request, by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Demande acceptée.") if accept else _("Demande refusée."))
    return redirect(safe_next_url(request, default="directory:my_actors"))


@login_required
def invitation_accept(request, token: str):
    try:
        invitation = members.invitation_from_token(token)
    except (InvalidLink, Invitation.DoesNotExist):
        raise Http404 from None
    if request.method == "POST":
        try:
            members.invitation_accept(invitation=invitation, by=request.user)
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
    return render(request, "directory/members/invitation_accept.html", {"invitation": invitation})
