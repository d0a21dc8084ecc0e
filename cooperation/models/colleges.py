"""Who reviews: colleges of stakeholders per network, their reviewers, their conflicts of
interest, and the network's admission rules (quorum, visit, delays)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Network


class Stakeholder(models.TextChoices):
    """ISO 26000's categories of stakeholders, each college's counterpart."""

    INDUSTRY = "industry", _("Industrie (structures pairs)")
    CONSUMERS = "consumers", _("Consommateurs")
    GOVERNMENT = "government", _("Pouvoirs publics")
    LABOUR = "labour", _("Salariés")
    NGO = "ngo", _("ONG et partenaires")
    RESEARCH = "research", _("Services, soutien et recherche")


class College(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="colleges", verbose_name=_("réseau")
    )
    name = models.CharField(_("nom"), max_length=120)
    stakeholder = models.CharField(
        _("équivalent ISO 26000"), max_length=12, choices=Stakeholder.choices
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="college_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_peers(self) -> bool:
        """The college of peer ESS structures, whose opinion the default quorum requires."""
        return self.stakeholder == Stakeholder.INDUSTRY


class ReviewerQuerySet(models.QuerySet):
    def of_network(self, network: Network):
        return self.filter(network=network, active=True)


class Reviewer(models.Model):
    """A person who reviews the applications of one network, in one college."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_roles"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="reviewers")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="reviewers")
    active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluateur")
        verbose_name_plural = _("évaluateurs")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="reviewer_unique_network")
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.college})"


class ConflictOfInterest(models.Model):
    """A reviewer's declaration that they may not judge a structure impartially."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("raison"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "actor"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.actor}"


class AdmissionPolicy(models.Model):
    """A network's admission rules; a network without a row uses the defaults below."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="admission_policy"
    )
    quorum_opinions = models.PositiveSmallIntegerField(_("avis requis"), default=3)
    quorum_colleges = models.PositiveSmallIntegerField(_("collèges distincts requis"), default=2)
    peer_opinion_required = models.BooleanField(_("un avis des pairs requis"), default=True)
    visit_expected = models.BooleanField(_("visite par un binôme"), default=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("relance après (jours sans quorum)"), default=15
    )
    appeal_days = models.PositiveSmallIntegerField(_("délai de recours (jours)"), default=30)

    class Meta:
        verbose_name = _("règles d'admission")
        verbose_name_plural = _("règles d'admission")

    def __str__(self) -> str:
        return str(self.network)

    @classmethod
    def for_network(cls, network: Network) -> "AdmissionPolicy":
        """The network's rules, or the defaults, unsaved (a read never writes)."""
        policy = cls.objects.filter(network=network).first()
        return policy or cls(network=network)
