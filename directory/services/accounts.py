"""The two-factor rule's one write: when a privileged person's grace period starts
(the rule itself is told in directory.models.accounts)."""

import math
from datetime import datetime, timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from directory.models.accounts import TwoFactorDuty, TwoFactorGrace
from directory.permissions import is_animator


def is_privileged(user: AbstractBaseUser) -> bool:
    """Staff, superusers and the animators of a network: they change other people's data."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or is_animator(user)


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
