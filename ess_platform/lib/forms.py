"""Form fields every app's forms share: choices of rows that never reach the database with a
value it cannot hold, and the version of a row carried by its edit form."""

from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The widest integer column of the supported databases (BIGINT on PostgreSQL, SQLite's
# INTEGER): a larger number cannot even be sent as a query parameter (OverflowError).
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses, with Django's own message for a value that
    is not a valid key ("invalid_pk_value"), a number outside the 64-bit integer range
    when the key is an integer column. Django would send it to the database, where SQLite
    fails with an OverflowError (a 500) instead of finding no row."""

    def _check_values(self, value):
        # clean() calls this with a list or a tuple only.
        if isinstance(self._key_field(), models.IntegerField):
            for item in value:
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # not a number: Django's own check explains it
                if not INTEGER_MIN <= number <= INTEGER_MAX:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)

    def _key_field(self) -> models.Field:
        meta = self.queryset.model._meta
        return meta.get_field(self.to_field_name) if self.to_field_name else meta.pk


class VersionField(forms.CharField):
    """The version of a row when its edit form was loaded (its `updated_at`), carried in a
    hidden input so that the service can tell whether someone saved it meanwhile.

    Written as exact ISO text in UTC: a DateTimeField would go through local time, which
    loses nothing but is ambiguous for an hour each autumn. A value that is not one of
    ours (tampered with) reads as None, which checks nothing: only whoever tampered with
    it can lose their own update."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        return value

    def to_python(self, value) -> datetime | None:
        text = super().to_python(value)
        try:
            parsed = datetime.fromisoformat(text) if text else None
        except ValueError:
            return None
        return parsed if parsed is None or parsed.tzinfo is not None else None


def checkboxes_grouped(bound_field, group_of) -> list[tuple[object, list]]:
    """The checkboxes of a model multiple choice, grouped by `group_of(instance)` in the
    order the choices come (e.g. sectors under their filière)."""
    groups: dict[object, list] = {}
    for checkbox in bound_field:
        groups.setdefault(group_of(checkbox.data["value"].instance), []).append(checkbox)
    return list(groups.items())
