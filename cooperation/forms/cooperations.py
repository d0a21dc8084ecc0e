"""The forms of the evidence of cooperation: the partner chosen when a listing is fulfilled,
the partner's answer, and each side's evaluation. Writes: cooperation.services.cooperations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Conversation, Evaluation, Listing
from cooperation.services.cooperations import EVALUATION_FIELDS, REASON_MAX_LENGTH
from directory.models import Actor
from ess_platform.lib.forms import BoundedModelMultipleChoiceField
from ess_platform.lib.text import every_word, normalize

# Shown when a name matches several structures: enough to recognise the right one.
NAMES_SHOWN = 5


def contacting_actors(listing: Listing):
    """The published structures that wrote to the owner about this listing."""
    initiators = Conversation.objects.filter(listing=listing).values("initiator")
    return (
        Actor.objects.published()
        .filter(pk__in=initiators)
        .exclude(pk=listing.actor_id)
        .order_by("name")
    )


class ActorChoices(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Actor) -> str:
        return obj.name


class FulfilForm(forms.Form):
    """The partner structures: among those that wrote about the listing, or any published
    structure found by its name."""

    partners = ActorChoices(
        label=_("Structures qui vous ont contactés"),
        queryset=Actor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    partner_name = forms.CharField(
        label=_("Autre structure de l'annuaire"),
        max_length=200,
        required=False,
        help_text=_("Son nom, tel qu'il figure dans l'annuaire."),
    )

    def __init__(self, *args, listing: Listing, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing = listing
        self.fields["partners"].queryset = contacting_actors(listing)

    def clean_partner_name(self) -> Actor | None:
        name = self.cleaned_data["partner_name"].strip()
        if not name:
            return None
        found = list(
            Actor.objects.published()
            .filter(every_word("search_text", name))
            .exclude(pk=self.listing.actor_id)
            .order_by("name")[:50]
        )
        exact = [actor for actor in found if normalize(actor.name) == normalize(name)]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("Aucune structure publiée de l'annuaire ne correspond à « %(name)s ».")
                % {"name": name}
            )
        names = ", ".join(actor.name for actor in (exact or found)[:NAMES_SHOWN])
        raise forms.ValidationError(
            _("Plusieurs structures correspondent (%(names)s…) : précisez le nom.")
            % {"names": names}
        )

    def clean(self):
        cleaned = super().clean()
        partners = list(cleaned.get("partners") or [])
        named = cleaned.get("partner_name")
        if named is not None and named not in partners:
            partners.append(named)
        if not partners and not self.errors:
            raise forms.ValidationError(_("Choisissez au moins une structure partenaire."))
        cleaned["partner_list"] = partners
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ? (facultatif, transmis à la structure)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluationForm(forms.ModelForm):
    would_do_again = forms.NullBooleanField(
        label=_("À refaire ?"),
        required=False,
        widget=forms.RadioSelect(
            # The values a NullBooleanField reads and a radio shows checked (str(True)).
            choices=[("", _("Sans avis")), ("True", _("Oui")), ("False", _("Non"))]
        ),
    )

    class Meta:
        model = Evaluation
        fields = list(EVALUATION_FIELDS)
        widgets = {"brought": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EVALUATION_FIELDS}
