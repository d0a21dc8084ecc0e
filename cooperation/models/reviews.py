"""The review of an application: who is assigned, the pair's visit, each reviewer's
opinion (overall and per criterion). Each round (the first review, then an appeal's) has
its own assignments and opinions, so an appeal is judged by other people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.admission import CastOpinion, quorum
from cooperation.models.applications import Application
from cooperation.models.charters import Criterion
from cooperation.models.colleges import AdmissionPolicy, College, Reviewer, Stakeholder


class Verdict(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("évaluateur désigné")
        verbose_name_plural = _("évaluateurs désignés")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "round"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Opinion(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField(default=1)
    verdict = models.CharField(_("avis"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["reviewer__college__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "round"], name="opinion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_verdict_display()}"


class CriterionOpinion(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("avis"), max_length=12, choices=Verdict.choices)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "criterion"], name="criterion_opinion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_verdict_display()}"


class Visit(models.Model):
    """The pair's visit report: two reviewers of two colleges met the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="visits")
    round = models.PositiveSmallIntegerField(default=1)
    visited_on = models.DateField(_("date de la visite"))
    reviewers = models.ManyToManyField(Reviewer, related_name="visits", verbose_name=_("binôme"))
    met = models.CharField(_("personnes rencontrées"), max_length=300)
    observations = models.TextField(_("ce qui a été vu"))
    # {criterion id (str): what the pair saw about it}
    criteria_notes = models.JSONField(_("observations par critère"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visite")
        verbose_name_plural = _("visites")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} ({self.visited_on})"


def round_opinions(application: Application):
    return Opinion.objects.filter(application=application, round=application.round).select_related(
        "reviewer__college", "reviewer__user"
    )


def decision_blockers(application: Application) -> list[str]:
    """What the animator still waits for before deciding this round: the quorum of
    opinions (cooperation.admission.quorum), and the pair's visit when the network
    expects one. Empty when a decision may be taken."""
    network = application.actor.network
    policy = AdmissionPolicy.for_network(network)
    peers = College.objects.filter(network=network, stakeholder=Stakeholder.INDUSTRY).first()
    state = quorum(
        [
            CastOpinion(college_id=o.reviewer.college_id, is_peers=o.reviewer.college.is_peers)
            for o in round_opinions(application)
        ],
        required_opinions=policy.quorum_opinions,
        required_colleges=policy.quorum_colleges,
        peer_required=policy.peer_opinion_required,
        peer_college_name=peers.name if peers else "",
    )
    blockers = list(state.missing)
    if (
        policy.visit_expected
        and not Visit.objects.filter(application=application, round=application.round).exists()
    ):
        blockers.append(str(_("il manque le rapport de visite du binôme")))
    return blockers
