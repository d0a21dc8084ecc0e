"""The alerts' preferences form: what a member wants to hear about new listings, and how
often. Writes: cooperation.services.alerts.alert_preference_save."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cooperation.forms.listings import SectorChoices
from cooperation.matching import MAX_REACH_KM
from cooperation.models import AlertKinds, AlertPreference, Frequency, Nature
from directory.models import Sector
from ess_platform.lib.forms import checkboxes_grouped


class AlertPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Recevoir les alertes"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )
    kinds = forms.ChoiceField(label=_("Sur"), choices=AlertKinds.choices, widget=forms.RadioSelect)
    natures = forms.MultipleChoiceField(
        label=_("Natures"),
        choices=Nature.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucune cochée : toutes les natures."),
    )
    sectors = SectorChoices(
        label=_("Secteurs"),
        queryset=Sector.objects.leaves()
        .select_related("parent")
        .order_by("parent__position", "position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun coché : ceux que la correspondance trouve pour vos structures."),
    )
    distance_km = forms.IntegerField(
        label=_("Distance maximale (km)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REACH_KM)],
        help_text=_("Entre votre structure et le lieu de l'annonce (%(max)s km au plus).")
        % {"max": MAX_REACH_KM},
    )

    @classmethod
    def for_preference(cls, preference: AlertPreference | None, data=None):
        """The form filled with a person's preferences, or the defaults when they set none."""
        preference = preference or AlertPreference()
        initial = {
            "frequency": preference.frequency,
            "kinds": preference.kinds,
            "natures": preference.natures,
            "distance_km": preference.distance_km,
            "sectors": list(preference.sectors.all()) if preference.pk else [],
        }
        return cls(data, initial=initial)

    def sector_groups(self):
        return checkboxes_grouped(self["sectors"], lambda sector: sector.parent)

    def data_for_service(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("frequency", "kinds", "natures", "distance_km")
        }
