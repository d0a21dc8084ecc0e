"""The needs of the territory: the inhabitant's form, the public list's filters and the
animators' decision. Writes: cooperation.services.territory_needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import ExchangeMode, Nature, TerritoryNeed, TerritoryNeedStatus
from directory.models import Actor, Commune, Network, Status


class TerritoryNeedForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.in_territories(),
        help_text=_("Là où le besoin se fait sentir : il est lu par le réseau de ce territoire."),
    )

    class Meta:
        model = TerritoryNeed
        fields = ["title", "description", "commune"]
        labels = {"title": _("Ce qui manque sur le territoire")}
        help_texts = {
            "title": _("Ex. : une recyclerie à Rezé, un garage solidaire, une épicerie vrac…"),
            "description": _("Pourquoi, pour qui, ce que vous seriez prêt à y apporter."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class TerritoryNeedFilterForm(forms.Form):
    SORTS = [("supported", _("Les plus soutenus")), ("newest", _("Les plus récents"))]

    network = forms.ModelChoiceField(
        label=_("Réseau"),
        queryset=Network.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les réseaux"),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.in_territories(),
        to_field_name="insee",
        required=False,
        empty_label=_("Toutes les communes"),
    )
    sort = forms.ChoiceField(label=_("Trier par"), choices=SORTS, required=False)


class TerritoryNeedDecideForm(forms.Form):
    """What the animators make of a need; the structure, nature and mode are for a need of
    the network (a draft listing of that structure)."""

    CHOICES = [
        (TerritoryNeedStatus.PROJECT, _("En faire un projet du réseau")),
        (TerritoryNeedStatus.LISTING, _("En faire un besoin du réseau, porté par une structure")),
        (TerritoryNeedStatus.HIDDEN, _("Le masquer (hors sujet, abus)")),
        (TerritoryNeedStatus.OPEN, _("Le rétablir (ouvert au soutien)")),
    ]

    status = forms.ChoiceField(label=_("Suite"), choices=CHOICES, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("Ce que vous en faites"),
        help_text=_("Lu par tous sur la page du besoin, et envoyé à ses soutiens."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    actor = forms.ModelChoiceField(
        label=_("Structure qui portera le besoin"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("— Choisir —"),
    )
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, required=False)
    mode = forms.ChoiceField(
        label=_("Mode d'échange"), choices=ExchangeMode.choices, required=False
    )

    def __init__(self, *args, need: TerritoryNeed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = Actor.objects.filter(
            network_id=need.network_id, status=Status.PUBLISHED
        ).order_by("name")
