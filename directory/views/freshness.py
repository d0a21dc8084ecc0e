"""The one-click links of the freshness reminders (directory.services.freshness)."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from directory.models import Actor
from directory.services import freshness
from ess_platform.lib.signed_links import InvalidLink


def _invalid_link(request, actor: Actor, error: InvalidLink):
    """A forged, expired or misdirected link: a clear page, nothing done (400, not 500)."""
    return render(
        request,
        "directory/freshness/link_invalid.html",
        {"actor": actor, "expired": error.reason == "expired"},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def freshness_confirm(request, slug: str, token: str):
    """ "C'est toujours exact": a GET only shows the profile and ONE button; the POST
    confirms. Mail scanners and link previews fetch the links of an e-mail on their own, so
    a GET must never confirm anything. No sign-in needed: the signed link is the proof that
    the person received the reminder; it names the actor, the cycle and the action, expires
    (FRESHNESS_LINK_MAX_AGE_DAYS) and is void once that cycle was confirmed."""
    actor = get_object_or_404(
        Actor.objects.published().select_related("commune", "network"), slug=slug
    )
    try:
        claim = freshness.read_link(token=token, actor=actor, action=freshness.CONFIRM)
    except InvalidLink as error:
        return _invalid_link(request, actor, error)
    already = freshness.cycle_of(actor.last_confirmed_at) != claim.cycle
    if request.method == "POST" and not already:
        already = not freshness.confirm_from_link(actor=actor, claim=claim, by=request.user)
        actor.refresh_from_db(fields=["last_confirmed_at", "freshness"])
    elif not already:
        return render(request, "directory/freshness/confirm.html", {"actor": actor})
    context = {"actor": actor, "already": already}
    return render(request, "directory/freshness/confirm_done.html", context)


@never_cache
def freshness_update(request, slug: str, token: str):
    """ "Mettre à jour": the profile form, through sign-in. The link never grants editing by
    itself: the form's own rights apply once signed in."""
    actor = get_object_or_404(Actor.objects.published(), slug=slug)
    try:
        freshness.read_link(token=token, actor=actor, action=freshness.UPDATE)
    except InvalidLink as error:
        return _invalid_link(request, actor, error)
    edit_url = reverse("directory:actor_edit", kwargs={"slug": actor.slug})
    if not request.user.is_authenticated:
        return redirect_to_login(edit_url)
    return redirect(edit_url)
