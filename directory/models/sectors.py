from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SectorQuerySet(models.QuerySet):
    def filieres(self):
        return self.filter(parent__isnull=True)

    def leaves(self):
        return self.filter(parent__isnull=False)

    def keys_covered_by(self, sectors) -> set[int]:
        """The keys a filter on `sectors` covers: each sector, and for a filière all its
        sectors too (a filière stands for its sectors: the directory's and the catalogue's
        filters, the API's)."""
        filieres = [s for s in sectors if s.parent_id is None]
        return {s.pk for s in sectors} | set(
            self.filter(parent__in=filieres).values_list("pk", flat=True)
        )


class Sector(models.Model):
    """Two-level taxonomy: a filière (no parent) groups sectors; the map colours by filière."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("filière"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    colour = models.CharField(
        _("couleur"),
        max_length=7,
        default="#4a5568",
        # Interpolated into the generated stylesheet: only a hex colour may get there.
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Couleur hexadécimale, ex. #2f855a"))],
        help_text=_("Couleur hexadécimale, ex. #2f855a, lisible avec un texte blanc."),
    )
    icon = models.CharField(_("icône"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the current language. Names are data, seeded in French and marked for
        the catalogues (directory/seed/sectors.py): a name edited in the admin, which no
        catalogue knows, shows as typed. (gettext("") would give the catalogue's header.)"""
        return gettext(self.name) if self.name else ""

    @property
    def filiere(self) -> "Sector":
        return self.parent or self
