"""Joint needs (group purchasing, the seeds' groupements d'achats): other structures — and,
where the network's animators opened it to them, registered inhabitants — join a need
with their own quantity until it closes; the owner sees the total and who joined."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Membership, Status

from .listings import Listing


class JointParticipationQuerySet(models.QuerySet):
    def of_listing(self, listing: Listing):
        return self.filter(listing=listing)

    def total_quantity(self):
        return self.aggregate(total=Sum("quantity"))["total"] or 0

    def of_structures(self):
        return self.filter(actor__isnull=False)

    def of_inhabitants(self):
        return self.filter(actor__isnull=True)

    def of_user(self, user):
        """What `user` joined: as an inhabitant, or for a structure they are a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(actor__isnull=True, user=user) | Q(actor__memberships__user=user)
        ).distinct()

    def joint_total(self, listing: Listing) -> Decimal:
        """The quantity of the whole group: the owner's own, plus every participant's."""
        return (listing.quantity or Decimal(0)) + self.of_listing(listing).total_quantity()


def structures_that_may_join(listing: Listing, user):
    """The structures `user` may join `listing` for: published ones they are a member of,
    not the owner; for a members-only need, only those of the owner's network."""
    if not user.is_authenticated:
        return Actor.objects.none()
    actors = (
        Actor.objects.filter(memberships__user=user, status=Status.PUBLISHED)
        .exclude(pk=listing.actor_id)
        .distinct()
        .order_by("name")
    )
    if listing.visibility == "network":
        actors = actors.filter(network_id=listing.actor.network_id)
    return actors


class JointParticipation(models.Model):
    """One participant of a joint need: a structure (through one of its members), or an
    inhabitant (`actor` empty) when the need is open to inhabitants."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=2)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JointParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("participation à un besoin groupé")
        verbose_name_plural = _("participations à un besoin groupé")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "actor"],
                condition=Q(actor__isnull=False),
                name="joint_one_per_actor",
                violation_error_message=_("Cette structure participe déjà à ce besoin groupé."),
            ),
            models.UniqueConstraint(
                fields=["listing", "user"],
                condition=Q(actor__isnull=True),
                name="joint_one_per_inhabitant",
                violation_error_message=_("Vous participez déjà à ce besoin groupé."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="joint_quantity_positive",
                violation_error_message=_("La quantité doit être positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} · {self.actor or self.user} · {self.quantity}"


def may_join_as_inhabitant(listing: Listing, user) -> bool:
    """Where the animators opened the need to inhabitants: any signed-in person but the
    owner's own members (their structure's quantity is the listing's)."""
    return (
        listing.open_to_inhabitants
        and user.is_authenticated
        and not Membership.objects.filter(user=user, actor_id=listing.actor_id).exists()
    )
