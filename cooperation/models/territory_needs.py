"""Needs of the territory posted by registered inhabitants, not tied to a structure ("une
recyclerie à Rezé", "un garage solidaire"): others support them (one support per person),
and the network's animators turn the most supported into a project or a need of the
network — the seeds' "projets dormants" and "expression de nouveaux besoins"."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from directory.models import Commune, Network

from .listings import Listing


class TerritoryNeedStatus(models.TextChoices):
    OPEN = "open", _("Ouvert au soutien")
    PROJECT = "project", _("Devenu un projet du réseau")
    LISTING = "listing", _("Devenu un besoin du réseau")
    HIDDEN = "hidden", _("Masqué par l'animation")


class TerritoryNeedQuerySet(models.QuerySet):
    def visible(self):
        """Shown to everyone: all but the needs the animators hid (off topic, abuse)."""
        return self.exclude(status=TerritoryNeedStatus.HIDDEN)

    def of_network(self, network: Network):
        return self.filter(network=network)

    def with_support_count(self):
        return self.annotate(support_count=Count("supports", distinct=True))

    def most_supported(self):
        return self.with_support_count().order_by("-support_count", "-created_at", "-pk")

    def newest(self):
        return self.with_support_count().order_by("-created_at", "-pk")

    def in_commune(self, commune: Commune):
        return self.filter(commune=commune)

    def posted_by_since(self, user, since):
        """What `user` posted since `since` (the rate limit counts these rows)."""
        return self.filter(author=user, created_at__gte=since)

    def with_support_of(self, user):
        """`supported`: whether `user` supports each need (False for anonymous visitors)."""
        if not user.is_authenticated:
            return self.annotate(supported=Value(False))
        return self.annotate(
            supported=Exists(Support.objects.filter(need=OuterRef("pk"), user=user))
        )


class TerritoryNeed(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="territory_needs", verbose_name=_("réseau")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=140)
    description = models.TextField(_("description"), max_length=3000)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    status = models.CharField(
        _("état"), max_length=8, choices=TerritoryNeedStatus.choices, default="open"
    )
    # What the animators made of it: a note for the public, and the network's need when
    # it became one.
    outcome = models.TextField(_("suite donnée"), blank=True)
    listing = models.ForeignKey(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TerritoryNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("besoin du territoire")
        verbose_name_plural = _("besoins du territoire")

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    need = models.ForeignKey(TerritoryNeed, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [
            models.UniqueConstraint(fields=["need", "user"], name="support_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.need_id} · {self.user_id}"
