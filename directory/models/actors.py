from django.db import models
from django.db.models import Avg, Count, F, FloatField, Q
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ess_platform.lib import geo
from ess_platform.lib.siret import normalize_siret, validate_siret
from ess_platform.lib.text import every_word

from .map import cell_size
from .search import forgiving_search


class HttpsURLField(models.URLField):
    """A URL typed without a scheme ("monasso.fr") is read as https, Django 6's default."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    CAE = "cae", _("Coopérative d'activité et d'emploi")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    MUTUAL = "mutual", _("Mutuelle")
    FOUNDATION = "foundation", _("Fondation")
    ESUS = "esus", _("Entreprise agréée ESUS")
    SIAE = "siae", _("Structure d'insertion (SIAE)")
    ESAT_EA = "esat_ea", _("ESAT / Entreprise adaptée")
    OTHER = "other", _("Autre")


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PENDING = "pending", _("En attente de validation")
    PUBLISHED = "published", _("Publié")
    SUSPENDED = "suspended", _("Suspendu")
    ARCHIVED = "archived", _("Archivé")


class Freshness(models.TextChoices):
    FRESH = "fresh", _("À jour")
    DUE = "due", _("À confirmer")
    STALE = "stale", _("Possiblement obsolète")


class Capacity:
    class Headcount(models.TextChoices):
        NONE = "0", _("Aucun salarié")
        MICRO = "1-9", _("1 à 9 salariés")
        SMALL = "10-49", _("10 à 49 salariés")
        MEDIUM = "50-249", _("50 à 249 salariés")
        LARGE = "250+", _("250 salariés et plus")

    class Turnover(models.TextChoices):
        UNDER_100K = "<100k", _("Moins de 100 000 €")
        UNDER_500K = "100k-500k", _("100 000 € à 500 000 €")
        UNDER_2M = "500k-2m", _("500 000 € à 2 M€")
        UNDER_10M = "2m-10m", _("2 M€ à 10 M€")
        OVER_10M = "10m+", _("Plus de 10 M€")


LONG_TEXT_FIELDS = ("description", "offer", "added_value", "search_text", "opening_hours")


class ActorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(memberships__user=user) | Q(network__animators=user)).distinct()

    def with_freshness(self, freshness: str):
        """Actors in a freshness state, as last marked (by a confirmation, or by the daily
        pass that applies each network's policy: directory.services.freshness)."""
        if freshness not in Freshness.values:
            raise ValueError(freshness)
        return self.filter(freshness=freshness)

    def awaiting_review(self):
        """Profiles submitted for publication, with what the review queue shows of them
        (commune, the members who act for them), oldest submission first."""
        return (
            self.filter(status=Status.PENDING)
            .select_related("commune")
            .prefetch_related("memberships__user")
            .order_by("updated_at", "pk")
        )

    def in_network(self, network):
        return self.filter(network=network)

    def in_bbox(self, west: float, south: float, east: float, north: float):
        return geo.in_bbox(self, west=west, south=south, east=east, north=north)

    def near(self, lat: float, lon: float, *, km: float):
        """Actors within `km` of a point, with `distance_km`, nearest first."""
        return geo.near(self, lat, lon, km=km)

    def search(self, query: str):
        """Full-text search forgiving plurals and a typo, on both databases (ranked on
        PostgreSQL, then by name): search.forgiving_search."""
        return forgiving_search(self, query, tie_break="name")

    def possible_duplicates(self, *, name: str, commune, siret: str = ""):
        """Published structures a new profile might duplicate: the same SIRET, or a close
        name in the same commune (every significant word of the new name is a word of
        theirs: "ile" does not match inside "automobile").

        Published only: a draft's name is never shown to whoever types a similar one. The
        import's in-file and database checks (directory.import_rows) use the same rule."""
        siret = normalize_siret(siret)
        condition = Q(siret=siret) if siret else Q(pk__in=[])
        name_match = every_word("search_text", name, min_length=3, whole_words=True)
        if commune is not None and name_match:
            condition |= Q(commune=commune) & name_match
        return self.published().filter(condition).select_related("commune").order_by("name")

    def for_listing(self):
        """What list pages and the API list need, in a fixed number of queries. The long
        texts are left out: a ranked search sorts thousands of rows before keeping 20."""
        # The commune is prefetched, not joined: with a join between the LIMIT and the sort,
        # PostgreSQL sorts every match of a search instead of keeping the top 20.
        return self.prefetch_related("commune", "sectors__parent").defer(*LONG_TEXT_FIELDS)

    def clusters(self, *, zoom: int):
        """(count, lat, lon) of these actors grouped on the map cells' grid at `zoom`,
        computed on the fly: the precomputed MapCell table only knows unfiltered totals,
        so a filtered map is clustered here."""
        size = cell_size(zoom)
        return (
            self.order_by()
            .annotate(
                cx=Floor((F("lon") + 180.0) / size, output_field=FloatField()),
                cy=Floor((F("lat") + 90.0) / size, output_field=FloatField()),
            )
            .values("cx", "cy")
            .annotate(count=Count("id"), lat=Avg("lat"), lon=Avg("lon"))
            .values_list("count", "lat", "lon")
        )

    def with_known_count(self, count: int):
        """This queryset, answering `count()` with a number already known (pagination of the
        unfiltered directory, whose size the map cells keep: directory.services.map)."""
        clone = self._chain()
        clone._known_count = count
        return clone

    def count(self) -> int:
        known = getattr(self, "_known_count", None)
        return known if known is not None else super().count()


class Actor(models.Model):
    network = models.ForeignKey(
        "directory.Network",
        verbose_name=_("réseau"),
        on_delete=models.PROTECT,
        related_name="actors",
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=220, unique=True)
    legal_form = models.CharField(_("forme juridique"), max_length=20, choices=LegalForm.choices)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_("14 chiffres, sans espaces."),
    )
    short_description = models.CharField(_("présentation courte"), max_length=280)
    description = models.TextField(_("présentation détaillée"), blank=True)
    sectors = models.ManyToManyField(
        "directory.Sector", verbose_name=_("secteurs"), related_name="actors"
    )
    keywords = models.CharField(
        _("mots-clés"), max_length=300, blank=True, help_text=_("Séparés par des virgules.")
    )
    website = HttpsURLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail public"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="actors",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    intervention_radius_km = models.PositiveSmallIntegerField(
        _("rayon d'intervention (km)"), default=20
    )
    headcount_band = models.CharField(
        _("effectif salarié"), max_length=10, choices=Capacity.Headcount.choices, blank=True
    )
    turnover_band = models.CharField(
        _("chiffre d'affaires"), max_length=10, choices=Capacity.Turnover.choices, blank=True
    )
    volunteers = models.PositiveIntegerField(_("bénévoles"), null=True, blank=True)
    labels = models.CharField(_("labels et agréments"), max_length=300, blank=True)
    offer = models.TextField(_("produits et services proposés"), blank=True)
    added_value = models.TextField(_("plus-value sociale et environnementale"), blank=True)
    opening_hours = models.CharField(_("horaires d'ouverture"), max_length=300, blank=True)
    local_currencies = models.CharField(_("monnaies locales acceptées"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    last_confirmed_at = models.DateTimeField(_("dernière confirmation"), null=True, blank=True)
    # Marked, not computed on read: each network has its own policy, and the daily pass
    # (directory.services.freshness) sends a reminder when it moves an actor from one state to
    # the next.
    freshness = models.CharField(
        _("fraîcheur"), max_length=8, choices=Freshness.choices, default=Freshness.FRESH
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    # Normalised text of the searchable fields (see ess_platform.lib.text.normalize); kept current
    # by the services, indexed for full text and trigrams on PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="actor_unique_siret"
            )
        ]
        indexes = [
            models.Index(fields=["status", "lat", "lon"], name="actor_status_lat_lon"),
            models.Index(fields=["status", "name"], name="actor_status_name"),
            models.Index(fields=["last_confirmed_at"], name="actor_last_confirmed"),
            models.Index(fields=["network", "freshness", "status"], name="actor_network_freshness"),
            models.Index(fields=["status", "freshness"], name="actor_status_freshness"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:actor_detail", kwargs={"slug": self.slug})

    @property
    def is_stale(self) -> bool:
        return self.freshness == Freshness.STALE

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def filiere_colour(self) -> str:
        for sector in self.sectors.all():
            return sector.filiere.colour
        return "#4a5568"
