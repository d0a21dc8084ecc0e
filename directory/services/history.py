"""The history of each actor (ActorChange), written by the services.

Recording in the services rather than on `save()` is what lets bulk actions and imports,
which write with `update()` and `bulk_create()`, keep a history too, on SQLite as on
PostgreSQL (database triggers would only serve PostgreSQL).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone, translation
from django.utils.text import capfirst

from directory.models import Actor, ActorChange

Source = ActorChange.Source


def field_label(field: str) -> str:
    """A field of the actor as people read it ("Téléphone"), in reports and history."""
    try:
        return capfirst(Actor._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def change_lines(change: ActorChange) -> list[FieldChange]:
    """The fields an entry changed, labelled for people, in a stable order."""
    return [
        FieldChange(field_label(name), *values)
        for name, values in sorted(change.changes.items())
        if isinstance(values, list | tuple) and len(values) == 2
    ]


def display_value(actor: Actor, field: str) -> str:
    """A field's value as people read it (choice labels, commune names, sector names), in
    the site's language whoever makes the change: the history is read by everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return _display_value(actor, field)


def _display_value(actor: Actor, field: str) -> str:
    if field == "sectors":
        return ", ".join(sorted(s.name for s in actor.sectors.all()))
    model_field = Actor._meta.get_field(field)
    if model_field.choices:
        return str(getattr(actor, f"get_{field}_display")())
    value = getattr(actor, field)
    if model_field.is_relation:
        return str(value) if value is not None else ""
    if field == "logo":
        return value.name if value else ""
    return "" if value is None else str(value)


def snapshot(actor: Actor, fields: Iterable[str]) -> dict[str, str]:
    return {field: display_value(actor, field) for field in fields}


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        field: [before.get(field, ""), value]
        for field, value in after.items()
        if before.get(field, "") != value
    }


def record(
    actor: Actor,
    *,
    by: AbstractBaseUser | None,
    source: str,
    changes: dict | None = None,
    note: str = "",
) -> ActorChange:
    return ActorChange.objects.create(
        actor=actor,
        at=timezone.now(),
        by=by if by is not None and by.is_authenticated else None,
        source=source,
        changes=changes or {},
        note=note[:300],
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
    at = timezone.now()
    by = by if by is not None and by.is_authenticated else None
    ActorChange.objects.bulk_create(
        (
            ActorChange(
                actor_id=pk, at=at, by=by, source=source, changes=changes or {}, note=note[:300]
            )
            for pk in actor_ids
        ),
        batch_size=1000,
    )
