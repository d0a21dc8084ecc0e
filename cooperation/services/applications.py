"""An application's life, from the structure's draft to the final decision.

Every move goes through `_move`, which checks it against models.applications.TRANSITIONS,
claims it with a conditional update (a double click or two animators at once cannot apply
it twice) and records it in the application's history. E-mails are owed through the shared
outbox in the same transaction: sent once, after commit.
"""

from datetime import date, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import (
    Admission,
    AdmissionPolicy,
    Answer,
    Application,
    ApplicationChange,
    ApplicationStatus,
    CharterVersion,
    CriterionAnswer,
    CriterionKind,
    ProgressCommitment,
)
from cooperation.models.applications import TRANSITIONS
from cooperation.models.reviews import decision_blockers
from cooperation.permissions import is_applicant
from cooperation.services.setup import admission_setup
from directory.models import Actor, Membership, Status
from directory.permissions import can_animate, can_edit_actor
from directory.services.actors import actor_set_status
from ess_platform.lib import history
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe
from ess_platform.lib.states import claim_move

S = ApplicationStatus


def application_url(application: Application) -> str:
    return absolute_url(reverse("cooperation:application_detail", args=[application.pk]))


def member_emails(application: Application) -> list[str]:
    return Membership.objects.emails_of(application.actor_id)


def _record(application: Application, *, by, event: str, note: str = "", changes=None) -> None:
    history.record(
        ApplicationChange,
        application=application,
        by=by,
        event=event,
        note=note,
        changes=changes or {},
    )


def _move(
    application: Application, *, to: str, by, event: str, note: str = "", **fields
) -> Application:
    """Move to `to` if allowed from the state read now; save `fields` with it; record it."""
    old = claim_move(
        application, to=to, transitions=TRANSITIONS, noun=_("Une candidature"), **fields
    )
    _record(
        application,
        by=by,
        event=event,
        note=note,
        changes={"status": [str(S(old).label), str(S(to).label)]},
    )
    return application


