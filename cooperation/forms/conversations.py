"""The forms of a conversation: the first message (which structure writes, when the person
acts for several), a reply, a report. Writes: cooperation.services.conversations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Message


class WritingActorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _BodyMixin(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=Message._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ConversationStartForm(_BodyMixin):
    """`actors`: the structures the person writes for; with one, nothing to choose."""

    from_actor = WritingActorChoice(label=_("Vous écrivez pour"), queryset=None, empty_label=None)
    subject = forms.CharField(label=_("Objet"), max_length=160)

    field_order = ["from_actor", "subject", "body"]

    def __init__(self, *args, actors, subject_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_actor"].queryset = actors
        if len(actors) == 1:
            self.fields["from_actor"].widget = forms.HiddenInput()
            self.fields["from_actor"].initial = actors[0].pk
        if not subject_required:
            # About a listing: the listing's title is the subject.
            del self.fields["subject"]


class MessageForm(_BodyMixin):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=Message._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du signalement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Les animateurs du réseau liront la conversation pour en juger."),
    )
