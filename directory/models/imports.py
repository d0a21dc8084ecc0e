from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """An animator's spreadsheet of actors, from upload to import.

    The parsed cells are kept in the row (no file is stored: uploads are private and the
    media folder is public). The mapping says which column feeds which actor field.
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Téléversé")
        CHECKED = "checked", _("Vérifié")
        RUNNING = "running", _("Import en cours")
        DONE = "done", _("Importé")
        FAILED = "failed", _("Échec")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("Tout ou rien")
        SKIP_CHOSEN = "skip", _("Ignorer les lignes choisies")

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    filename = models.CharField(_("fichier"), max_length=255)
    headers = models.JSONField(_("en-têtes"), default=list)
    rows = models.JSONField(_("lignes"), default=list)
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict)
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.UPLOADED
    )
    mode = models.CharField(
        _("mode"), max_length=4, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    skipped_rows = models.JSONField(_("lignes ignorées"), default=list)
    # {row number (1 = first data row): [messages]} from the last check.
    row_errors = models.JSONField(_("erreurs par ligne"), default=dict)
    total = models.PositiveIntegerField(_("lignes"), default=0)
    processed = models.PositiveIntegerField(_("lignes traitées"), default=0)
    created_count = models.PositiveIntegerField(_("acteurs créés"), default=0)
    error_message = models.TextField(_("erreur"), blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import d'acteurs")
        verbose_name_plural = _("imports d'acteurs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"
