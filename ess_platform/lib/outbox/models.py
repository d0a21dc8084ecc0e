from django.db import models
from django.utils.translation import gettext_lazy as _

ERROR_MAX_LENGTH = 300


class OwedEmail(models.Model):
    """What every record of an owed e-mail has: who gets it, when it went, what failed.

    `sent_at` is set when the mail server accepted the message, or when it refused it for
    good (then `last_error` says why): either way the record is closed and never retried.
    """

    recipients = models.JSONField(_("destinataires"), default=list)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.CharField(_("erreur d'envoi"), max_length=ERROR_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


class OutboxMessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def to_send(self):
        """Messages that go out on their own (digest lines wait for their digest)."""
        return self.unsent().filter(digest_day__isnull=True)

    def digest_lines(self, *, until):
        """Unsent digest lines of `until` and the days before, oldest first."""
        return self.unsent().filter(digest_day__lte=until).order_by("digest_day", "pk")


class OutboxMessage(OwedEmail):
    """An e-mail owed, rendered when it was owed (in the site's language).

    `key` names the occasion and the recipient ("directory.invitation:42"): recording the
    same key twice records nothing, which is what makes a rerun or a redelivered task safe.
    A digest line (`digest_day` set) has one recipient and is sent inside that recipient's
    digest of the day, never alone.
    """

    key = models.CharField(_("clé"), max_length=200, unique=True)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    digest_day = models.DateField(_("synthèse du"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(
                fields=["digest_day", "created_at"],
                name="outbox_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key
