from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Commune, Sector
from directory.services.actors import EDITABLE_FIELDS
from ess_platform.lib.forms import (
    BoundedModelMultipleChoiceField,
    VersionField,
    checkboxes_grouped,
)
from ess_platform.lib.siret import normalize_siret, validate_siret
from ess_platform.lib.uploads import checked_image

# A logo is shown small: a larger picture only costs memory to check and bandwidth to serve.
LOGO_MAX_PIXELS = 4000


def checked_logo(logo):
    """A new logo checked from its content and renamed after its real format; an unchanged
    or cleared one as it is. Shared by the members' form and the admin."""
    if not logo or not hasattr(logo, "content_type"):
        return logo
    return checked_image(logo, max_bytes=settings.LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS)


class SectorChoiceField(BoundedModelMultipleChoiceField):
    """The sectors, shown grouped under their filière (ActorForm.sector_groups)."""

    def label_from_instance(self, obj: Sector) -> str:
        return obj.label


class ActorForm(forms.ModelForm):
    """The profile a member maintains. Writes go through directory.services.actors."""

    sectors = SectorChoiceField(
        label=_("Secteurs d'activité"),
        queryset=Sector.objects.leaves()
        .select_related("parent")
        .order_by("parent__position", "position"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un secteur.")},
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.in_territories(),
        empty_label=_("— Choisissez la commune —"),
        help_text=_("Les communes du territoire couvert par le réseau."),
    )
    # The profile's version when the page was loaded: saving over someone else's changes
    # made meanwhile is refused by the service (actor_update's expected_updated_at).
    updated_at = VersionField()

    def sector_groups(self) -> list[tuple[Sector, list]]:
        """(filière, its sectors' checkboxes), in the order of the taxonomy."""
        return checkboxes_grouped(self["sectors"], lambda sector: sector.parent)

    class Meta:
        model = Actor
        fields = [f for f in EDITABLE_FIELDS] + ["sectors"]
        widgets = {
            "short_description": forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "offer": forms.Textarea(attrs={"rows": 4}),
            "added_value": forms.Textarea(attrs={"rows": 4}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }
        help_texts = {
            "lat": _("Remplie par la carte : déplacez le repère pour corriger la position."),
            "lon": _("Remplie par la carte."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The position is optional in the form: without it, the address is geocoded.
        self.fields["lat"].required = False
        self.fields["lon"].required = False
        self.fields["lat"].label = _("Latitude")
        self.fields["lon"].label = _("Longitude")
        if self.instance.pk:
            self.initial.setdefault("updated_at", self.instance.updated_at)

    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        # Room for the spaces people type ("732 829 320 00074"); they are removed below.
        max_length=20,
        help_text=_("14 chiffres ; les espaces sont acceptés."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_siret(self) -> str:
        siret = normalize_siret(self.cleaned_data.get("siret"))
        validate_siret(siret)
        return siret

    def clean_logo(self):
        return checked_logo(self.cleaned_data.get("logo"))

    def _get_validation_exclusions(self):
        # A SIRET already in the directory is the service's to explain: the model's
        # message names the constraint and tells that a hidden profile holds the number.
        # Its format is checked by clean_siret.
        return super()._get_validation_exclusions() | {"siret"}

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))
        return data

    def renew_version(self, updated_at) -> None:
        """Carry `updated_at` from now on, keeping everything the person typed: once they
        have read what changed meanwhile, their next submit saves."""
        self.data = self.data.copy()
        self.data[self.add_prefix("updated_at")] = self.fields["updated_at"].prepare_value(
            updated_at
        )

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in EDITABLE_FIELDS if f in self.cleaned_data}
        if data.get("logo") is False:  # "clear" ticked: what FileField.save_form_data does
            data["logo"] = ""
        return data
