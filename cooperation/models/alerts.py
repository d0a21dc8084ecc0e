"""What a member wants to hear about new listings, and how often. A newly published
listing alerts the members of the structures it matches (cooperation.matching) whose
preferences accept it: at once or in the daily digest, through the shared outbox, once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Sector


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite")
    DAILY = "daily", _("Un résumé par jour")
    NEVER = "never", _("Jamais")


class AlertKinds(models.TextChoices):
    BOTH = "both", _("Les offres et les besoins")
    OFFER = "offer", _("Les offres seulement")
    NEED = "need", _("Les besoins seulement")


# Members who never set their preferences hear of matching listings in a daily digest:
# the catalogue is only useful if people learn of what concerns them.
DEFAULT_FREQUENCY = Frequency.DAILY
DEFAULT_DISTANCE_KM = 50


class AlertPreferenceQuerySet(models.QuerySet):
    def of_users(self, user_ids):
        """The preferences these people set, with their sectors (two queries): the alerts'
        fan-out reads them in bulk. Whoever set none has the defaults above."""
        return self.filter(user_id__in=list(user_ids)).prefetch_related(
            models.Prefetch("sectors", queryset=Sector.objects.only("id", "parent_id"))
        )


class AlertPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_alerts"
    )
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )
    kinds = models.CharField(
        _("annonces"), max_length=5, choices=AlertKinds.choices, default=AlertKinds.BOTH
    )
    # Empty: every nature. A list of cooperation.models.listings.Nature values.
    natures = models.JSONField(_("natures"), default=list, blank=True)
    # Empty: the sectors of the member's structures (the matching decides).
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="+", verbose_name=_("secteurs")
    )
    distance_km = models.PositiveSmallIntegerField(
        _("distance maximale (km)"), default=DEFAULT_DISTANCE_KM
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("préférence d'alerte")
        verbose_name_plural = _("préférences d'alerte")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_frequency_display()}"
