from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        # Connects the sign-in receiver that starts the two-factor grace period.
        from directory.services import accounts  # noqa: F401
