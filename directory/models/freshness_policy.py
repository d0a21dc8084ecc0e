from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from .actor import Freshness


@dataclass(frozen=True)
class Thresholds:
    """Dates against which `last_confirmed_at` is read, at one instant."""

    due_before: datetime  # confirmed before: a reminder is due
    second_reminder_before: datetime  # confirmed before: the second reminder (stale is near)
    stale_before: datetime  # confirmed before: "information possibly outdated"
    archive_before: datetime  # confirmed before: the animator is asked to archive

    def freshness_of(self, last_confirmed_at: datetime | None) -> str:
        if last_confirmed_at is None or last_confirmed_at < self.stale_before:
            return Freshness.STALE
        if last_confirmed_at < self.due_before:
            return Freshness.DUE
        return Freshness.FRESH


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
