"""The evidence of cooperation: a listing fulfilled with a partner structure becomes a
cooperation once the partner confirms it; each side may add a short evaluation, and both
choose whether it shows on their public pages. The animators count them per month,
filière and nature (cooperation.dashboard)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Actor

from .listings import Listing


class CooperationStatus(models.TextChoices):
    PROPOSED = "proposed", _("À confirmer par le partenaire")
    CONFIRMED = "confirmed", _("Confirmée")
    DECLINED = "declined", _("Contestée par le partenaire")


class CooperationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=CooperationStatus.CONFIRMED)

    def of_actor(self, actor: Actor):
        return self.filter(Q(owner=actor) | Q(partner=actor))

    def shown_publicly(self):
        """Confirmed ones both sides agreed to show on their pages."""
        return self.confirmed().filter(shown_by_owner=True, shown_by_partner=True)

    def in_network(self, network):
        return self.filter(Q(owner__network=network) | Q(partner__network=network))


class Cooperation(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="cooperations")
    owner = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    # Copied from the listing when it was fulfilled: the evidence stays as it was.
    nature = models.CharField(_("nature"), max_length=16)
    happened_on = models.DateField(_("date"))
    status = models.CharField(
        _("état"), max_length=10, choices=CooperationStatus.choices, default="proposed"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shown_by_owner = models.BooleanField(_("affichée par la structure"), default=True)
    shown_by_partner = models.BooleanField(_("affichée par le partenaire"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CooperationQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("coopération")
        verbose_name_plural = _("coopérations")
        constraints = [
            models.UniqueConstraint(fields=["listing", "partner"], name="cooperation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} × {self.partner}"


class Evaluation(models.Model):
    """One side's short evaluation of a cooperation."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="evaluations"
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    brought = models.TextField(_("ce que cela a apporté"), max_length=2000, blank=True)
    would_do_again = models.BooleanField(_("à refaire"), null=True)
    quantity = models.CharField(_("quantité échangée"), max_length=120, blank=True)
    value_eur = models.DecimalField(
        _("valeur (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("heures partagées"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    jobs = models.DecimalField(
        _("emplois partagés (ETP)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "actor"], name="evaluation_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.cooperation} · {self.actor}"
