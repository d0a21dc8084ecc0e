from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommuneQuerySet(models.QuerySet):
    def in_territories(self):
        """Communes covered by at least one network, by name (the forms' choices)."""
        return self.filter(networks__isnull=False).distinct().order_by("name")


class Commune(models.Model):
    """A French commune, loaded from the vendored open-data file (directory/data/)."""

    insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    postcodes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    department = models.CharField(_("département"), max_length=3, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"


class Network(models.Model):
    """A territorial network: its territory is a set of communes, run by animators."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    communes = models.ManyToManyField(
        Commune, verbose_name=_("communes du territoire"), blank=True, related_name="networks"
    )
    animators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateurs"),
        blank=True,
        related_name="animated_networks",
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self) -> str:
        return self.name
