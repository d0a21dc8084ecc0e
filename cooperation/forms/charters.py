"""The charter's editing form: an introduction and its criteria (a formset), published as
a new version by cooperation.services.charters.charter_publish; the admission rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import AdmissionPolicy, CriterionKind

EXTRA_CRITERIA = 3


class CharterForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=CriterionKind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Précisions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=EXTRA_CRITERIA, max_num=40, absolute_max=40, validate_max=True
)


class AdmissionPolicyForm(forms.ModelForm):
    class Meta:
        model = AdmissionPolicy
        fields = [
            "quorum_opinions",
            "quorum_colleges",
            "peer_opinion_required",
            "visit_expected",
            "reminder_after_days",
            "appeal_days",
        ]
