from django.db import models
from django.utils.translation import gettext_lazy as _

from ess_platform.lib.history import ChangeRecord


class ActorChange(ChangeRecord):
    """History of an actor: who changed which fields, when, from what to what.

    Written by the services (directory.services.history), so edits, confirmations, accepted
    corrections, bulk actions and imports are all recorded, on SQLite as on PostgreSQL.
    """

    class Source(models.TextChoices):
        CREATION = "creation", _("Création")
        EDIT = "edit", _("Modification")
        CONFIRMATION = "confirmation", _("Confirmation")
        CORRECTION = "correction", _("Correction acceptée")
        STATUS = "status", _("Changement de statut")
        BULK = "bulk", _("Action groupée")
        IMPORT = "import", _("Import")
        FRESHNESS = "freshness", _("Routine de fraîcheur")

    actor = models.ForeignKey("directory.Actor", on_delete=models.CASCADE, related_name="changes")
    source = models.CharField(_("origine"), max_length=16, choices=Source.choices)

    class Meta(ChangeRecord.Meta):
        verbose_name = _("modification d'un acteur")
        verbose_name_plural = _("historique des acteurs")
        indexes = [models.Index(fields=["actor", "-at"], name="actor_change_actor_at")]

    def __str__(self) -> str:
        return f"{self.actor_id} · {self.get_source_display()} · {self.at:%Y-%m-%d}"
