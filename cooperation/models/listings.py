"""The catalogue of offers and needs (DESIGN.md §5): what a structure offers to, or needs
from, the others (or the public), with its place, dates, capacity and price, for a
limited time.

The states and the moves between them are listed once, in TRANSITIONS; the services
(cooperation.services.listings) refuse any other move and record each one. A listing
leaves the catalogue when it expires: its owner is reminded a week before and renews it in
one click.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, Commune, Membership, Network, Sector, Status
from directory.models.search import forgiving_search
from ess_platform.lib import geo
from ess_platform.lib.history import ChangeRecord
from ess_platform.lib.uploads import private_storage


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offre")
    NEED = "need", _("Besoin")


class Nature(models.TextChoices):
    GOODS = "goods", _("Biens")
    SERVICE = "service", _("Service")
    SKILL = "skill", _("Compétence")
    EQUIPMENT = "equipment", _("Matériel (prêt ou location)")
    PREMISES = "premises", _("Local ou espace")
    SHARED_JOB = "shared_job", _("Emploi partagé")
    TRANSPORT = "transport", _("Transport et logistique")
    SUBCONTRACTING = "subcontracting", _("Sous-traitance, renfort pour un pic d'activité")
    SUPPLY = "supply", _("Approvisionnement (matières, alimentation…)")
    OTHER = "other", _("Autre")


class ExchangeMode(models.TextChoices):
    SALE = "sale", _("Vente")
    RENTAL = "rental", _("Location")
    LOAN = "loan", _("Prêt")
    DONATION = "donation", _("Don")
    BARTER = "barter", _("Troc, échange")
    VOLUNTEERING = "volunteering", _("Bénévolat")
    POOLING = "pooling", _("Mutualisation")


class Audience(models.TextChoices):
    STRUCTURES = "structures", _("Les autres structures")
    PUBLIC = "public", _("Les structures et le public")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    NETWORK = "network", _("Membres du réseau seulement")


class PriceKind(models.TextChoices):
    AMOUNT = "amount", _("Prix indiqué")
    FREE = "free", _("Gratuit")
    TO_DISCUSS = "to_discuss", _("À discuter")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    OPEN = "open", _("Ouverte")
    IN_DISCUSSION = "in_discussion", _("En discussion")
    FULFILLED = "fulfilled", _("Satisfaite")
    EXPIRED = "expired", _("Expirée")
    WITHDRAWN = "withdrawn", _("Retirée")


L = ListingStatus
# Every allowed move. An expired listing is renewed (back to open); a fulfilled or
# withdrawn one is closed for good: a new need is a new listing.
TRANSITIONS: dict[str, set[str]] = {
    L.DRAFT: {L.OPEN, L.WITHDRAWN},
    L.OPEN: {L.IN_DISCUSSION, L.FULFILLED, L.EXPIRED, L.WITHDRAWN},
    L.IN_DISCUSSION: {L.OPEN, L.FULFILLED, L.EXPIRED, L.WITHDRAWN},
    L.EXPIRED: {L.OPEN, L.WITHDRAWN},
    L.FULFILLED: set(),
    L.WITHDRAWN: set(),
}
# In the catalogue: open, or being discussed (still answerable until fulfilled).
LIVE_STATUSES = [L.OPEN, L.IN_DISCUSSION]


class ListingQuerySet(models.QuerySet):
    def live(self, *, as_of=None):
        """In the catalogue: open or in discussion, not past expiry, of a published actor.
        Expiry is checked here too, so a listing leaves the catalogue at its date even
        before the daily pass marks it expired."""
        as_of = as_of or timezone.now()
        # "Not one of the few unpublished actors" rather than a join on the actor's status:
        # the join would read the whole actors table (200,000 rows) to count a page.
        unpublished = Actor.objects.filter(
            status__in=[s for s in Status.values if s != Status.PUBLISHED]
        ).values("pk")
        return self.filter(status__in=LIVE_STATUSES, expires_at__gt=as_of).exclude(
            actor__in=unpublished
        )

    def visible_to(self, user):
        """What `user` may see: public listings, and members-only ones of the networks of
        the structures `user` is a member of (or animates). Anonymous visitors and members
        of other networks see public listings only.

        Subqueries, not joins through memberships and animators: no duplicate rows, so no
        DISTINCT (which would sort every match). The user's networks are read first (one
        small query) so that PostgreSQL sees their numbers and reads only their actors
        through the network index: the cost follows the size of those networks, not of the
        whole directory."""
        condition = Q(visibility=Visibility.PUBLIC)
        if user is not None and user.is_authenticated:
            if user.is_superuser:
                return self
            memberships = Membership.objects.filter(user=user)
            # A network's member is a member of one of its published structures (as
            # cooperation.permissions.belongs_to_network): a draft anyone may start
            # opens nothing.
            published = memberships.filter(actor__status=Status.PUBLISHED)
            networks = set(
                Network.objects.filter(
                    Q(pk__in=published.values("actor__network")) | Q(animators=user)
                ).values_list("pk", flat=True)
            )
            in_networks = Actor.objects.filter(network__in=networks).order_by().values("pk")
            condition |= Q(actor__in=memberships.values("actor"))
            if networks:
                condition |= Q(actor__in=in_networks)
        return self.filter(condition)

    def of_actor(self, actor: Actor):
        return self.filter(actor=actor)

    def expiring(self, *, as_of, within_days: int):
        """Live listings whose expiry falls in the next `within_days` days."""
        return self.filter(
            status__in=LIVE_STATUSES,
            expires_at__gt=as_of,
            expires_at__lte=as_of + timezone.timedelta(days=within_days),
        )

    def past_expiry(self, *, as_of):
        return self.filter(status__in=LIVE_STATUSES, expires_at__lte=as_of)

    def near(self, lat: float, lon: float, *, km: float):
        """Listings placed within `km` of a point, with `distance_km`, nearest first."""
        return geo.near(self, lat, lon, km=km)

    def in_bbox(self, west: float, south: float, east: float, north: float):
        return geo.in_bbox(self, west=west, south=south, east=east, north=north)

    def search(self, query: str):
        """Full-text search, forgiving a typo and plurals, as the directory's actors'
        (ActorQuerySet.search, whose vocabulary the listings' words join).

        PostgreSQL: the GIN-indexed tsvector generated from `search_text`, a word unknown
        to the vocabulary widened to its closest words by trigrams; ranked, newest first
        among equals. SQLite: every word found in `search_text` as itself, a word of its
        French stem or one typo away; not ranked."""
        return forgiving_search(self, query, tie_break="-published_at")

    def for_catalogue(self):
        """What the catalogue's cards and the API list need, in a fixed number of queries,
        newest first. The structure and the commune are prefetched, not joined: with a join
        between the LIMIT and the sort, PostgreSQL would sort every match of a search before
        keeping 20. The long texts are left out."""
        return (
            self.prefetch_related(
                models.Prefetch("actor", Actor.objects.only("pk", "name", "slug")),
                models.Prefetch("commune", Commune.objects.only("pk", "name", "insee")),
            )
            .defer("description", "search_text")
            .order_by("-published_at", "-pk")
        )


class Listing(models.Model):
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="listings", verbose_name=_("structure")
    )
    kind = models.CharField(_("offre ou besoin"), max_length=5, choices=ListingKind.choices)
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices)
    mode = models.CharField(_("mode d'échange"), max_length=12, choices=ExchangeMode.choices)
    audience = models.CharField(
        _("s'adresse à"), max_length=10, choices=Audience.choices, default=Audience.STRUCTURES
    )
    title = models.CharField(_("titre"), max_length=140)
    description = models.TextField(_("description"), max_length=4000)
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("secteurs"))
    quantity = models.DecimalField(
        _("quantité ou capacité"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    recurrence = models.CharField(
        _("récurrence"), max_length=120, blank=True, help_text=_("Ex. : tous les mardis matin")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    area_km = models.PositiveSmallIntegerField(_("zone couverte (km)"), default=20)
    price_kind = models.CharField(
        _("prix"), max_length=10, choices=PriceKind.choices, default=PriceKind.TO_DISCUSS
    )
    price = models.DecimalField(
        _("montant (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    visibility = models.CharField(
        _("visibilité"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("état"), max_length=14, choices=ListingStatus.choices, default=L.DRAFT
    )
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    # The actors it was fulfilled with (none when fulfilled outside the platform).
    partners = models.ManyToManyField(
        Actor, blank=True, related_name="+", verbose_name=_("partenaires")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A joint need (group purchase): other structures join it with their own quantity
    # until `joint_closes_on` (cooperation.models.joint_needs).
    is_joint = models.BooleanField(_("besoin groupé"), default=False)
    joint_closes_on = models.DateField(_("groupement clos le"), null=True, blank=True)
    # Set by the network's animators only: registered inhabitants may join the joint need
    # too (a consumers' cooperative).
    open_to_inhabitants = models.BooleanField(_("ouvert aux habitants"), default=False)
    # Normalised title, description, unit, commune and sectors (ess_platform.lib.text),
    # kept by the services; on PostgreSQL a generated tsvector column indexes it.
    search_text = models.TextField(editable=False, default="")

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="listing_status_expiry"),
            models.Index(fields=["kind", "nature"], name="listing_kind_nature"),
            # The catalogue reads live listings only (LIVE_STATUSES): its newest first and
            # its places (near, the map, the matches). Its expiry check has a covering
            # index on PostgreSQL (migration 0006: SQLite has no INCLUDE).
            models.Index(
                fields=["-published_at", "-id"],
                name="listing_live_newest",
                condition=Q(status__in=["open", "in_discussion"]),
            ),
            models.Index(
                fields=["lat", "lon"],
                name="listing_live_lat_lon",
                condition=Q(status__in=["open", "in_discussion"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_kind="amount", price__isnull=False) | ~Q(price_kind="amount"),
                name="listing_amount_has_price",
                violation_error_message=_(
                    "Indiquez le prix, ou choisissez « Gratuit » ou « À discuter »."
                ),
            ),
            models.CheckConstraint(
                condition=Q(available_until__isnull=True)
                | Q(available_from__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="listing_dates_in_order",
                violation_error_message=_("La fin de disponibilité précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


def _photo_path(photo: "ListingPhoto", filename: str) -> str:
    # Unguessable: a members-only listing's photo must not be found by its number.
    return f"listings/{photo.listing_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ListingPhoto(models.Model):
    """A photo of a listing, checked from its content (ess_platform.lib.uploads) and stored
    privately: it is served by a view that applies the listing's visibility."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=_photo_path, storage=private_storage)
    alt = models.CharField(_("description de la photo"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo d'annonce")
        verbose_name_plural = _("photos d'annonce")

    def __str__(self) -> str:
        return self.alt or self.image.name


class ListingChange(ChangeRecord):
    """History of a listing: every move (who, when, why)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(_("événement"), max_length=40)

    class Meta(ChangeRecord.Meta):
        verbose_name = _("historique d'annonce")
        verbose_name_plural = _("historiques d'annonce")
