"""The review, as the network lives it: its queue of applications, assigning reviewers,
opinions, the pair's visit, requests for information and the decision; and its reviewers.
Parse, call cooperation.services.reviews or .applications, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperation.forms.reviews import (
    AssignForm,
    ConflictForm,
    DecisionForm,
    InformationRequestForm,
    OpinionForm,
    ReviewerAddForm,
    VisitForm,
)
from cooperation.models import (
    Application,
    ApplicationStatus,
    College,
    Opinion,
    ProgressCommitment,
)
from cooperation.models.reviews import decision_blockers
from cooperation.permissions import belongs_to_network, reviewer_of
from cooperation.services import applications as application_services
from cooperation.services import reviews as services
from cooperation.services.reminders import late_applications
from cooperation.services.setup import admission_setup
from cooperation.views.applications import application_for, post_on_detail
from directory.models import Network
from directory.permissions import can_animate
from ess_platform.lib.views import add_service_errors

S = ApplicationStatus


def network_for_review(request, network_slug: str) -> Network:
    """A network whose applications `request.user` reviews or animates; 404 to others, as
    the animators' pages answer: a network's work is not shown, nor confirmed, to others."""
    network = get_object_or_404(Network, slug=network_slug)
    if not (can_animate(request.user, network) or reviewer_of(request.user, network)):
        raise Http404
    return network


@login_required
@require_GET
def review_queue(request, network_slug: str):
    network = network_for_review(request, network_slug)
    applications = list(
        Application.objects.of_network(network)
        .exclude(status=S.DRAFT)
        .open()
        .select_related("actor__commune")
        .order_by("submitted_at", "pk")
    )
    late = {a.pk: a.blockers for a in late_applications(network=network)}
    for application in applications:
        application.late = application.pk in late
        application.blockers = late.get(application.pk) or decision_blockers(application)
    return render(
        request,
        "cooperation/reviews/queue.html",
        {
            "network": network,
            "applications": applications,
            "animator": can_animate(request.user, network),
            "reviewer": reviewer_of(request.user, network),
            "commitments": ProgressCommitment.objects.to_follow(network),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def commitment_kept(request, commitment_id: int):
    commitment = get_object_or_404(
        ProgressCommitment.objects.select_related("application__actor"), pk=commitment_id
    )
    network = commitment.application.actor.network
    if not can_animate(request.user, network):
        raise Http404
    application_services.commitment_mark_kept(commitment=commitment, by=request.user)
    messages.success(request, _("Engagement noté comme tenu."))
    return redirect(f"{reverse('cooperation:review_queue', args=[network.slug])}#engagements")


@login_required
@require_POST
def application_assign(request, application_id: int):
    """The animator assigns a reviewer; a reviewer who posts `take` assigns themselves."""
    application = application_for(request, application_id)
    if "take" in request.POST:
        reviewer = reviewer_of(request.user, application.actor.network_id)
        if reviewer is None:
            raise PermissionDenied
        try:
            services.assignment_create(application=application, reviewer=reviewer, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Vous évaluez cette candidature."))
        return redirect("cooperation:application_detail", application_id=application.pk)
    if not can_animate(request.user, application.actor.network_id):
        raise PermissionDenied
    form = AssignForm(request.POST, application=application)
    return post_on_detail(
        request,
        application,
        form,
        lambda: services.assignment_create(
            application=application, reviewer=form.cleaned_data["reviewer"], by=request.user
        ),
        _("Évaluateur désigné : il est prévenu par e-mail."),
    )


@login_required
@require_POST
def application_request_information(request, application_id: int):
    application = application_for(request, application_id)
    if not can_animate(request.user, application.actor.network_id):
        raise PermissionDenied
    form = InformationRequestForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: application_services.application_request_information(
            application=application, by=request.user, request=form.cleaned_data["request"]
        ),
        _("Demande envoyée à la structure."),
    )


@login_required
@require_POST
def application_decide(request, application_id: int):
    application = application_for(request, application_id)
    if not can_animate(request.user, application.actor.network_id):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: application_services.application_decide(
            application=application,
            by=request.user,
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            commitments=form.commitments(),
        ),
        _("Décision enregistrée : la structure en est informée."),
    )


def _assigned_reviewer(request, application: Application):
    reviewer = reviewer_of(request.user, application.actor.network_id)
    if (
        reviewer is None
        or not reviewer.assignments.filter(
            application=application, round=application.round
        ).exists()
    ):
        raise PermissionDenied
    return reviewer


@login_required
def opinion_edit(request, application_id: int):
    application = application_for(request, application_id)
    reviewer = _assigned_reviewer(request, application)
    opinion = Opinion.objects.filter(
        application=application, reviewer=reviewer, round=application.round
    ).first()
    form = OpinionForm(request.POST or None, application=application, opinion=opinion)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_give(
                application=application,
                by=request.user,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
                criteria=form.per_criterion(),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, ValidationError(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("Avis enregistré. Vous pouvez le modifier jusqu'à la décision.")
            )
            return redirect("cooperation:application_detail", application_id=application.pk)
    answers = {a.criterion_id: a for a in application.answers.all()}
    for criterion in form.criteria:
        criterion.answer = answers.get(criterion.pk)
    return render(
        request,
        "cooperation/reviews/opinion_form.html",
        {"application": application, "actor": application.actor, "form": form},
    )


@login_required
def visit_edit(request, application_id: int):
    application = application_for(request, application_id)
    if not can_animate(request.user, application.actor.network_id):
        _assigned_reviewer(request, application)
    form = VisitForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(
                application=application,
                by=request.user,
                visited_on=form.cleaned_data["visited_on"],
                reviewers=list(form.cleaned_data["reviewers"]),
                met=form.cleaned_data["met"],
                observations=form.cleaned_data["observations"],
                criteria_notes=form.notes(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rapport de visite enregistré."))
            return redirect("cooperation:application_detail", application_id=application.pk)
    return render(
        request,
        "cooperation/reviews/visit_form.html",
        {"application": application, "actor": application.actor, "form": form},
    )


@login_required
@require_POST
def conflict_declare(request, application_id: int):
    application = application_for(request, application_id)
    reviewer = reviewer_of(request.user, application.actor.network_id)
    if reviewer is None:
        raise PermissionDenied
    form = ConflictForm(request.POST)
    return post_on_detail(
        request,
        application,
        form,
        lambda: services.conflict_declare(
            reviewer=reviewer,
            actor=application.actor,
            by=request.user,
            note=form.cleaned_data["note"],
        ),
        _("Conflit d'intérêts déclaré : vous n'évaluerez pas cette structure."),
    )


@login_required
def reviewer_list(request, network_slug: str):
    """The network's reviewers by college; its animators add people."""
    network = get_object_or_404(Network, slug=network_slug)
    if not can_animate(request.user, network):
        raise Http404
    if request.method == "POST":
        admission_setup(network=network)  # the default colleges, for a network without any
    form = ReviewerAddForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_add(
                network=network,
                user=form.user,
                college=form.cleaned_data["college"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Évaluateur ajouté : il est prévenu par e-mail."))
            return redirect("cooperation:reviewer_list", network_slug=network.slug)
    colleges = College.objects.filter(network=network).prefetch_related("reviewers__user")
    return render(
        request,
        "cooperation/reviews/reviewer_list.html",
        {"network": network, "colleges": colleges, "form": form},
    )


@login_required
@require_POST
def reviewer_volunteer(request, network_slug: str):
    """A member of a structure of the network volunteers as a peer reviewer."""
    network = get_object_or_404(Network, slug=network_slug)
    if not belongs_to_network(request.user, network):
        raise PermissionDenied
    try:
        services.reviewer_volunteer(network=network, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Merci ! Vous êtes évaluateur pour les structures pairs."))
    return redirect("cooperation:review_queue", network_slug=network.slug)
