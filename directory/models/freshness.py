"""Freshness (DESIGN.md §3): the policy that dates a profile's confirmation, and the records
of the daily pass: notices owed, digests, and the daily snapshot for the trend chart."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ess_platform.lib.outbox.models import OwedEmail

from .actors import Freshness


@dataclass(frozen=True)
class Thresholds:
    """Dates against which `last_confirmed_at` is read, at one instant."""

    due_before: datetime  # confirmed before: a reminder is due
    second_reminder_before: datetime  # confirmed before: the second reminder (stale is near)
    stale_before: datetime  # confirmed before: "information possibly outdated"
    archive_before: datetime  # confirmed before: the animator is asked to archive

    # The one definition of the states (DESIGN.md §3), in its two forms side by side: a
    # filter for the daily pass and the dashboard, a test for objects being built (the demo,
    # the factories). Keep them in step: tests/directory/test_freshness_services.py checks
    # both agree.

    def confirmed(self, state: str) -> Q:
        """Actors whose `last_confirmed_at` puts them in `state` at this instant."""
        if state == Freshness.STALE:
            return Q(last_confirmed_at__isnull=True) | Q(last_confirmed_at__lt=self.stale_before)
        if state == Freshness.DUE:
            return Q(
                last_confirmed_at__gte=self.stale_before, last_confirmed_at__lt=self.due_before
            )
        return Q(last_confirmed_at__gte=self.due_before)

    def freshness_of(self, last_confirmed_at: datetime | None) -> str:
        if last_confirmed_at is None or last_confirmed_at < self.stale_before:
            return Freshness.STALE
        if last_confirmed_at < self.due_before:
            return Freshness.DUE
        return Freshness.FRESH

    def to_archive(self) -> Q:
        """Stale long enough for the animator to be asked to archive (never automatic)."""
        return Q(last_confirmed_at__lt=self.archive_before) | Q(
            last_confirmed_at__isnull=True, created_at__lt=self.archive_before
        )


@dataclass(frozen=True)
class FreshnessPolicy:
    """When a profile is due for confirmation, stale, and proposed for archiving
    (DESIGN.md §3). Defaults come from the settings; a network may set its own."""

    due_after_months: int
    grace_months: int
    archive_after_months: int
    second_reminder_days_before_stale: int

    @classmethod
    def default(cls) -> "FreshnessPolicy":
        return cls(
            due_after_months=settings.FRESHNESS_DUE_AFTER_MONTHS,
            grace_months=settings.FRESHNESS_GRACE_MONTHS,
            archive_after_months=settings.FRESHNESS_ARCHIVE_AFTER_MONTHS,
            second_reminder_days_before_stale=settings.FRESHNESS_SECOND_REMINDER_DAYS,
        )

    @classmethod
    def for_network(cls, network) -> "FreshnessPolicy":
        default = cls.default()
        due = network.due_after_months or default.due_after_months
        grace = network.grace_months or default.grace_months
        archive = network.archive_after_months or default.archive_after_months
        # Archiving is only ever proposed for a profile that is already stale.
        return cls(
            due_after_months=due,
            grace_months=grace,
            archive_after_months=max(archive, due + grace + 1),
            second_reminder_days_before_stale=default.second_reminder_days_before_stale,
        )

    def thresholds(self, as_of: datetime | None = None) -> Thresholds:
        as_of = as_of or timezone.now()
        due_before = as_of - relativedelta(months=self.due_after_months)
        stale_before = due_before - relativedelta(months=self.grace_months)
        # The second reminder goes out a few days before the stale mark, never before the
        # first one could have been read.
        second = min(
            due_before,
            stale_before + timedelta(days=self.second_reminder_days_before_stale),
        )
        return Thresholds(
            due_before=due_before,
            second_reminder_before=second,
            stale_before=stale_before,
            archive_before=as_of - relativedelta(months=self.archive_after_months),
        )


class FreshnessNotice(OwedEmail):
    """One e-mail the freshness routine owes, recorded before it is sent (an OwedEmail: the
    outbox's recipients, sent_at and last_error, sent through ess_platform.lib.outbox).

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


class FreshnessDigest(OwedEmail):
    """The one e-mail a network's animators get per day about stale profiles and profiles
    to archive; its notices are attached before it is sent."""

    network = models.ForeignKey(
        "directory.Network", on_delete=models.CASCADE, related_name="freshness_digests"
    )
    day = models.DateField(_("jour"))

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
