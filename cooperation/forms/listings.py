"""The listing form a member fills for its structure. Writes: cooperation.services.listings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Listing, ListingKind
from cooperation.services.listings import EDITABLE_FIELDS
from directory.models import Commune, Sector
from ess_platform.lib.forms import BoundedModelMultipleChoiceField, checkboxes_grouped


class SectorChoices(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return obj.label


class ListingForm(forms.ModelForm):
    sectors = SectorChoices(
        label=_("Secteurs"),
        queryset=Sector.objects.leaves()
        .select_related("parent")
        .order_by("parent__position", "position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Par défaut, ceux de la structure."),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.in_territories(),
        required=False,
        empty_label=_("— Celle de la structure —"),
    )

    class Meta:
        model = Listing
        fields = [*EDITABLE_FIELDS, "sectors"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
            "price_kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer or need: two radios, no blank "---------" one (the field has no default).
        self.fields["kind"].choices = ListingKind.choices

    def sector_groups(self):
        return checkboxes_grouped(self["sectors"], lambda sector: sector.parent)

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        if data["commune"] is None:
            del data["commune"]  # the structure's
        return data


class ListingPhotoForm(forms.Form):
    """One photo for a listing; the service checks its content, size and the number of
    photos (cooperation.services.listings.listing_photo_add)."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_("PNG, JPEG ou WebP, 3 Mo au plus ; 4 photos par annonce."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    alt = forms.CharField(
        label=_("Ce que montre la photo"),
        max_length=200,
        required=False,
        help_text=_("Lu à voix haute aux personnes aveugles."),
    )
