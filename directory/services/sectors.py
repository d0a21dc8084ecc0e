"""Writes on the sector taxonomy (filières and sectors), made by the platform's admins."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from directory.models import Actor, Sector
from directory.services.search import actor_refresh_search


@transaction.atomic
def sector_save(*, sector: Sector, by: AbstractBaseUser, renamed: bool = False) -> Sector:
    """Create or edit a sector. A new name changes the search text of every actor filed
    under it (sector names are part of it), so those are recomputed in the same
    transaction."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    sector.full_clean()
    sector.save()
    if renamed:
        actors = (
            Actor.objects.filter(Q(sectors=sector) | Q(sectors__parent=sector))
            .distinct()
            .select_related("commune")
        )
        for actor in actors.iterator(chunk_size=500):
            actor_refresh_search(actor)
    return sector
