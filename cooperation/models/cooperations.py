"""The evidence of cooperation: a listing fulfilled with a partner structure becomes a
cooperation once the partner confirms it; each side may add a short evaluation, and both
choose whether it shows on their public pages. The animators count them per month,
filière and nature (cooperation.dashboard)."""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Membership, Network

from .listings import Listing, Nature


class CooperationStatus(models.TextChoices):
    PROPOSED = "proposed", _("À confirmer par le partenaire")
    CONFIRMED = "confirmed", _("Confirmée")
    DECLINED = "declined", _("Contestée par le partenaire")


C = CooperationStatus
# Every allowed move: the partner confirms or contests a proposed cooperation, once. The
# services (cooperation.services.cooperations) claim the move with a conditional update.
TRANSITIONS: dict[str, set[str]] = {
    C.PROPOSED: {C.CONFIRMED, C.DECLINED},
    C.CONFIRMED: set(),
    C.DECLINED: set(),
}


class CooperationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=CooperationStatus.CONFIRMED)

    def of_actor(self, actor: Actor):
        return self.filter(Q(owner=actor) | Q(partner=actor))

    def shown_publicly(self):
        """Confirmed ones both sides agreed to show on their pages."""
        return self.confirmed().filter(shown_by_owner=True, shown_by_partner=True)

    def in_network(self, network):
        """Either side in the network. One row per cooperation (two foreign keys, no join
        that multiplies rows): a cooperation between two of its structures counts once."""
        return self.filter(Q(owner__network=network) | Q(partner__network=network))

    def of_listing(self, listing: Listing):
        return self.filter(listing=listing)

    def visible_to(self, user):
        """What `user` may read: the cooperations of the structures they are a member of,
        and of the structures of the networks they animate (every one for a superuser)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        actors = Membership.objects.filter(user=user).values("actor")
        animated = Network.objects.filter(animators=user).values("pk")
        return self.filter(
            Q(owner__in=actors)
            | Q(partner__in=actors)
            | Q(owner__network__in=animated)
            | Q(partner__network__in=animated)
        )

    def with_sides(self):
        return self.select_related("owner", "partner", "listing")

    def happened_between(self, first: date, last: date):
        return self.filter(happened_on__gte=first, happened_on__lte=last)

    def count_by_month(self) -> dict[date, int]:
        """{first day of the month: count}, each cooperation once."""
        rows = (
            self.order_by()
            .annotate(month=TruncMonth("happened_on"))
            .values("month")
            .annotate(count=Count("pk", distinct=True))
        )
        return {_as_date(row["month"]): row["count"] for row in rows}

    def count_by_nature(self) -> dict[str, int]:
        rows = self.order_by().values("nature").annotate(count=Count("pk", distinct=True))
        return {row["nature"]: row["count"] for row in rows}

    def count_by_filiere(self) -> dict[int | None, int]:
        """{filière id (None: no sector): count}. The filière of a listing's sector is its
        parent (or itself when the listing names a filière): a cooperation whose listing
        has two sectors of one filière counts once there, one with sectors of two filières
        counts in each."""
        rows = (
            self.order_by()
            .annotate(filiere=Coalesce("listing__sectors__parent_id", "listing__sectors__id"))
            .values("filiere")
            .annotate(count=Count("pk", distinct=True))
        )
        return {row["filiere"]: row["count"] for row in rows}


def _as_date(value: date | datetime) -> date:
    # TruncMonth of a DateField gives a date; some backends hand back a datetime.
    return value.date() if isinstance(value, datetime) else value


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
    # Shown on both structures' pages only when both agreed (opt-in: a cooperation
    # may come from a members-only listing).
    shown_by_owner = models.BooleanField(_("affichée par la structure"), default=False)
    shown_by_partner = models.BooleanField(_("affichée par le partenaire"), default=False)
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

    @property
    def nature_label(self) -> str:
        # A copy of the listing's nature, stored without choices: read with its label.
        return str(dict(Nature.choices).get(self.nature, self.nature))


class Evaluation(models.Model):
    """One side's short evaluation of a cooperation."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="evaluations"
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    brought = models.TextField(_("ce que cela a apporté"), max_length=2000, blank=True)
    would_do_again = models.BooleanField(_("à refaire"), null=True, blank=True)
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
