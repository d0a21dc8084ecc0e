"""Two-factor authentication for the people who can change other people's data.

The rule. Staff, superusers and network animators ("privileged" people) must sign in with a
second factor: an authenticator app (TOTP) and its recovery codes, from django-allauth's
MFA pages. They get settings.MFA_GRACE_DAYS days (7) to set it up, counted from the first
time the platform sees them privileged without one: when they sign in, or on their first
request after the role was given while they were signed in. That moment is one row per
person (`TwoFactorGrace.privileged_since`), written once and never moved: removing the
authenticator later, or losing the role and getting it back, starts no new grace period.

During the grace period every page says how many days are left; past it, every page but
those needed to set the factor up (two-factor pages, reauthentication, sign-out, e-mail
confirmation, static files) sends them to the setup page (directory.middleware). Members
and citizens are never asked; nothing is written for them.

The demo's administrator and animator (`seed_demo`) sign in like anyone else: their grace
period starts at their first sign-in, so a fresh `make run` lets them in for a week.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TwoFactorGrace(models.Model):
    """When a privileged person was first seen without a second factor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_grace"
    )
    privileged_since = models.DateTimeField(_("droits étendus depuis"))

    class Meta:
        verbose_name = _("délai de double authentification")
        verbose_name_plural = _("délais de double authentification")

    def __str__(self) -> str:
        return f"{self.user} ({self.privileged_since:%Y-%m-%d})"


@dataclass(frozen=True)
class TwoFactorDuty:
    """What a privileged person without a second factor is told: `days_left` in the grace
    period, or `required` (past it: nothing else until it is set up)."""

    deadline: datetime
    days_left: int

    @property
    def required(self) -> bool:
        return self.days_left == 0


def is_privileged(user: AbstractBaseUser) -> bool:
    """Staff, superusers and the animators of a network: they change other people's data."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Imported here: directory.permissions imports this package's models.
    from directory.permissions import is_animator

    return is_animator(user)


def two_factor_duty(user: AbstractBaseUser, *, now: datetime | None = None) -> TwoFactorDuty | None:
    """None when `user` need not use a second factor or already does; else their duty, the
    grace period starting now the first time (the one write of this module)."""
    if not is_privileged(user) or is_mfa_enabled(user):
        return None
    now = now or timezone.now()
    # get_or_create: two first requests at once make one row, and the first date stays.
    grace, _created = TwoFactorGrace.objects.get_or_create(
        user=user, defaults={"privileged_since": now}
    )
    deadline = grace.privileged_since + timedelta(days=settings.MFA_GRACE_DAYS)
    # Whole days, rounded up: "1 day left" until the very end, then 0, required.
    days_left = max(0, math.ceil((deadline - now).total_seconds() / 86400))
    return TwoFactorDuty(deadline=deadline, days_left=days_left)


@receiver(user_logged_in, dispatch_uid="directory.two_factor_grace_at_sign_in")
def _start_grace_at_sign_in(sender, user, **kwargs) -> None:
    """The grace period starts at sign-in too (like Django's `last_login`, from this
    signal): the requests that follow only read it, and a GET writes nothing
    (tests/test_access_policy.py)."""
    two_factor_duty(user)
