"""Joint needs (group purchasing, the seeds' groupements d'achats): other structures — and,
where the network's animators opened it to them, registered inhabitants — join a need
with their own quantity until it closes; the owner sees the total and who joined."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from directory.models import Actor

from .listings import Listing


class JointParticipationQuerySet(models.QuerySet):
    def of_listing(self, listing: Listing):
        return self.filter(listing=listing)

    def total_quantity(self):
        return self.aggregate(total=Sum("quantity"))["total"] or 0


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
