from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Responsable")
    EDITOR = "editor", _("Contributeur")


class MembershipQuerySet(models.QuerySet):
    def reachable(self):
        """Members an e-mail can reach: an active account with an address. The address is
        the account's primary one, which django-allauth made them verify to sign in."""
        return self.filter(user__is_active=True).exclude(user__email="")

    def emails_of(self, actor_id: int) -> list[str]:
        """The addresses that reach a structure's members (its e-mails go to all of them)."""
        return list(
            self.reachable().filter(actor_id=actor_id).values_list("user__email", flat=True)
        )


class Membership(models.Model):
    """A person acting for a structure. A person may act for several structures."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    actor = models.ForeignKey(
        "directory.Actor", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(fields=["user", "actor"], name="membership_unique_user_actor")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.actor} ({self.get_role_display()})"


class Invitation(models.Model):
    """An owner invites an editor by e-mail; the link carries a signed token."""

    actor = models.ForeignKey(
        "directory.Actor", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.actor}"


class JoinRequest(models.Model):
    """A person asks to join an existing structure instead of creating a duplicate."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    actor = models.ForeignKey(
        "directory.Actor", on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("demande de rattachement")
        verbose_name_plural = _("demandes de rattachement")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "user"],
                condition=models.Q(state="pending"),
                name="joinrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.actor} ({self.get_state_display()})"
