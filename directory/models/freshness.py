from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FreshnessNotice(models.Model):
    """One e-mail the freshness routine owes, recorded before it is sent (the outbox).

    One row per actor, kind and period: the unique constraint is what makes a second pass on
    the same day, or a rerun after a crash, send nothing twice. Reminders go to the actor's
    members; stale and archive notices are gathered into the network's daily digest.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Rappel de confirmation")
        SECOND_REMINDER = "second_reminder", _("Second rappel")
        MANUAL_REMINDER = "manual_reminder", _("Rappel envoyé par l'animateur")
        STALE = "stale", _("Signalé possiblement obsolète")
        ARCHIVE = "archive", _("Archivage proposé")

    MEMBER_KINDS = (Kind.REMINDER, Kind.SECOND_REMINDER, Kind.MANUAL_REMINDER)
    DIGEST_KINDS = (Kind.STALE, Kind.ARCHIVE)

    actor = models.ForeignKey(
        "directory.Actor", on_delete=models.CASCADE, related_name="freshness_notices"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    # The confirmation cycle the notice belongs to: `last_confirmed_at` when it was created
    # (a new confirmation starts a new cycle), or the day for a manual reminder.
    period = models.CharField(_("période"), max_length=40)
    recipients = models.JSONField(_("destinataires"), default=list)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # Set with `sent_at` when the mail server refused the message for good (an unknown
    # address): the notice is closed so that it does not block the others.
    last_error = models.CharField(_("erreur d'envoi"), max_length=300, blank=True)
    digest = models.ForeignKey(
        "directory.FreshnessDigest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
    )

    class Meta:
        verbose_name = _("avis de fraîcheur")
        verbose_name_plural = _("avis de fraîcheur")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "kind", "period"], name="freshness_notice_once_per_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "sent_at"],
                name="notice_unsent",
                condition=models.Q(sent_at__isnull=True),
            ),
            models.Index(fields=["actor", "-sent_at"], name="notice_actor_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.actor_id} · {self.period}"


class FreshnessDigest(models.Model):
    """The one e-mail a network's animators get per day about stale profiles and profiles
    to archive; its notices are attached before it is sent."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="freshness_digests"
    )
    day = models.DateField(_("jour"))
    recipients = models.JSONField(_("destinataires"), default=list)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.CharField(_("erreur d'envoi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("synthèse de fraîcheur")
        verbose_name_plural = _("synthèses de fraîcheur")
        constraints = [
            models.UniqueConstraint(fields=["network", "day"], name="freshness_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.day}"


class FreshnessSnapshot(models.Model):
    """A network's numbers at the end of a daily pass: the dashboard's trend."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="freshness_snapshots"
    )
    day = models.DateField(_("jour"))
    published = models.PositiveIntegerField(_("publiés"), default=0)
    fresh = models.PositiveIntegerField(_("à jour"), default=0)
    due = models.PositiveIntegerField(_("à confirmer"), default=0)
    stale = models.PositiveIntegerField(_("possiblement obsolètes"), default=0)
    confirmed_last_year = models.PositiveIntegerField(
        _("confirmés dans les 12 derniers mois"), default=0
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("relevé de fraîcheur")
        verbose_name_plural = _("relevés de fraîcheur")
        constraints = [
            models.UniqueConstraint(fields=["network", "day"], name="freshness_snapshot_daily")
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.day}"


class ActorChange(models.Model):
    """History of an actor: who changed which fields, when, from what to what.

    Written by the services (directory.history), so edits, confirmations, accepted
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
    at = models.DateTimeField(_("date"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("origine"), max_length=16, choices=Source.choices)
    # {field name: [old, new]} as displayed text; empty for a plain confirmation.
    changes = models.JSONField(_("modifications"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("modification d'un acteur")
        verbose_name_plural = _("historique des acteurs")
        indexes = [models.Index(fields=["actor", "-at"], name="actor_change_actor_at")]

    def __str__(self) -> str:
        return f"{self.actor_id} · {self.get_source_display()} · {self.at:%Y-%m-%d}"
