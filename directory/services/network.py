"""Writes of the network feature: the animator's bulk actions and freshness policy, and
the platform admin's networks. Each checks `can_animate` (or the superuser) again, as any
service does; the dashboard's reads are in directory/dashboard.py."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import (
    Actor,
    ActorChange,
    FreshnessPolicy,
    Network,
    Status,
)
from directory.permissions import can_animate
from directory.services import history
from directory.services.map import map_cells_move, map_places

POLICY_FIELDS = ("due_after_months", "grace_months", "archive_after_months")


@transaction.atomic
def bulk_archive(*, network: Network, actor_ids: Iterable[int], by: AbstractBaseUser) -> int:
    """Archive the network's actors among `actor_ids` (never delete them): they leave the
    public directory and the map, and each keeps a history entry. Returns how many."""
    if not can_animate(by, network):
        raise PermissionDenied
    rows = list(
        Actor.objects.select_for_update()
        .in_network(network)
        .filter(pk__in=list(actor_ids))
        .exclude(status=Status.ARCHIVED)
        .order_by("pk")
        .values_list("pk", "status", "lat", "lon")
    )
    places = map_places(pk for pk, status, _lat, _lon in rows if status == Status.PUBLISHED)
    by_status: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for pk, status, lat, lon in rows:
        by_status[status].append((pk, lat, lon))

    total = 0
    for old_status, group in by_status.items():
        ids = [pk for pk, _lat, _lon in group]
        # Conditional: only rows still in the status read above move, and are recorded.
        moved = Actor.objects.filter(pk__in=ids, status=old_status).update(
            status=Status.ARCHIVED, updated_at=timezone.now()
        )
        if moved != len(ids):  # cannot happen under the row locks; fail loudly if it does
            raise ValidationError(_("Des fiches ont changé pendant l'archivage : réessayez."))
        if old_status == Status.PUBLISHED:
            for place in places.values():
                map_cells_move(old=place, new=None)
        # The history is read by everyone in the site's language, whoever archived.
        with translation.override(settings.LANGUAGE_CODE):
            history_labels = [str(Status(old_status).label), str(Status.ARCHIVED.label)]
        history.record_many(
            ids,
            by=by,
            source=ActorChange.Source.BULK,
            changes={"status": history_labels},
        )
        total += moved
    return total


@transaction.atomic
def network_update_policy(*, network: Network, by: AbstractBaseUser, data: dict) -> Network:
    """Set the network's own freshness delays; an empty value falls back to the default."""
    if not can_animate(by, network):
        raise PermissionDenied
    network = Network.objects.select_for_update().get(pk=network.pk)
    for name in POLICY_FIELDS:
        value = data.get(name)
        setattr(network, name, None if value in (None, "") else value)
    network.full_clean(
        exclude=[f.name for f in Network._meta.get_fields() if f.name not in POLICY_FIELDS]
    )
    check_policy(network)
    network.save(update_fields=list(POLICY_FIELDS))
    return network


def check_policy(network: Network) -> None:
    """A network's own delays must keep the order of the states: archiving is proposed only
    after the profile went stale. Raises ValidationError on `archive_after_months`."""
    policy = FreshnessPolicy.for_network(network)
    stale_after = policy.due_after_months + policy.grace_months
    if network.archive_after_months and network.archive_after_months <= stale_after:
        raise ValidationError(
            {
                "archive_after_months": _(
                    "L'archivage ne peut être proposé qu'après le passage en « possiblement "
                    "obsolète », soit plus de %(months)s mois sans confirmation."
                )
                % {"months": stale_after}
            }
        )


@transaction.atomic
def network_save(*, network: Network, by: AbstractBaseUser, communes=None, animators=None):
    """A platform admin creates or edits a network: its name, its territory (communes), its
    animators and its freshness policy. Actors already in the directory keep their network
    until their commune changes (services.actors.actor_update moves them)."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    network.full_clean(exclude=["communes", "animators"])
    check_policy(network)
    network.save()
    if communes is not None:
        network.communes.set(communes)
    if animators is not None:
        network.animators.set(animators)
    return network
