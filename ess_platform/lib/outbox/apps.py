from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "ess_platform.lib.outbox"
    label = "outbox"
    verbose_name = _("E-mails")
    default_auto_field = "django.db.models.BigAutoField"
