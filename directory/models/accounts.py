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

The rule's one write (the start of the grace period) is directory.services.accounts.

The demo's administrator and animator (`seed_demo`) sign in like anyone else: their grace
period starts at their first sign-in, so a fresh `make run` lets them in for a week.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
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
