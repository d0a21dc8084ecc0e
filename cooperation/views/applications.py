"""An application, as its structure lives it: start, answer the charter, submit, answer a
request for information, appeal, withdraw; and its page, read by the structure, the
network's animators and reviewers. Parse, call cooperation.services.applications, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cooperation.forms.applications import AnswersForm, AppealForm, InformationForm, WithdrawForm
from cooperation.forms.reviews import (
    AssignForm,
    DecisionForm,
    InformationRequestForm,
)
from cooperation.models import Application, ApplicationStatus, CriterionAnswer, Reviewer
from cooperation.models.reviews import decision_blockers, round_opinions
from cooperation.permissions import can_read_application, is_applicant, reviewer_of
from cooperation.services import applications as services
from cooperation.services.reviews import review_conflict
from directory.models import Actor
from directory.permissions import can_animate, can_edit_actor
from ess_platform.lib.views import add_service_errors

S = ApplicationStatus
# What each step of an application's history reads as (services.applications records them).
EVENT_LABELS = {
    "created": gettext_lazy("Candidature commencée"),
    "charter_accepted": gettext_lazy("Charte acceptée"),
    "answered": gettext_lazy("Réponses enregistrées"),
    "assigned": gettext_lazy("Évaluateur désigné"),
    "opinion": gettext_lazy("Avis donné"),
    "visit": gettext_lazy("Visite rapportée"),
    "commitment_kept": gettext_lazy("Engagement tenu"),
}


def application_for(request, application_id: int, *, applicant: bool = False) -> Application:
    """The application `request.user` may read (403 otherwise); with `applicant`, only its
    structure's members and the network's animators, who act for it."""
    application = get_object_or_404(
        Application.objects.select_related("actor__network", "charter_version"),
        pk=application_id,
    )
    allowed = (
        can_edit_actor(request.user, application.actor)
        if applicant
        else can_read_application(request.user, application)
    )
    if not allowed:
        raise PermissionDenied
    return application


@login_required
@require_POST
def application_start(request, slug: str):
    actor = get_object_or_404(Actor, slug=slug)
    if not can_edit_actor(request.user, actor):
        raise PermissionDenied
    try:
        application = services.application_start(actor=actor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:actor_edit", slug=actor.slug)
    return redirect("cooperation:application_answers", application_id=application.pk)


@login_required
def application_answers(request, application_id: int):
    """The charter and one answer per criterion: saved as a draft, or submitted."""
    application = application_for(request, application_id, applicant=True)
    if application.status not in (S.DRAFT, S.INFORMATION_REQUESTED):
        return redirect("cooperation:application_detail", application_id=application.pk)
    form = AnswersForm(request.POST or None, request.FILES or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save_answers(
                application=application,
                by=request.user,
                accept_charter=form.cleaned_data["accept_charter"],
                answers=form.answers(),
            )
            if "submit" in request.POST:
                services.application_submit(application=application, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "submit" in request.POST:
                messages.success(
                    request,
                    _("Candidature déposée : l'équipe d'animation en est informée."),
                )
                return redirect("cooperation:application_detail", application_id=application.pk)
            messages.success(request, _("Réponses enregistrées."))
            return redirect("cooperation:application_answers", application_id=application.pk)
    return render(
        request,
        "cooperation/applications/answers.html",
        {
            "application": application,
            "actor": application.actor,
            "charter": application.charter_version,
            "form": form,
            "missing": services.missing_answers(application),
        },
    )


def post_on_detail(request, application: Application, form, action, success: str):
    """Run `action()` once `form` is valid, then back to the application's page; or show
    the form's errors (or the service's) on that page, where the form lives."""
    if form.is_valid():
        try:
            action()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cooperation:application_detail", application_id=application.pk)
    return _detail(request, application, forms={type(form).__name__: form}, status=400)


@login_required
@require_POST
def application_withdraw(request, application_id: int):
    application = application_for(request, application_id, applicant=True)
    form = WithdrawForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: services.application_withdraw(
            application=application, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Candidature retirée."),
    )


@login_required
@require_POST
def application_information(request, application_id: int):
    application = application_for(request, application_id, applicant=True)
    form = InformationForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: services.application_provide_information(
            application=application, by=request.user, answer=form.cleaned_data["answer"]
        ),
        _("Réponse envoyée : l'évaluation reprend."),
    )


@login_required
@require_POST
def application_appeal(request, application_id: int):
    application = application_for(request, application_id, applicant=True)
    form = AppealForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: services.application_appeal(
            application=application, by=request.user, arguments=form.cleaned_data["arguments"]
        ),
        _("Recours déposé : d'autres évaluateurs vont examiner la candidature."),
    )


@login_required
@require_GET
def evidence_download(request, application_id: int, answer_id: int):
    """A piece of evidence, to those who may read the application only: it is stored
    privately, never under the public media URL."""
    application = application_for(request, application_id)
    answer = get_object_or_404(CriterionAnswer, pk=answer_id, application=application)
    if not answer.evidence:
        raise Http404
    response = FileResponse(
        answer.evidence.open("rb"),
        as_attachment=True,
        filename=answer.evidence.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _labelled(changes):
    changes = list(changes)
    for change in changes:
        change.event_label = EVENT_LABELS.get(change.event, change.event)
    return changes


@login_required
@require_GET
def application_detail(request, application_id: int):
    return _detail(request, application_for(request, application_id))


def _detail(request, application: Application, *, forms: dict | None = None, status: int = 200):
    user = request.user
    network_id = application.actor.network_id
    animator = can_animate(user, network_id)
    reviewer = reviewer_of(user, network_id)
    # The applicant sees its answers, its state, the decision and its reasons; the opinions
    # and the history are the reviewers' and the animators' working material.
    reviewing = animator or (reviewer is not None and not is_applicant(user, application))
    forms = forms or {}
    assigned = []
    if reviewing:
        assigned = list(
            Reviewer.objects.filter(
                assignments__application=application, assignments__round=application.round
            ).select_related("user", "college")
        )
    context = {
        "application": application,
        "actor": application.actor,
        "answers": application.answers.select_related("criterion"),
        # The structure's own members: the animators act on its application too (the
        # services let them), but the page speaks to the structure only.
        "is_applicant": is_applicant(user, application),
        "visit_done": application.visits.filter(round=application.round).exists(),
        "animator": animator,
        "reviewer": reviewer,
        "reviewing": reviewing,
        "assigned": assigned,
        "missing": services.missing_answers(application) if application.status == S.DRAFT else [],
        "blockers": decision_blockers(application) if reviewing else [],
        "opinions": round_opinions(application) if reviewing else [],
        "changes": _labelled(application.changes.select_related("by")) if reviewing else [],
        "appeal_until": services.appeal_deadline(application),
        "commitments": application.commitments.all(),
        "information_form": forms.get("InformationForm") or InformationForm(),
        "appeal_form": forms.get("AppealForm") or AppealForm(),
        "withdraw_form": forms.get("WithdrawForm") or WithdrawForm(),
    }
    if reviewer is not None and reviewing:
        context["conflict"] = review_conflict(reviewer, application)
        context["is_assigned"] = reviewer in assigned
    if animator:
        context["assign_form"] = forms.get("AssignForm") or AssignForm(application=application)
        context["request_form"] = forms.get("InformationRequestForm") or InformationRequestForm()
        context["decision_form"] = forms.get("DecisionForm") or DecisionForm()
    return render(request, "cooperation/applications/detail.html", context, status=status)
