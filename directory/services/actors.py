"""Writes on actors' profiles: every view, API, command, task and the admin go through these."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import (
    Actor,
    ActorChange,
    Commune,
    Freshness,
    Membership,
    Network,
    Role,
    Sector,
    Status,
)
from directory.permissions import can_animate, can_edit_actor
from directory.services import history
from directory.services.map import map_cells_move, map_place, map_places
from directory.services.search import (
    actor_refresh_search,
    actor_search_text,
    search_words_add,
)
from ess_platform.lib import geo
from ess_platform.lib.history import FieldChange
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

# Fields a member edits; the others (status, network, confirmation) follow the workflow.
EDITABLE_FIELDS = [
    "name",
    "legal_form",
    "siret",
    "short_description",
    "description",
    "keywords",
    "website",
    "email",
    "phone",
    "address",
    "postcode",
    "commune",
    "lat",
    "lon",
    "intervention_radius_km",
    "headcount_band",
    "turnover_band",
    "volunteers",
    "labels",
    "offer",
    "added_value",
    "opening_hours",
    "local_currencies",
    "logo",
]


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    # "manual" (pin placed by the member), "geocoder", or "commune" (fallback).
    source: str


def _slug_base(name: str) -> str:
    return slugify(name)[:200] or "acteur"


def _numbered(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… : the first one not taken."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A free slug for one actor (`exclude_pk`: the actor being renamed keeps its own)."""
    return unique_slugs([name], exclude_pk=exclude_pk)[0]


