"""Forms of the review: assigning, asking for information, deciding, the opinion and the
visit report, and the network's reviewers. Writes go through cooperation.services."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.models import Application, ApplicationStatus, College, Reviewer, Verdict
from cooperation.services.reviews import review_conflict

S = ApplicationStatus
COMMITMENT_ROWS = 3


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Évaluateur"), queryset=Reviewer.objects.none())

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = (
            Reviewer.objects.of_network(application.actor.network)
            .exclude(assignments__application=application, assignments__round=application.round)
            .select_related("user", "college")
            .order_by("college__position", "user__username")
        )
        # Only those the rule lets review it (services.reviews.review_conflict).
        allowed = [r.pk for r in candidates if review_conflict(r, application) is None]
        self.fields["reviewer"].queryset = candidates.filter(pk__in=allowed)


class InformationRequestForm(forms.Form):
    request = forms.CharField(
        label=_("Ce que la structure doit préciser"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        choices=[
            (S.ADMITTED, _("Admettre")),
            (S.ADMITTED_WITH_PLAN, _("Admettre avec un plan de progrès")),
            (S.REFUSED, _("Refuser")),
        ],
    )
    reasons = forms.CharField(
        label=_("Motifs (obligatoires pour un refus ; la structure les lira)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=6000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(COMMITMENT_ROWS):
            self.fields[f"commitment_{i}"] = forms.CharField(
                label=_("Engagement"), required=False, max_length=300
            )
            self.fields[f"due_{i}"] = forms.DateField(
                label=_("Échéance"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def commitment_rows(self):
        return [(self[f"commitment_{i}"], self[f"due_{i}"]) for i in range(COMMITMENT_ROWS)]

    def commitments(self) -> list:
        data = self.cleaned_data
        return [
            (data.get(f"commitment_{i}", ""), data.get(f"due_{i}"))
            for i in range(COMMITMENT_ROWS)
            if data.get(f"commitment_{i}")
        ]


class OpinionForm(forms.Form):
    """The overall opinion and one per criterion; a comment explains any opinion that is
    not favourable (checked by the service, shown beside the field)."""

    verdict = forms.ChoiceField(
        label=_("Avis général"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=6000,
    )

    def __init__(self, *args, application: Application, opinion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(application.charter_version.criteria.all())
        given = {c.criterion_id: c for c in opinion.criteria.all()} if opinion else {}
        if opinion is not None:
            self.initial.setdefault("verdict", opinion.verdict)
            self.initial.setdefault("comment", opinion.comment)
        for criterion in self.criteria:
            previous = given.get(criterion.pk)
            self.fields[f"verdict_{criterion.pk}"] = forms.ChoiceField(
                label=_("Avis"),
                choices=Verdict.choices,
                widget=forms.RadioSelect,
                initial=previous.verdict if previous else Verdict.FAVOURABLE,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=3000,
                initial=previous.comment if previous else "",
            )

    def groups(self):
        return [(c, self[f"verdict_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def per_criterion(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data[f"verdict_{c.pk}"], data.get(f"comment_{c.pk}", "")) for c in self.criteria
        }


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date de la visite"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Le binôme (deux évaluateurs de deux collèges)"),
        queryset=Reviewer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    met = forms.CharField(label=_("Personnes rencontrées"), max_length=300)
    observations = forms.CharField(
        label=_("Ce que le binôme a vu"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = Reviewer.objects.filter(
            assignments__application=application, assignments__round=application.round
        ).select_related("user", "college")
        self.criteria = list(application.charter_version.criteria.all())
        for criterion in self.criteria:
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=criterion.title,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=3000,
            )

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise forms.ValidationError(_("La visite a déjà eu lieu : une date passée."))
        return visited_on

    def note_fields(self):
        return [self[f"note_{c.pk}"] for c in self.criteria]

    def notes(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.criteria}


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Raison (facultatif, vue par l'équipe d'animation)"),
        required=False,
        max_length=300,
    )


class ReviewerAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        help_text=_("Elle doit avoir un compte sur la plateforme."),
    )
    college = forms.ModelChoiceField(label=_("Collège"), queryset=College.objects.none())

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = College.objects.filter(network=network)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True)
            .order_by("pk")
            .first()
        )
        if user is None:
            raise forms.ValidationError(
                _("Aucun compte n'a cette adresse : invitez la personne à s'inscrire d'abord.")
            )
        self.user = user
        return email
