"""A network's charter: an introduction and criteria, versioned.

A charter is never edited in place: the animators publish a new version, and an application
keeps the version it answered (its answers point at that version's criteria), so a new
version never rewrites old answers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Network


class CriterionKind(models.TextChoices):
    INCLUSION = "inclusion", _("Critère d'inclusion (doit être rempli)")
    EXCLUSION = "exclusion", _("Critère d'exclusion (ne doit pas s'appliquer)")
    PROGRESS = "progress", _("Engagement de progrès")


class CharterVersionQuerySet(models.QuerySet):
    def current(self, network: Network) -> "CharterVersion | None":
        """The version an application answers today: the network's latest."""
        return self.filter(network=network).order_by("-number").first()


class CharterVersion(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="charter_versions", verbose_name=_("réseau")
    )
    number = models.PositiveIntegerField(_("version"))
    introduction = models.TextField(_("introduction"))
    created_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de charte")
        verbose_name_plural = _("versions de charte")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="charter_unique_number")
        ]

    def __str__(self) -> str:
        return _("Charte de %(network)s, version %(number)s") % {
            "network": self.network.name,
            "number": self.number,
        }


class Criterion(models.Model):
    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("charte")
    )
    kind = models.CharField(_("nature"), max_length=10, choices=CriterionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("précisions"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
