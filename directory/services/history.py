"""The history of each actor (ActorChange), written by the services through
ess_platform.lib.history; the actor-specific wrappers below name the model once."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from directory.models import Actor, ActorChange
from ess_platform.lib import history
from ess_platform.lib.history import FieldChange, diff

__all__ = ["FieldChange", "Source", "change_lines", "diff", "display_value", "field_label"]

Source = ActorChange.Source
# The map pin (lat and lon) as one entry of the history: "47.21840, -1.55360", to the metre.
POSITION = "position"


def field_label(field: str) -> str:
    """A field of the actor as people read it ("Téléphone"), in reports and history."""
    if field == POSITION:
        return str(_("Position sur la carte"))
    return history.field_label(Actor, field)


def change_lines(change: ActorChange) -> list[FieldChange]:
    return [
        FieldChange(field_label(name), *values)
        for name, values in sorted(change.changes.items())
        if isinstance(values, list | tuple) and len(values) == 2
    ]


def display_value(actor: Actor, field: str) -> str:
    """A field's value as people read it, in the site's language whoever made the change."""
    if field == POSITION:
        return "" if actor.lat is None else f"{actor.lat:.5f}, {actor.lon:.5f}"
    return history.display_value(actor, field)


def snapshot(actor: Actor, fields: Iterable[str]) -> dict[str, str]:
    return {field: display_value(actor, field) for field in fields}


def record(
    actor: Actor,
    *,
    by: AbstractBaseUser | None,
    source: str,
    changes: dict | None = None,
    note: str = "",
) -> ActorChange:
    return history.record(
        ActorChange, actor=actor, source=source, by=by, changes=changes, note=note
    )


def record_many(
    actor_ids: Iterable[int],
    *,
    by: AbstractBaseUser | None,
    source: str,
    changes: dict | None = None,
    note: str = "",
) -> None:
    """The same change on many actors (bulk actions, imports), in one insert per batch."""
    history.record_many(
        ActorChange,
        ({"actor_id": pk, "source": source} for pk in actor_ids),
        by=by,
        changes=changes,
        note=note,
    )
