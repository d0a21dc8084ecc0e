"""Forms of the members feature: join requests and invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message aux responsables de la fiche"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dites qui vous êtes et votre rôle dans la structure."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à inviter"))
