from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ess_platform.lib.text import normalize

from .freshness import FreshnessPolicy


class CommuneQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Communes whose name starts with the text, or one of whose postcodes does, largest
        first: what a person types to say where they are."""
        text = text.strip()
        if text.isdigit():
            matching = self.filter(postcodes__contains=text)
        else:
            matching = self.filter(search_name__startswith=normalize(text))
        return matching.order_by("-population", "name")

    def in_territories(self):
        """Communes covered by at least one network, by name (the forms' choices)."""
        return self.filter(networks__isnull=False).distinct().order_by("name")


class Commune(models.Model):
    """A French commune, loaded from the vendored open-data file (directory/seed/data/)."""

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
    # Freshness policy (DESIGN.md §3); empty: the platform's default from the settings.
    due_after_months = models.PositiveSmallIntegerField(
        _("confirmation demandée après (mois)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Vide : valeur par défaut de la plateforme."),
    )
    grace_months = models.PositiveSmallIntegerField(
        _("délai de grâce avant « possiblement obsolète » (mois)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Vide : valeur par défaut de la plateforme."),
    )
    archive_after_months = models.PositiveSmallIntegerField(
        _("archivage proposé après (mois sans confirmation)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(120)],
        help_text=_("Vide : valeur par défaut de la plateforme. Rien n'est jamais supprimé."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self) -> str:
        return self.name

    def animator_emails(self) -> list[str]:
        """Who is told about the network's work (digests, submissions, moves, reports
        without members): its active animators, else its contact address."""
        addresses = self.animators.filter(is_active=True).exclude(email="")
        emails = sorted(set(addresses.values_list("email", flat=True)))
        if not emails and self.contact_email:
            emails = [self.contact_email]
        return emails

    def freshness_policy(self) -> FreshnessPolicy:
        return FreshnessPolicy.for_network(self)
