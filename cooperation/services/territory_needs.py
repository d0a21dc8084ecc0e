"""Needs of the territory: a signed-in inhabitant posts one ("une recyclerie à Rezé"), in
the network whose territory holds its commune; others support it (one support per person);
the network's animators turn the most supported into a project of the network or a need of
one of its structures, or hide it (off topic, abuse), and the author and supporters are told.

What may follow what is the table below; a decision is claimed with a conditional update
(ess_platform.lib.states), so two animators deciding at once apply one decision.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Listing, Support, TerritoryNeed, TerritoryNeedStatus
from cooperation.services.listings import listing_create
from directory.models import Actor, Status
from directory.permissions import can_animate
from directory.services.actors import network_for_commune
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe
from ess_platform.lib.states import claim_move

T = TerritoryNeedStatus
EMAILS = "cooperation/territory_needs/emails"
# An inhabitant posts at most this many needs in 24 hours (a robot or a flood otherwise).
POSTS_PER_DAY = 5
# A hidden need may be restored; a project may still become a need of the network.
TRANSITIONS: dict[str, set[str]] = {
    T.OPEN: {T.PROJECT, T.LISTING, T.HIDDEN},
    T.PROJECT: {T.LISTING, T.HIDDEN},
    T.LISTING: {T.HIDDEN},
    T.HIDDEN: {T.OPEN},
}
POSTED_FIELDS = ("title", "description", "commune")


def _url(need: TerritoryNeed) -> str:
    return absolute_url(reverse("cooperation:territory_need_detail", args=[need.pk]))


@transaction.atomic
def territory_need_post(*, data: dict, by: AbstractBaseUser) -> TerritoryNeed:
    """Any signed-in person posts a need in the network of its commune; the network's
    animators read it in their daily digest."""
    if not by.is_authenticated:
        raise PermissionDenied
    unknown = set(data) - set(POSTED_FIELDS)
    if unknown:
        raise ValueError(f"not postable: {sorted(unknown)}")
    # Lock the author's row: two posts at once cannot both pass the count.
    get_user_model().objects.select_for_update().only("pk").get(pk=by.pk)
    since = timezone.now() - timedelta(days=1)
    if TerritoryNeed.objects.posted_by_since(by, since).count() >= POSTS_PER_DAY:
        raise ValidationError(
            _(
                "Vous avez déjà proposé %(count)s besoins du territoire en 24 heures : "
                "revenez demain."
            )
            % {"count": POSTS_PER_DAY}
        )
    need = TerritoryNeed(author=by, **data)
    if need.commune_id is None:
        raise ValidationError({"commune": _("Indiquez la commune concernée.")})
    need.network = network_for_commune(need.commune)
    need.full_clean()
    need.save()
    today = timezone.localdate()
    for email in need.network.animator_emails():
        owe(
            key=f"cooperation.territory_need.posted:{need.pk}:{email}",
            to=[email],
            template=f"{EMAILS}/posted",
            context={
                "need": need,
                "url": absolute_url(
                    reverse("cooperation:territory_need_review", args=[need.network.slug])
                ),
            },
            digest_day=today,
        )
    return need


def _supportable(need: TerritoryNeed) -> None:
    if need.status != T.OPEN:
        raise ValidationError(_("Ce besoin a déjà reçu une suite : les soutiens sont clos."))


@transaction.atomic
def territory_need_support(*, need: TerritoryNeed, by: AbstractBaseUser) -> bool:
    """One support per person (a second click changes nothing). True when it was new."""
    if not by.is_authenticated:
        raise PermissionDenied
    need = TerritoryNeed.objects.select_for_update().get(pk=need.pk)
    _supportable(need)
    _, created = Support.objects.get_or_create(need=need, user=by)
    return created


@transaction.atomic
def territory_need_unsupport(*, need: TerritoryNeed, by: AbstractBaseUser) -> bool:
    if not by.is_authenticated:
        raise PermissionDenied
    need = TerritoryNeed.objects.select_for_update().get(pk=need.pk)
    _supportable(need)
    return Support.objects.filter(need=need, user=by).delete()[0] > 0


@transaction.atomic
def territory_need_decide(
    *,
    need: TerritoryNeed,
    by: AbstractBaseUser,
    status: str,
    outcome: str = "",
    actor: Actor | None = None,
    nature: str = "",
    mode: str = "",
) -> TerritoryNeed:
    """The network's animators decide what the need becomes:
    - `project`: a project of the network, `outcome` saying what and how to take part;
    - `listing`: a need of the network, drafted as a listing of `actor` (a published
      structure of the network the animators chose), with `nature` and `mode`, for its
      members to complete and publish;
    - `hidden`: off topic or abusive, out of the lists (`open` restores it).
    The author and the supporters are e-mailed a project or a listing; the author alone a
    hidden need."""
    if not can_animate(by, need.network_id):
        raise PermissionDenied
    if status not in T.values:
        raise ValidationError({"status": _("Choisissez une suite.")})
    need = TerritoryNeed.objects.select_for_update().select_related("commune").get(pk=need.pk)
    outcome = outcome.strip()
    fields: dict = {"outcome": outcome}
    if status == T.PROJECT and not outcome:
        raise ValidationError({"outcome": _("Dites ce que devient le projet, pour ses soutiens.")})
    if status == T.LISTING:
        if actor is None:
            raise ValidationError({"actor": _("Choisissez la structure qui portera ce besoin.")})
        if actor.network_id != need.network_id or actor.status != Status.PUBLISHED:
            raise ValidationError(
                {"actor": _("Choisissez une structure publiée du réseau de ce besoin.")}
            )
        # Drafted first, under the lock: if the move below is refused, the transaction
        # takes the draft back with it.
        fields["listing"] = _draft_listing(need, by=by, actor=actor, nature=nature, mode=mode)
    claim_move(
        need, to=status, transitions=TRANSITIONS, noun=_("Un besoin du territoire"), **fields
    )
    if status != T.OPEN:
        _tell_outcome(need)
    return need


def _draft_listing(
    need: TerritoryNeed, *, by: AbstractBaseUser, actor: Actor, nature: str, mode: str
) -> Listing:
    description = _(
        "%(description)s\n\nBesoin exprimé par des habitants du territoire (%(commune)s)."
    ) % {"description": need.description, "commune": need.commune.name}
    return listing_create(
        actor=actor,
        by=by,
        data={
            "kind": "need",
            "nature": nature,
            "mode": mode,
            "title": need.title,
            "description": description,
            "commune": need.commune,
        },
        publish=False,
    )


def _tell_outcome(need: TerritoryNeed) -> None:
    users = {need.author} if need.author else set()
    if need.status != T.HIDDEN:
        users |= {support.user for support in need.supports.select_related("user")}
    context = {"need": need, "url": _url(need)}
    for user in users:
        if user.is_active and user.email:
            owe(
                key=f"cooperation.territory_need.outcome:{need.pk}:{need.status}:{user.pk}",
                to=[user.email],
                template=f"{EMAILS}/outcome",
                context={**context, "is_author": user == need.author},
            )
