from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CorrectionReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=CorrectionReport.State.OPEN)


class CorrectionReport(models.Model):
    """Someone (signed in or not) says a field of a profile is wrong and proposes a value;
    the actor's members accept (the value is applied) or reject it with a reason."""

    class State(models.TextChoices):
        OPEN = "open", _("Ouvert")
        ACCEPTED = "accepted", _("Accepté")
        REJECTED = "rejected", _("Refusé")

    actor = models.ForeignKey(
        "directory.Actor", on_delete=models.CASCADE, related_name="correction_reports"
    )
    field = models.CharField(_("information concernée"), max_length=40)
    current_value = models.TextField(_("valeur affichée"), blank=True)
    proposed_value = models.TextField(_("valeur proposée"), max_length=2000)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter_email = models.EmailField(_("e-mail du signalant"), blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif"), max_length=2000, blank=True)

    objects = CorrectionReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        indexes = [models.Index(fields=["actor", "state"], name="correction_actor_state")]

    def __str__(self) -> str:
        return f"{self.actor_id} · {self.field} · {self.get_state_display()}"
