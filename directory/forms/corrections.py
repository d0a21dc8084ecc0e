"""Forms of the corrections feature: they parse; the rules are in directory.services.corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.services.corrections import reportable_field_choices


class CorrectionReportForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Information erronée"),
        # A callable: the labels are translated per request, not frozen at import. No field
        # is preselected, so nobody reports on "name" by leaving the default.
        choices=lambda: [("", _("— Choisissez l'information —")), *reportable_field_choices()],
    )
    proposed_value = forms.CharField(
        label=_("Valeur correcte"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui devrait être affiché à la place."),
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : d'où tenez-vous l'information ?"),
    )
    reporter_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        required=False,
        help_text=_(
            "Facultative : pour être informé(e) de la suite donnée. Elle n'est pas publiée."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # The honeypot: hidden from sight by CSS, labelled for screen readers, skipped by the
    # keyboard. People leave it empty; form-filling robots do not.
    homepage = forms.CharField(
        label=_("Laissez ce champ vide (protection contre les robots)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accepter")), ("reject", _("Refuser"))])
    decision_reason = forms.CharField(
        label=_("Motif du refus"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour refuser : la personne qui a signalé le lira."),
    )
