"""A structure's application to join its network, its answers to the charter, and the
admission that follows (or that existing members got without one).

The states and the moves between them are listed once, in TRANSITIONS; the services
(cooperation.services.applications) refuse any other move and record each one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.models.charters import CharterVersion, Criterion
from directory.models import Actor, Network
from ess_platform.lib.history import ChangeRecord
from ess_platform.lib.uploads import private_storage


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    UNDER_REVIEW = "under_review", _("En évaluation")
    INFORMATION_REQUESTED = "information_requested", _("Informations demandées")
    ADMITTED = "admitted", _("Admise")
    ADMITTED_WITH_PLAN = "admitted_with_plan", _("Admise avec un plan de progrès")
    REFUSED = "refused", _("Refusée")
    APPEALED = "appealed", _("En recours")
    WITHDRAWN = "withdrawn", _("Retirée")


S = ApplicationStatus
# Every allowed move. An appeal goes back under review once; the decision after it is final
# (Application.is_final), so "refused" leads nowhere the second time.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {
        S.INFORMATION_REQUESTED,
        S.ADMITTED,
        S.ADMITTED_WITH_PLAN,
        S.REFUSED,
        S.WITHDRAWN,
    },
    S.INFORMATION_REQUESTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.REFUSED: {S.APPEALED},
    S.APPEALED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.ADMITTED: set(),
    S.ADMITTED_WITH_PLAN: set(),
    S.WITHDRAWN: set(),
}
OPEN_STATUSES = [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.APPEALED]
# Where reviewers give opinions and the animator may decide.
REVIEW_STATUSES = [S.UNDER_REVIEW]
DECISIONS = [S.ADMITTED, S.ADMITTED_WITH_PLAN, S.REFUSED]


class Answer(models.TextChoices):
    YES = "yes", _("Oui")
    PARTLY = "partly", _("En partie")
    NO = "no", _("Non")


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def of_network(self, network: Network):
        return self.filter(actor__network=network)

    def awaiting_review(self):
        """Submitted or under review: what the network's reviewers may take or are on."""
        return self.filter(status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.APPEALED])


class Application(models.Model):
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="applications", verbose_name=_("structure")
    )
    charter_version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("état"), max_length=24, choices=ApplicationStatus.choices, default=S.DRAFT
    )
    # 1 for the first review, 2 for the review of an appeal (by other reviewers).
    round = models.PositiveSmallIntegerField(_("tour"), default=1)
    charter_accepted_at = models.DateTimeField(_("charte acceptée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # When the current round started waiting for opinions (submission, appeal, resumption):
    # the reminders count from it.
    review_started_at = models.DateTimeField(null=True, blank=True)
    information_request = models.TextField(_("informations demandées"), blank=True)
    information_answer = models.TextField(_("réponse de la structure"), blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_reasons = models.TextField(_("motifs de la décision"), blank=True)
    appeal_arguments = models.TextField(_("arguments du recours"), blank=True)
    appealed_at = models.DateTimeField(_("recours déposé le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open application per structure at a time.
            models.UniqueConstraint(
                fields=["actor"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_one_open_per_actor",
            )
        ]

    def __str__(self) -> str:
        return _("Candidature de %(actor)s") % {"actor": self.actor.name}

    @property
    def network(self) -> Network:
        return self.actor.network

    @property
    def is_final(self) -> bool:
        """A decision after an appeal cannot be appealed."""
        return self.round > 1 and self.status in DECISIONS

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


def evidence_path(instance: "CriterionAnswer", filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class CriterionAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("réponse"), max_length=8, choices=Answer.choices)
    explanation = models.TextField(_("explication"), blank=True)
    # Private: stored outside MEDIA_ROOT, served by a view that checks who asks.
    evidence = models.FileField(
        _("justificatif"),
        upload_to=evidence_path,
        storage=private_storage,
        blank=True,
    )

    class Meta:
        verbose_name = _("réponse à un critère")
        verbose_name_plural = _("réponses aux critères")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="answer_unique_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"


class ApplicationChange(ChangeRecord):
    """History of an application: every move, opinion and decision (who, when, why)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(_("événement"), max_length=40)

    class Meta(ChangeRecord.Meta):
        verbose_name = _("historique de candidature")
        verbose_name_plural = _("historiques de candidature")


class Admission(models.Model):
    """A structure admitted to its network: by an application, or as a member from before
    the admission process (data migration 0002), with no application."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="admission")
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="admission"
    )
    admitted_at = models.DateTimeField(_("admise le"))

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")

    def __str__(self) -> str:
        return str(self.actor)


class ProgressCommitmentQuerySet(models.QuerySet):
    def to_follow(self, network: Network):
        """The commitments of the network's admitted structures not yet kept, soonest first."""
        return (
            self.filter(application__actor__network=network, done_at__isnull=True)
            .select_related("application__actor")
            .order_by("due_on", "pk")
        )


class ProgressCommitment(models.Model):
    """A commitment of an admission with a progress plan, followed on the dashboard."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(_("engagement"), max_length=300)
    due_on = models.DateField(_("échéance"))
    done_at = models.DateTimeField(_("tenu le"), null=True, blank=True)

    objects = ProgressCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement de progrès")
        verbose_name_plural = _("engagements de progrès")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text