def _owe(application: Application, *, occasion: str, to: list[str], template: str, **context):
    owe(
        key=f"cooperation.application.{occasion}:{application.pk}",
        to=to,
        template=f"cooperation/applications/emails/{template}",
        context={"application": application, "actor": application.actor, **context},
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("actor").get(pk=application.pk)


def _require_applicant(by: AbstractBaseUser, application: Application) -> None:
    if not (is_applicant(by, application) or can_edit_actor(by, application.actor)):
        raise PermissionDenied


def _require_animator(by: AbstractBaseUser, application: Application) -> None:
    if not can_animate(by, application.actor.network_id):
        raise PermissionDenied


@transaction.atomic
def application_start(*, actor: Actor, by: AbstractBaseUser) -> Application:
    """A structure starts applying from its draft (or finds its open application)."""
    if not can_edit_actor(by, actor):
        raise PermissionDenied
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    if Admission.objects.filter(actor=actor).exists() or actor.status == Status.PUBLISHED:
        raise ValidationError(_("Cette structure est déjà membre du réseau."))
    if actor.status not in (Status.DRAFT, Status.PENDING):
        raise ValidationError(_("Cette fiche n'est pas un brouillon : contactez l'animation."))
    existing = Application.objects.open().filter(actor=actor).first()
    if existing is not None:
        return existing
    admission_setup(network=actor.network)
    application = Application.objects.create(
        actor=actor,
        charter_version=CharterVersion.objects.current(actor.network),
        created_by=by,
    )
    _record(application, by=by, event="created")
    return application


def _explanation_needed(kind: str, answer: str) -> bool:
    """A criterion not plainly met is explained: an inclusion or a commitment answered
    'partly' or 'no', an exclusion that applies even in part."""
    if kind == CriterionKind.EXCLUSION:
        return answer != Answer.NO
    return answer != Answer.YES


@transaction.atomic
def application_save_answers(
    *,
    application: Application,
    by: AbstractBaseUser,
    accept_charter: bool,
    answers: dict[int, dict],
) -> Application:
    """Save the structure's answers, `{criterion id: {answer, explanation, evidence}}`
    (evidence: a file already checked by the form, or None to keep the one saved).
    Incomplete answers are kept: submitting checks them."""
    _require_applicant(by, application)
    application = _locked(application)
    if application.status not in (S.DRAFT, S.INFORMATION_REQUESTED):
        raise ValidationError(_("Les réponses ne se modifient plus à ce stade."))
    criteria = {c.pk: c for c in application.charter_version.criteria.all()}
    unknown = set(answers) - set(criteria)
    if unknown:
        raise ValidationError(_("Ce critère n'est pas dans la charte de la candidature."))
    changed = []
    for criterion_id, given in answers.items():
        if not given.get("answer"):
            continue
        row, _created = CriterionAnswer.objects.get_or_create(
            application=application,
            criterion_id=criterion_id,
            defaults={"answer": given["answer"]},
        )
        before = (row.answer, row.explanation, row.evidence.name)
        row.answer = given["answer"]
        row.explanation = (given.get("explanation") or "").strip()
        if given.get("evidence"):
            old_evidence = row.evidence.name
            row.evidence = given["evidence"]
            if old_evidence:
                transaction.on_commit(
                    partial(row.evidence.storage.delete, old_evidence), robust=True
                )
        row.full_clean(exclude=["application", "criterion"])
        row.save()
        if before != (row.answer, row.explanation, row.evidence.name):
            changed.append(criteria[criterion_id].title)
    if accept_charter and application.charter_accepted_at is None:
        application.charter_accepted_at = timezone.now()
        application.save(update_fields=["charter_accepted_at", "updated_at"])
        _record(application, by=by, event="charter_accepted")
    if changed:
        _record(application, by=by, event="answered", note=", ".join(changed))
    return application


def missing_answers(application: Application) -> list[str]:
    """What keeps the application from being submitted, as sentences for the page."""
    missing = []
    if application.charter_accepted_at is None:
        missing.append(_("accepter la charte"))
    given = {a.criterion_id: a for a in application.answers.all()}
    for criterion in application.charter_version.criteria.all():
        answer = given.get(criterion.pk)
        if answer is None:
            missing.append(_("répondre au critère « %(title)s »") % {"title": criterion.title})
        elif _explanation_needed(criterion.kind, answer.answer) and not answer.explanation:
            missing.append(_("expliquer la réponse « %(title)s »") % {"title": criterion.title})
    return missing


@transaction.atomic
def application_submit(*, application: Application, by: AbstractBaseUser) -> Application:
    _require_applicant(by, application)
    application = _locked(application)
    missing = missing_answers(application)
    if missing:
        raise ValidationError(
            _("Avant de déposer : %(missing)s.") % {"missing": ", ".join(missing)}
        )
    now = timezone.now()
    application = _move(
        application,
        to=S.SUBMITTED,
        by=by,
        event="submitted",
        submitted_at=now,
        review_started_at=now,
    )
    _owe(
        application,
        occasion="submitted",
        to=application.actor.network.animator_emails(),
        template="submitted",
        url=application_url(application),
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, by: AbstractBaseUser, reason: str = ""
) -> Application:
    _require_applicant(by, application)
    application = _locked(application)
    return _move(application, to=S.WITHDRAWN, by=by, event="withdrawn", note=reason.strip())


@transaction.atomic
def application_request_information(
    *, application: Application, by: AbstractBaseUser, request: str
) -> Application:
    """The animator asks the structure for more; the review pauses, opinions are kept."""
    _require_animator(by, application)
    request = request.strip()
    if not request:
        raise ValidationError({"request": _("Dites à la structure ce qui manque.")})
    application = _locked(application)
    application = _move(
        application,
        to=S.INFORMATION_REQUESTED,
        by=by,
        event="information_requested",
        note=request,
        information_request=request,
    )
    _owe(
        application,
        occasion=f"information_requested.{application.updated_at.isoformat()}",
        to=member_emails(application),
        template="information_requested",
        request=request,
        url=application_url(application),
    )
    return application


@transaction.atomic
def application_provide_information(
    *, application: Application, by: AbstractBaseUser, answer: str
) -> Application:
    """The structure answers: the review resumes where it was."""
    _require_applicant(by, application)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Écrivez votre réponse à l'équipe d'animation.")})
    application = _locked(application)
    # TRANSITIONS lets a submitted or appealed application move under review too (its first
    # assignment does it): only a request for information may be answered here.
    if application.status != S.INFORMATION_REQUESTED:
        raise ValidationError(_("Aucune information ne vous est demandée."))
    application = _move(
        application,
        to=S.UNDER_REVIEW,
        by=by,
        event="information_provided",
        note=answer,
        information_answer=answer,
        # The wait for opinions starts again: the pause was the structure's, not the
        # reviewers' (the reminders count from it).
        review_started_at=timezone.now(),
    )
    _owe(
        application,
        occasion=f"information_provided.{application.updated_at.isoformat()}",
        to=application.actor.network.animator_emails(),
        template="information_provided",
        url=application_url(application),
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    by: AbstractBaseUser,
    decision: str,
    reasons: str = "",
    commitments: list[tuple[str, date]] = (),
) -> Application:
    """The animator decides once the quorum is met: admit (the profile is published),
    admit with a progress plan (commitments with due dates), or refuse (reasons required)."""
    _require_animator(by, application)
    application = _locked(application)
    if decision not in (S.ADMITTED, S.ADMITTED_WITH_PLAN, S.REFUSED):
        raise ValidationError(_("Décision inconnue."))
    if application.status != S.UNDER_REVIEW:
        raise ValidationError(_("Seule une candidature en évaluation peut être décidée."))
    blockers = decision_blockers(application)
    if blockers:
        raise ValidationError(
            _("Pas encore de décision possible : %(missing)s.") % {"missing": " ; ".join(blockers)}
        )
    reasons = reasons.strip()
    if decision == S.REFUSED and not reasons:
        raise ValidationError({"reasons": _("Motivez le refus : la structure lira ces motifs.")})
    commitments = [(text.strip(), due) for text, due in commitments if text.strip()]
    if decision == S.ADMITTED_WITH_PLAN:
        if not commitments:
            raise ValidationError(
                {"commitments": _("Un plan de progrès compte au moins un engagement daté.")}
            )
        if any(due is None or due <= timezone.localdate() for _text, due in commitments):
            raise ValidationError({"commitments": _("Chaque échéance est une date à venir.")})
    now = timezone.now()
    application = _move(
        application,
        to=decision,
        by=by,
        event="decided",
        note=reasons,
        decided_at=now,
        decision_reasons=reasons,
    )
    if decision != S.REFUSED:
        ProgressCommitment.objects.bulk_create(
            ProgressCommitment(application=application, text=text, due_on=due)
            for text, due in commitments
        )
        Admission.objects.update_or_create(
            actor=application.actor, defaults={"application": application, "admitted_at": now}
        )
        # The decision's e-mail tells the members; the directory's "published" would repeat it.
        actor_set_status(actor=application.actor, by=by, status=Status.PUBLISHED, notify=False)
    _owe(
        application,
        occasion=f"decided.{application.round}",
        to=member_emails(application),
        template="decided",
        url=application_url(application),
        reasons=reasons,
        commitments=commitments,
        appeal_until=appeal_deadline(application) if decision == S.REFUSED else None,
    )
    return application


def appeal_deadline(application: Application) -> date | None:
    """The last day a refused structure may appeal; None when it may not (any more)."""
    if application.status != S.REFUSED or application.round > 1 or not application.decided_at:
        return None
    days = AdmissionPolicy.for_network(application.actor.network).appeal_days
    return timezone.localdate(application.decided_at) + timedelta(days=days)


@transaction.atomic
def application_appeal(
    *, application: Application, by: AbstractBaseUser, arguments: str
) -> Application:
    """A refused structure appeals once, within the network's delay, with new arguments;
    other reviewers examine it (services.reviews.assignment_create) and the decision that
    follows is final."""
    _require_applicant(by, application)
    application = _locked(application)
    arguments = arguments.strip()
    deadline = appeal_deadline(application)
    if deadline is None:
        raise ValidationError(_("Cette décision ne peut pas faire l'objet d'un recours."))
    if timezone.localdate() > deadline:
        raise ValidationError(
            _("Le délai de recours a pris fin le %(date)s.")
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    if not arguments:
        raise ValidationError({"arguments": _("Donnez vos arguments nouveaux.")})
    # A refused structure may have started a new application meanwhile: one open at a time
    # (the constraint application_one_open_per_actor would fail the move).
    if Application.objects.open().filter(actor_id=application.actor_id).exists():
        raise ValidationError(
            _("Une autre candidature de cette structure est en cours : retirez-la d'abord.")
        )
    now = timezone.now()
    application = _move(
        application,
        to=S.APPEALED,
        by=by,
        event="appealed",
        note=arguments,
        appeal_arguments=arguments,
        appealed_at=now,
        review_started_at=now,
        round=2,
    )
    _owe(
        application,
        occasion="appealed",
        to=application.actor.network.animator_emails(),
        template="appealed",
        url=application_url(application),
    )
    return application


@transaction.atomic
def commitment_mark_kept(
    *, commitment: ProgressCommitment, by: AbstractBaseUser
) -> ProgressCommitment:
    """The animator records that a structure kept a commitment of its progress plan: it
    leaves the follow-up list and is reminded no more."""
    application = commitment.application
    _require_animator(by, application)
    kept = ProgressCommitment.objects.filter(pk=commitment.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    if kept:
        _record(application, by=by, event="commitment_kept", note=commitment.text)
    commitment.refresh_from_db()
    return commitment
