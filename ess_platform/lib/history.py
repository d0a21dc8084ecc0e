"""Change records for any model: who changed which fields, when, from what to what.

An app gives a model its history in three lines: a concrete `ChangeRecord` subclass with a
foreign key to the model (and, if it likes, a `source` field saying why), then
`record(...)` from its services after each write. Values are stored as the text people
read (choice labels, related objects' names), in the site's language whoever made the
change, so the history reads the same for everyone and survives renamed choices.

Recording in the services rather than on `save()` or in signals is what lets bulk actions
and imports, which write with `update()` and `bulk_create()`, keep a history too, on SQLite
as on PostgreSQL (database triggers would serve PostgreSQL only).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 300


class ChangeRecord(models.Model):
    """The fields every history entry has; subclasses add the object they describe."""

    at = models.DateTimeField(_("date"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # {field name: [old, new]} as displayed text; empty for an event without field changes.
    changes = models.JSONField(_("modifications"), default=dict)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def field_label(model: type[models.Model], field: str) -> str:
    """A field as people read it ("Téléphone"), in reports and histories."""
    try:
        return capfirst(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def change_lines(record: ChangeRecord, model: type[models.Model]) -> list[FieldChange]:
    """The fields an entry changed, labelled for people, in a stable order."""
    return [
        FieldChange(field_label(model, name), *values)
        for name, values in sorted(record.changes.items())
        if isinstance(values, list | tuple) and len(values) == 2
    ]


def display_value(instance: models.Model, field: str) -> str:
    """A field's value as people read it (choice labels, related objects' names, file
    names), in the site's language whoever makes the change."""
    with translation.override(settings.LANGUAGE_CODE):
        model_field = instance._meta.get_field(field)
        if model_field.many_to_many:
            return ", ".join(sorted(str(o) for o in getattr(instance, field).all()))
        if model_field.choices:
            return str(getattr(instance, f"get_{field}_display")())
        value = getattr(instance, field)
        if model_field.is_relation:
            return str(value) if value is not None else ""
        if isinstance(model_field, models.FileField):
            return value.name if value else ""
        return "" if value is None else str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """The displayed values of `fields`, to compare before and after a write."""
    return {field: display_value(instance, field) for field in fields}


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """{field: [old, new]} for the fields whose displayed value changed."""
    return {
        field: [before.get(field, ""), value]
        for field, value in after.items()
        if before.get(field, "") != value
    }


def _author(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def record(
    record_model: type[ChangeRecord],
    *,
    by: AbstractBaseUser | None,
    changes: dict | None = None,
    note: str = "",
    **fields,
) -> ChangeRecord:
    """One entry, e.g. `record(ActorChange, actor=actor, source=…, by=user, changes=…)`."""
    return record_model.objects.create(
        at=timezone.now(),
        by=_author(by),
        changes=changes or {},
        note=note[:NOTE_MAX_LENGTH],
        **fields,
    )


def record_many(
    record_model: type[ChangeRecord],
    rows: Iterable[dict],
    *,
    by: AbstractBaseUser | None,
    changes: dict | None = None,
    note: str = "",
) -> None:
    """The same change on many objects (bulk actions, imports), one insert per batch.
    Each row gives the fields that differ, e.g. `{"actor_id": 12}`."""
    at, author = timezone.now(), _author(by)
    record_model.objects.bulk_create(
        (
            record_model(
                at=at, by=author, changes=changes or {}, note=note[:NOTE_MAX_LENGTH], **row
            )
            for row in rows
        ),
        batch_size=1000,
    )