def unique_slugs(names: list[str], *, exclude_pk: int | None = None) -> list[str]:
    """One free slug per name ("atelier", "atelier-2"…), with a few queries in all (an
    import of 10,000 rows) instead of one or more per name."""
    others = Actor.objects.exclude(pk=exclude_pk) if exclude_pk else Actor.objects.all()
    bases = [_slug_base(name) for name in names]
    counts: dict[str, int] = defaultdict(int)
    for base in bases:
        counts[base] += 1
    distinct = sorted(counts)
    taken: set[str] = set()
    for start in range(0, len(distinct), 500):
        chunk = distinct[start : start + 500]
        taken.update(others.filter(slug__in=chunk).values_list("slug", flat=True))
    # Only the bases already taken, or repeated among the names, need their numbered variants.
    crowded = [base for base in distinct if base in taken or counts[base] > 1]
    for start in range(0, len(crowded), 100):
        numbered = Q()
        for base in crowded[start : start + 100]:
            numbered |= Q(slug__startswith=f"{base}-")
        taken.update(others.filter(numbered).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = _numbered(base, taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


def actors_insert(
    *,
    actors: list[Actor],
    sectors: list[Iterable[Sector]],
    by: AbstractBaseUser | None,
    source: str,
    note: str = "",
    map_cells: bool = True,
) -> list[Actor]:
    """The one way actors come into the directory: a member's new profile, an import's
    rows, the demo. Gives each a free slug (unless it has one) and its search text, inserts
    them with their sectors in bulk, records the creation in their history, adds their
    words to the search vocabulary and, for published ones, to the map cells.

    The caller has checked the actors (`full_clean`, the territory, duplicates) and holds
    the transaction. `map_cells=False` is for bulk loads, which rebuild the cells once
    afterwards (services.map.map_cells_rebuild)."""
    sectors = [list(its) for its in sectors]
    missing = [actor for actor in actors if not actor.slug]
    for actor, slug in zip(missing, unique_slugs([a.name for a in missing]), strict=True):
        actor.slug = slug
    for actor, its_sectors in zip(actors, sectors, strict=True):
        actor.search_text = actor_search_text(actor, [s.name for s in its_sectors])
    created = Actor.objects.bulk_create(actors, batch_size=1000)
    through = Actor.sectors.through
    through.objects.bulk_create(
        [
            through(actor_id=actor.pk, sector_id=sector.pk)
            for actor, its_sectors in zip(created, sectors, strict=True)
            for sector in its_sectors
        ],
        batch_size=1000,
    )
    history.record_many([a.pk for a in created], by=by, source=source, note=note)
    search_words_add(" ".join(actor.search_text for actor in created))
    if map_cells:
        for actor, its_sectors in zip(created, sectors, strict=True):
            map_cells_move(old=None, new=map_place(actor, sectors=its_sectors))
    return created


def network_for_commune(commune: Commune) -> Network:
    network = Network.objects.filter(communes=commune).order_by("pk").first()
    if network is None:
        raise ValidationError(
            {"commune": _("Cette commune n'est couverte par aucun réseau de la plateforme.")}
        )
    return network


def locate(
    *, address: str, postcode: str, commune: Commune, lat: float | None, lon: float | None
) -> Location:
    """Where to put the pin: the member's own, else the geocoder's, else the commune's."""
    if lat is not None and lon is not None:
        geo.validate_in_france(lat, lon)
        return Location(lat, lon, "manual")
    result = geo.geocode(address=address, postcode=postcode, citycode=commune.insee)
    if result is not None and geo.in_france(result.lat, result.lon):
        return Location(result.lat, result.lon, "geocoder")
    return Location(commune.lat, commune.lon, "commune")


def _apply_location(
    actor: Actor, *, lat: float | None, lon: float | None, address_changed: bool
) -> None:
    """Place the pin. A pin the member moved wins; a new address with the pin left where it
    was is geocoded again. `actor.location_source` tells the view which one happened."""
    pin_moved = lat is not None and lon is not None and (lat, lon) != (actor.lat, actor.lon)
    if address_changed and not pin_moved:
        lat = lon = None
    elif not pin_moved and actor.lat is not None:
        actor.location_source = "unchanged"
        return
    location = locate(
        address=actor.address, postcode=actor.postcode, commune=actor.commune, lat=lat, lon=lon
    )
    actor.lat, actor.lon = location.lat, location.lon
    actor.location_source = location.source


def _check_siret_free(actor: Actor) -> None:
    """A SIRET names one structure. The message says no more than that, whoever holds the
    number: the page may offer a published holder (Actor.objects.published()), never the
    name, nor even a hint, of a hidden one; nor the name of the database constraint."""
    if actor.siret and Actor.objects.filter(siret=actor.siret).exclude(pk=actor.pk).exists():
        raise ValidationError(
            {
                "siret": ValidationError(
                    _("Ce numéro SIRET est déjà celui d'une structure de l'annuaire."),
                    code="siret_taken",
                )
            }
        )


@contextmanager
def _siret_guard(actor: Actor) -> Iterator[None]:
    """Two people saving the same SIRET at once both pass _check_siret_free; the database's
    unique constraint refuses the second one, who gets the same message (not a 500)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        _check_siret_free(actor)
        raise


class ChangedMeanwhile(ValidationError):
    """Someone saved the profile after the editor's form was loaded, and this save would
    put other values in fields they changed. `changes` lists those fields as people read
    them (FieldChange: label, `old` the editor's value, `new` the value saved meanwhile);
    `updated_at` is the version they describe, for the form to carry next."""

    def __init__(self, *, changes: list[FieldChange], updated_at: datetime):
        super().__init__(
            _(
                "Cette fiche a été modifiée par une autre personne pendant que vous la "
                "modifiiez (%(fields)s) : rien n'est enregistré."
            ),
            code="changed_meanwhile",
            params={"fields": ", ".join(change.label for change in changes)},
        )
        self.changes = changes
        self.updated_at = updated_at


def _refuse_lost_update(
    actor: Actor, *, since: datetime, old_values: dict, changes: dict[str, list[str]]
) -> None:
    """Raise ChangedMeanwhile when a field this save changes was changed by someone else
    after `since`, the version the editor's form carries.

    Who changed what since then is read in the history: actor_update writes an edit's
    entry before the row, so the entries later than a version are exactly the changes that
    version has not seen. Other writes meanwhile (a publication, a confirmation, the
    freshness pass) change no field of the form and block nothing; neither does a field
    both people set to the same value."""
    seen_meanwhile: set[str] = set()
    for fields in ActorChange.objects.filter(actor=actor, at__gt=since).values_list(
        "changes", flat=True
    ):
        seen_meanwhile.update(fields)
    conflicts = [
        FieldChange(str(history.field_label(field)), changes[field][1], old_values[field])
        for field in sorted(seen_meanwhile & changes.keys())
    ]
    if conflicts:
        raise ChangedMeanwhile(changes=conflicts, updated_at=actor.updated_at)


def _send_to_review(actor: Actor, *, by: AbstractBaseUser, old_network: str) -> None:
    """The profile just moved to the network `actor.network`, which never reviewed it: it
    waits for its animators (history, e-mail to each of them, owed in this transaction)."""
    actor.status = Status.PENDING
    with translation.override(settings.LANGUAGE_CODE):
        history.record(
            actor,
            by=by,
            source=ActorChange.Source.STATUS,
            changes={"status": [str(Status.PUBLISHED.label), str(Status.PENDING.label)]},
            note=_(
                "Déplacée du réseau « %(old)s » vers « %(new)s » : à valider par son équipe "
                "d'animation."
            )
            % {"old": old_network, "new": actor.network.name},
        )
    moved_at = timezone.now()
    owe(
        key=f"directory.actor.moved:{actor.pk}:{moved_at.isoformat()}",
        to=actor.network.animator_emails(),
        template="directory/network/emails/actor_moved",
        context={
            "actor": actor,
            "old_network": old_network,
            "network": actor.network.name,
            "url": _review_path(actor.network),
        },
    )


@transaction.atomic
def actor_create(*, by: AbstractBaseUser, data: dict, sectors) -> Actor:
    """A signed-in person creates a structure's profile as a draft and becomes its owner."""
    if not by.is_authenticated:
        raise PermissionDenied
    if not sectors:
        raise ValidationError({"sectors": _("Choisissez au moins un secteur.")})
    actor = Actor(**{k: v for k, v in data.items() if k not in ("lat", "lon")})
    actor.network = network_for_commune(actor.commune)
    _apply_location(actor, lat=data.get("lat"), lon=data.get("lon"), address_changed=True)
    actor.slug = unique_slug(actor.name)
    actor.status = Status.DRAFT
    _set_confirmed(actor)
    _check_siret_free(actor)
    actor.full_clean(exclude=["sectors"])
    geo.validate_in_france(actor.lat, actor.lon)
    with _siret_guard(actor):
        (actor,) = actors_insert(
            actors=[actor], sectors=[sectors], by=by, source=ActorChange.Source.CREATION
        )
    Membership.objects.create(user=by, actor=actor, role=Role.OWNER)
    return actor


def _set_confirmed(actor: Actor) -> None:
    """The data was just saved or confirmed by someone who knows it (DESIGN.md §3)."""
    actor.last_confirmed_at = timezone.now()
    actor.freshness = Freshness.FRESH


@transaction.atomic
def actor_update(
    *,
    actor: Actor,
    by: AbstractBaseUser,
    data: dict,
    sectors=None,
    source: str = ActorChange.Source.EDIT,
    note: str = "",
    expected_updated_at: datetime | None = None,
) -> Actor:
    """A member or animator edits the profile. `source` and `note` say in the history why
    (an edit, an accepted correction…).

    An edit by a member confirms the data (DESIGN §3), as does an accepted correction
    report; an animator or an admin fixing a typo does not vouch for the rest of the
    profile: the confirmation date and the freshness badge stay as they were.

    `expected_updated_at` is the profile's version when the editor's form was loaded:
    when someone saved it since and this save would put other values in the fields they
    changed, nothing is saved and ChangedMeanwhile (code "changed_meanwhile") tells which.
    Callers that do not pass it (the admin, an accepted correction) save as before.

    A published profile that moves to another network's territory (its commune changed)
    was never reviewed by that network: it becomes pending there, leaves the public map
    and list, and the new network's animators are e-mailed to review it (its dashboard's
    "attente" list). Unless whoever moves it animates the new network, or is an admin:
    they are its reviewers. `actor.sent_to_review` tells the view which happened, as
    `actor.location_source` tells where the pin was placed.

    A logo replaced or cleared is deleted from the storage once the new one is committed."""
    if not can_edit_actor(by, actor):
        raise PermissionDenied
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    confirms = (
        source == ActorChange.Source.CORRECTION
        or Membership.objects.filter(actor=actor, user_id=by.pk).exists()
    )
    before = map_place(actor)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    tracked = (
        [f for f in data if f not in ("lat", "lon")]
        + [history.POSITION]
        + (["sectors"] if sectors is not None else [])
    )
    old_values = history.snapshot(actor, tracked)
    old_commune_id = actor.commune_id
    old_logo = actor.logo.name
    address_changed = any(
        f in data and data[f] != getattr(actor, f) for f in ("address", "postcode", "commune")
    )
    for field, value in data.items():
        if field not in ("lat", "lon"):
            setattr(actor, field, value)
    if "lat" in data or address_changed:
        _apply_location(
            actor, lat=data.get("lat"), lon=data.get("lon"), address_changed=address_changed
        )
    if "name" in data and not actor.slug:
        actor.slug = unique_slug(actor.name, exclude_pk=actor.pk)
    network_change = None
    old_network_id = actor.network_id
    if old_network_id is None or actor.commune_id != old_commune_id:
        # The network whose territory holds the commune runs the profile.
        old_network = history.display_value(actor, "network") if old_network_id else ""
        actor.network = network_for_commune(actor.commune)
        if actor.network_id != old_network_id:
            network_change = [old_network, history.display_value(actor, "network")]
    actor.sent_to_review = (
        network_change is not None
        and old_network_id is not None
        and actor.status == Status.PUBLISHED
        and not can_animate(by, actor.network_id)
    )
    if confirms:
        _set_confirmed(actor)
    _check_siret_free(actor)
    actor.full_clean(exclude=["sectors"])
    geo.validate_in_france(actor.lat, actor.lon)
    if sectors is not None:
        actor.sectors.set(sectors)
    new_values = history.snapshot(actor, tracked)
    if expected_updated_at is not None and actor.updated_at != expected_updated_at:
        _refuse_lost_update(
            actor,
            since=expected_updated_at,
            old_values=old_values,
            changes=history.diff(old_values, new_values),
        )
    if "logo" in data:
        # A new logo is stored now rather than by save(): the history names it as stored.
        Actor._meta.get_field("logo").pre_save(actor, add=False)
        new_values["logo"] = history.display_value(actor, "logo")
    changes = history.diff(old_values, new_values)
    if network_change is not None:
        changes["network"] = network_change
    # The entries are written before the row, so that they are older than the row's new
    # updated_at (see _refuse_lost_update).
    history.record(actor, by=by, source=source, changes=changes, note=note)
    if actor.sent_to_review:
        _send_to_review(actor, by=by, old_network=network_change[0])
    with _siret_guard(actor):
        actor.save()
    actor_refresh_search(actor)
    map_cells_move(old=before, new=map_place(actor, sectors=sectors))
    if old_logo and actor.logo.name != old_logo:
        # robust: the profile is saved, a storage that fails to delete cannot undo that.
        storage = Actor._meta.get_field("logo").storage
        transaction.on_commit(partial(storage.delete, old_logo), robust=True)
    return actor


def _review_path(network: Network) -> str:
    """The dashboard's list of the profiles awaiting review."""
    dashboard = reverse("directory:workspace_dashboard", args=[network.slug])
    return f"{dashboard}?liste=attente"


def _member_emails(actor: Actor) -> list[str]:
    return Membership.objects.emails_of(actor.pk)


@transaction.atomic
def actor_set_status(
    *, actor: Actor, by: AbstractBaseUser, status: str, reason: str = "", notify: bool = True
) -> Actor:
    """The network's animator publishes, suspends or archives a profile, or sends one
    awaiting review back to its members as a draft: then `reason` is required, kept in the
    history and e-mailed to the members, who have to know what to complete. The members
    are told when their profile is published, too (unless `notify` is False: a caller that
    tells them itself, such as an admission decision)."""
    if not can_animate(by, actor.network_id):
        raise PermissionDenied
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    reason = reason.strip()
    sent_back = actor.status == Status.PENDING and status == Status.DRAFT
    if sent_back and not reason:
        raise ValidationError(
            {"reason": _("Dites aux membres ce qui manque à la fiche : ils liront ce message.")}
        )
    published = actor.status != Status.PUBLISHED and status == Status.PUBLISHED
    before = map_place(actor)
    old_status = history.display_value(actor, "status")
    actor.status = status
    actor.full_clean(exclude=["sectors"])
    if status == Status.PUBLISHED and actor.last_confirmed_at is None:
        _set_confirmed(actor)
    actor.save(update_fields=["status", "last_confirmed_at", "freshness", "updated_at"])
    map_cells_move(old=before, new=map_place(actor))
    new_status = history.display_value(actor, "status")
    if new_status != old_status:
        history.record(
            actor,
            by=by,
            source=ActorChange.Source.STATUS,
            changes={"status": [old_status, new_status]},
            note=reason,
        )
    if notify and (sent_back or published):
        owe(
            key=f"directory.actor.{status}:{actor.pk}:{actor.updated_at.isoformat()}",
            to=_member_emails(actor),
            template=f"directory/actors/emails/{'sent_back' if sent_back else 'published'}",
            context={
                "actor": actor,
                "reason": reason,
                "url": absolute_url(
                    reverse("directory:actor_edit", args=[actor.slug])
                    if sent_back
                    else actor.get_absolute_url()
                ),
            },
        )
    return actor


@transaction.atomic
def actor_confirm(*, actor: Actor, by: AbstractBaseUser) -> Actor:
    """'These details are still true.' Only a published profile is confirmed: a draft or
    one awaiting review is still being written or checked."""
    if not can_edit_actor(by, actor):
        raise PermissionDenied
    if actor.status != Status.PUBLISHED:
        raise ValidationError(
            _("Seule une fiche publiée se confirme : celle-ci n'est pas encore dans l'annuaire.")
        )
    return actor_mark_confirmed(actor=actor, by=by)


def actor_mark_confirmed(*, actor: Actor, by: AbstractBaseUser | None, note: str = "") -> Actor:
    """Record a confirmation whose right was checked by the caller: a member's click, or a
    signed link from a reminder e-mail (directory.services.freshness), where `by` may be None."""
    _set_confirmed(actor)
    Actor.objects.filter(pk=actor.pk).update(
        last_confirmed_at=actor.last_confirmed_at, freshness=actor.freshness
    )
    history.record(actor, by=by, source=ActorChange.Source.CONFIRMATION, note=note)
    return actor


@transaction.atomic
def actors_delete(*, actors: Iterable[Actor], by: AbstractBaseUser) -> int:
    """A platform admin deletes profiles for good (a duplicate, a request to be erased);
    animators archive instead. Published ones leave the map cells first. Returns how many."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    rows = Actor.objects.select_for_update().filter(pk__in=[a.pk for a in actors])
    for place in map_places(rows.values_list("pk", flat=True)).values():
        map_cells_move(old=place, new=None)
    deleted, _per_model = rows.delete()
    return deleted
