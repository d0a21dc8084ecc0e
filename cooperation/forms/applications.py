"""Forms of the application: the structure's answers to the charter, and the short texts
of the later steps (information, appeal). Writes go through cooperation.services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cooperation.models import Answer, Application
from ess_platform.lib.uploads import checked_document, checked_image

EVIDENCE_MAX_PIXELS = 8000


def checked_evidence(upload):
    """A PDF or an image, checked from its content and renamed after its real kind."""
    if not upload:
        return upload
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return checked_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES, allowed=("pdf",))
    return checked_image(
        upload, max_bytes=settings.EVIDENCE_MAX_BYTES, max_pixels=EVIDENCE_MAX_PIXELS
    )


class AnswersForm(forms.Form):
    """One answer, explanation and optional evidence per criterion of the application's
    charter version; and the acceptance of the charter."""

    accept_charter = forms.BooleanField(
        label=_("J'ai lu la charte et notre structure s'engage à la respecter."), required=False
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        given = {a.criterion_id: a for a in application.answers.all()}
        self.criteria = list(application.charter_version.criteria.all())
        self.initial.setdefault("accept_charter", application.charter_accepted_at is not None)
        for criterion in self.criteria:
            answer = given.get(criterion.pk)
            self.fields[f"answer_{criterion.pk}"] = forms.ChoiceField(
                label=_("Votre réponse"),
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.answer if answer else None,
            )
            self.fields[f"explanation_{criterion.pk}"] = forms.CharField(
                label=_("Explication"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=4000,
                initial=answer.explanation if answer else "",
            )
            self.fields[f"evidence_{criterion.pk}"] = forms.FileField(
                label=_("Justificatif (PDF ou image, facultatif)"),
                required=False,
                help_text=_("Visible seulement par l'équipe d'animation et les évaluateurs."),
            )
            criterion.saved_answer = answer

    def groups(self):
        """(criterion, its answer, explanation and evidence fields) in the charter's order."""
        return [
            (
                c,
                self[f"answer_{c.pk}"],
                self[f"explanation_{c.pk}"],
                self[f"evidence_{c.pk}"],
            )
            for c in self.criteria
        ]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = f"evidence_{criterion.pk}"
            try:
                cleaned[name] = checked_evidence(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            c.pk: {
                "answer": data.get(f"answer_{c.pk}") or "",
                "explanation": data.get(f"explanation_{c.pk}", ""),
                "evidence": data.get(f"evidence_{c.pk}"),
            }
            for c in self.criteria
        }


class InformationForm(forms.Form):
    answer = forms.CharField(
        label=_("Votre réponse à l'équipe d'animation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )


class AppealForm(forms.Form):
    arguments = forms.CharField(
        label=_("Vos arguments nouveaux"),
        help_text=_(
            "Le recours est examiné par d'autres évaluateurs ; la décision qui suit est définitive."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=6000,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi retirer la candidature ? (facultatif)"),
        required=False,
        max_length=500,
    )
