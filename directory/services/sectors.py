"""Writes on the sector taxonomy (filières and sectors), made by the platform's admins."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from directory.models import Actor, Sector
from directory.services.map import map_cells_rebuild
from directory.services.search import actor_refresh_search


@transaction.atomic
def sector_save(*, sector: Sector, by: AbstractBaseUser, renamed: bool = False) -> Sector:
    """Create or edit a sector. A new name changes the search text of every actor filed
    under it (sector names are part of it), so those are recomputed in the same
    transaction."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    sector.full_clean()
    old_parent_id = (
        Sector.objects.filter(pk=sector.pk).values_list("parent_id", flat=True).first()
        if sector.pk
        else None
    )
    sector.save()
    if sector.parent_id != old_parent_id:
        # The actors of the sector now count in another filière's map cells: a rare admin
        # change, so the cells are recomputed rather than moved actor by actor.
        map_cells_rebuild()
    if renamed:
        actors = (
            Actor.objects.filter(Q(sectors=sector) | Q(sectors__parent=sector))
            .distinct()
            .select_related("commune")
        )
        for actor in actors.iterator(chunk_size=500):
            actor_refresh_search(actor)
    return sector


@transaction.atomic
def sectors_delete(*, sectors: list[Sector], by: AbstractBaseUser) -> int:
    """Delete sectors (their actors lose them). The map cells per sector and filière are
    recomputed. Returns how many were deleted."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    deleted = (
        Sector.objects.filter(pk__in=[s.pk for s in sectors]).delete()[1].get(Sector._meta.label, 0)
    )
    map_cells_rebuild()
    return deleted
