"""Reviewers, their assignments, the pair's visit and the opinions.

The rule of who may review an application is `review_conflict`: the services refuse an
assignment, a visit or an opinion it names, whatever the page showed.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.models import (
    Application,
    ApplicationStatus,
    Assignment,
    College,
    ConflictOfInterest,
    CriterionOpinion,
    Opinion,
    Reviewer,
    Stakeholder,
    Verdict,
    Visit,
)
from cooperation.permissions import belongs_to_network, reviewer_of
from cooperation.services.applications import _locked, _move, _record, application_url
from cooperation.services.setup import admission_setup
from directory.models import Actor, Membership, Network
from directory.permissions import can_animate
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

S = ApplicationStatus
# Opinions may be given, and changed, until the decision.
OPINION_STATUSES = (S.UNDER_REVIEW, S.INFORMATION_REQUESTED)


@transaction.atomic
def reviewer_add(
    *, network: Network, user: AbstractBaseUser, college: College, by: AbstractBaseUser
) -> Reviewer:
    """The animator invites someone as a reviewer of a college (or moves them to it)."""
    if not can_animate(by, network):
        raise PermissionDenied
    if college.network_id != network.pk:
        raise ValidationError(_("Ce collège n'est pas celui de ce réseau."))
    reviewer, _created = Reviewer.objects.update_or_create(
        user=user, network=network, defaults={"college": college, "active": True}
    )
    owe(
        key=f"cooperation.reviewer.added:{reviewer.pk}:{college.pk}",
        to=[user.email],
        template="cooperation/reviews/emails/reviewer_added",
        context={
            "network": network,
            "college": college,
            "url": absolute_url(reverse("cooperation:review_queue", args=[network.slug])),
        },
    )
    return reviewer


@transaction.atomic
def reviewer_volunteer(*, network: Network, by: AbstractBaseUser) -> Reviewer:
    """A member of a structure of the network volunteers as a peer reviewer."""
    if not belongs_to_network(by, network):
        raise PermissionDenied
    admission_setup(network=network)
    existing = Reviewer.objects.filter(user=by, network=network).first()
    if existing is not None and existing.active:
        return existing
    peers = College.objects.filter(network=network, stakeholder=Stakeholder.INDUSTRY).first()
    if peers is None:
        raise ValidationError(_("Ce réseau n'a pas de collège des structures pairs."))
    reviewer, _created = Reviewer.objects.update_or_create(
        user=by, network=network, defaults={"college": peers, "active": True}
    )
    return reviewer


@transaction.atomic
def conflict_declare(
    *, reviewer: Reviewer, actor: Actor, by: AbstractBaseUser, note: str = ""
) -> ConflictOfInterest:
    """A reviewer declares they cannot judge a structure impartially."""
    if by.pk != reviewer.user_id and not can_animate(by, reviewer.network_id):
        raise PermissionDenied
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        reviewer=reviewer, actor=actor, defaults={"note": note.strip()[:300]}
    )
    return conflict


def review_conflict(reviewer: Reviewer, application: Application) -> str | None:
    """Why `reviewer` may not review `application`, or None. Nobody reviews a structure
    they are a member of, declared a conflict with, or belong to through another structure
    of the same legal entity (same SIREN); an appeal is reviewed by people who did not
    review the first time."""
    actor = application.actor
    if reviewer.network_id != actor.network_id:
        return _("Cette candidature n'est pas dans votre réseau.")
    if Membership.objects.filter(user_id=reviewer.user_id, actor=actor).exists():
        return _("Vous êtes membre de cette structure.")
    if ConflictOfInterest.objects.filter(reviewer=reviewer, actor=actor).exists():
        return _("Vous avez déclaré un conflit d'intérêts avec cette structure.")
    siren = (actor.siret or "")[:9]
    if (
        siren
        and Membership.objects.filter(user_id=reviewer.user_id, actor__siret__startswith=siren)
        .exclude(actor=actor)
        .exists()
    ):
        return _("Vous êtes membre d'une autre structure de la même entité juridique.")
    if application.round > 1 and (
        Assignment.objects.filter(application=application, reviewer=reviewer, round=1).exists()
        or Opinion.objects.filter(application=application, reviewer=reviewer, round=1).exists()
    ):
        return _("Vous avez évalué la première candidature : le recours revient à d'autres.")
    return None


@transaction.atomic
def assignment_create(
    *, application: Application, reviewer: Reviewer, by: AbstractBaseUser
) -> Assignment:
    """The animator assigns a reviewer, or a reviewer takes the application themselves.
    The first assignment of a round starts the review."""
    application = _locked(application)
    takes_it = by.pk == reviewer.user_id and reviewer.active
    if not (takes_it or can_animate(by, application.actor.network_id)):
        raise PermissionDenied
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW, S.APPEALED):
        raise ValidationError(_("Cette candidature n'attend pas d'évaluateur."))
    if not reviewer.active:
        raise ValidationError(_("Cet évaluateur n'est plus actif."))
    reason = review_conflict(reviewer, application)
    if reason:
        raise ValidationError(reason)
    assignment, created = Assignment.objects.get_or_create(
        application=application, reviewer=reviewer, round=application.round
    )
    if not created:
        return assignment
    if application.status in (S.SUBMITTED, S.APPEALED):
        _move(application, to=S.UNDER_REVIEW, by=by, event="review_started")
    _record(
        application,
        by=by,
        event="assigned",
        note=f"{reviewer} — {reviewer.college.name}",
    )
    if not takes_it:
        owe(
            key=f"cooperation.assignment:{assignment.pk}",
            to=[reviewer.user.email],
            template="cooperation/reviews/emails/assigned",
            context={"application": application, "url": application_url(application)},
        )
    return assignment


def _assigned_reviewer(by: AbstractBaseUser, application: Application) -> Reviewer:
    reviewer = reviewer_of(by, application.actor.network_id)
    if (
        reviewer is None
        or not Assignment.objects.filter(
            application=application, reviewer=reviewer, round=application.round
        ).exists()
    ):
        raise PermissionDenied
    reason = review_conflict(reviewer, application)
    if reason:
        raise PermissionDenied(reason)
    return reviewer


def _check_comment(verdict: str, comment: str, what: str) -> None:
    if verdict not in Verdict.values:
        raise ValidationError(_("Avis inconnu."))
    if verdict != Verdict.FAVOURABLE and not comment.strip():
        raise ValidationError(
            _("Un avis réservé ou défavorable s'explique (%(what)s).") % {"what": what}
        )


@transaction.atomic
def opinion_give(
    *,
    application: Application,
    by: AbstractBaseUser,
    verdict: str,
    comment: str = "",
    criteria: dict[int, tuple[str, str]] | None = None,
) -> Opinion:
    """An assigned reviewer's opinion, overall and per criterion `{criterion id: (verdict,
    comment)}`; given again, it replaces the previous one, and the history keeps both."""
    application = _locked(application)
    reviewer = _assigned_reviewer(by, application)
    if application.status not in OPINION_STATUSES:
        raise ValidationError(_("Les avis sont clos : la décision est prise."))
    _check_comment(verdict, comment, _("avis général"))
    titles = {c.pk: c.title for c in application.charter_version.criteria.all()}
    criteria = criteria or {}
    if set(criteria) - set(titles):
        raise ValidationError(_("Ce critère n'est pas dans la charte de la candidature."))
    for criterion_id, (value, text) in criteria.items():
        _check_comment(value, text, titles[criterion_id])
    opinion = Opinion.objects.filter(
        application=application, reviewer=reviewer, round=application.round
    ).first()
    old = Verdict(opinion.verdict).label if opinion else ""
    if opinion is None:
        opinion = Opinion(application=application, reviewer=reviewer, round=application.round)
    opinion.verdict, opinion.comment = verdict, comment.strip()
    opinion.save()
    opinion.criteria.all().delete()
    CriterionOpinion.objects.bulk_create(
        CriterionOpinion(opinion=opinion, criterion_id=cid, verdict=value, comment=text.strip())
        for cid, (value, text) in criteria.items()
    )
    _record(
        application,
        by=by,
        event="opinion",
        note=opinion.comment,
        changes={str(reviewer): [str(old), str(Verdict(verdict).label)]},
    )
    return opinion


@transaction.atomic
def visit_record(
    *,
    application: Application,
    by: AbstractBaseUser,
    visited_on: date,
    reviewers: list[Reviewer],
    met: str,
    observations: str,
    criteria_notes: dict[int, str] | None = None,
) -> Visit:
    """The pair's visit report: two reviewers assigned to this round, from two colleges,
    written by one of them or by the animator."""
    application = _locked(application)
    network_id = application.actor.network_id
    pair_users = {r.user_id for r in reviewers}
    if by.pk not in pair_users and not can_animate(by, network_id):
        raise PermissionDenied
    if application.status not in OPINION_STATUSES:
        raise ValidationError(_("La visite se rapporte pendant l'évaluation."))
    if len(reviewers) != 2 or reviewers[0].college_id == reviewers[1].college_id:
        raise ValidationError(_("Une visite se fait en binôme, de deux collèges différents."))
    for reviewer in reviewers:
        assigned = Assignment.objects.filter(
            application=application, reviewer=reviewer, round=application.round
        ).exists()
        if not assigned or review_conflict(reviewer, application):
            raise ValidationError(
                _("%(name)s n'évalue pas cette candidature.") % {"name": reviewer}
            )
    if not observations.strip() or not met.strip():
        raise ValidationError(_("Dites qui vous avez rencontré et ce que vous avez vu."))
    visit = Visit.objects.create(
        application=application,
        round=application.round,
        visited_on=visited_on,
        met=met.strip(),
        observations=observations.strip(),
        criteria_notes={str(k): v.strip() for k, v in (criteria_notes or {}).items() if v.strip()},
    )
    visit.reviewers.set(reviewers)
    _record(application, by=by, event="visit", note=visit.observations)
    return visit
